import { CLASSES, type Params } from '../network/params.js';
import type { KernelData, TrainingKernel } from './kernel.js';

/** How a model does on a set of examples. */
export interface Metrics {
  /** Mean cross-entropy `−(1/m) Σ log a2[y]`. */
  readonly loss: number;
  /** Fraction classified correctly. */
  readonly accuracy: number;
  /** Accuracy of each true class 0…9 (NaN for a class with no examples). */
  readonly perClass: readonly number[];
  /** `confusion[t][p]`: examples of true class t predicted as p. */
  readonly confusion: readonly (readonly number[])[];
  readonly count: number;
}

/** Evaluates `p` on a data set attached to `kernel`, with the kernel's forward pass. */
export function evaluate(kernel: TrainingKernel, p: Params, data: KernelData): Metrics {
  const confusion = new Uint32Array(CLASSES * CLASSES);
  const { loss, correct } = kernel.evaluate(p, data, confusion);
  return metricsFrom(loss, correct, data.examples.count, confusion);
}

/** Builds Metrics from sums and a flat confusion matrix. */
export function metricsFrom(
  loss: number,
  correct: number,
  count: number,
  flat: Uint32Array,
): Metrics {
  const confusion = Array.from({ length: CLASSES }, (_, t) =>
    Array.from(flat.subarray(t * CLASSES, (t + 1) * CLASSES)),
  );
  const perClass = confusion.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : row[t]! / total;
  });
  return {
    loss: count ? loss / count : Number.NaN,
    accuracy: count ? correct / count : Number.NaN,
    perClass,
    confusion,
    count,
  };
}
