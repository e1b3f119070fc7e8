/**
 * Which test digits to show and what the network says about them. Runs `predict` of @mnist/net
 * on the few shown digits (and, for "mistakes only", on chunks of the test set until a page is
 * found), only when the weights or the page change: never per frame.
 */
import { type Params, paramsOf, predict } from '@mnist/net';
import type { Weights } from './state/state.js';

const PIXELS = 784;
const CHUNK = 500;
const UNKNOWN = 255;

/** Test images: count × 784 bytes and their labels. */
export interface TestSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface Sample {
  /** Index in the test set. */
  readonly index: number;
  readonly label: number;
  /** The predicted digit and the 10 class probabilities, or null without weights. */
  readonly predicted: number | null;
  readonly probabilities: Float32Array | null;
}

export interface Page {
  readonly samples: readonly Sample[];
  /** The offset actually used (clamped or wrapped). */
  readonly offset: number;
  /** How many digits the list holds (misclassified ones: those found so far, or all when the scan is complete). */
  readonly total: number;
  /** Whether only misclassified digits are listed. */
  readonly misclassifiedOnly: boolean;
}

export class SamplePicker {
  private weights: Weights | null = null;
  private params: Params<'h'> | null = null;
  /** Predicted label of each test image under the current weights (255: not computed yet). */
  private predicted: Uint8Array;
  private scanned = 0;
  private wrong: number[] = [];

  constructor(readonly test: TestSet) {
    this.predicted = new Uint8Array(test.count).fill(UNKNOWN);
  }

  private use(weights: Weights | null): void {
    if (weights === this.weights) return;
    this.weights = weights;
    this.params = weights ? paramsOf(weights) : null;
    this.predicted.fill(UNKNOWN);
    this.scanned = 0;
    this.wrong = [];
  }

  private images(indices: readonly number[]): Uint8Array {
    const out = new Uint8Array(indices.length * PIXELS);
    for (const [k, i] of indices.entries())
      out.set(this.test.images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    return out;
  }

  /** Scans the test set in chunks until `needed` misclassified digits are known or the set ends. */
  private scan(needed: number): void {
    const params = this.params;
    if (!params) return;
    while (this.wrong.length < needed && this.scanned < this.test.count) {
      const from = this.scanned;
      const to = Math.min(this.test.count, from + CHUNK);
      const { labels } = predict(params, {
        uint8: this.test.images.subarray(from * PIXELS, to * PIXELS),
      });
      for (let i = from; i < to; i++) {
        this.predicted[i] = labels[i - from]!;
        if (labels[i - from] !== this.test.labels[i]) this.wrong.push(i);
      }
      this.scanned = to;
    }
  }

  /** `count` digits from `offset` of the list (all test digits, or the misclassified ones). */
  pick(weights: Weights | null, offset: number, count: number, misclassifiedOnly: boolean): Page {
    this.use(weights);
    const n = Math.max(0, count);
    let indices: number[];
    let total: number;
    let start: number;
    const onlyWrong = misclassifiedOnly && this.params !== null;
    if (onlyWrong) {
      this.scan(offset + n);
      total = this.wrong.length;
      start =
        total === 0
          ? 0
          : offset >= total
            ? Math.max(0, Math.floor((total - 1) / Math.max(1, n)) * n)
            : offset;
      indices = this.wrong.slice(start, start + n);
    } else {
      total = this.test.count;
      start = total === 0 ? 0 : offset % total;
      indices = Array.from({ length: Math.min(n, total) }, (_, k) => (start + k) % total);
    }
    if (!this.params || indices.length === 0) {
      return {
        samples: indices.map((index) => ({
          index,
          label: this.test.labels[index]!,
          predicted: null,
          probabilities: null,
        })),
        offset: start,
        total,
        misclassifiedOnly: onlyWrong,
      };
    }
    const p = predict(this.params, { uint8: this.images(indices) });
    return {
      samples: indices.map((index, k) => ({
        index,
        label: this.test.labels[index]!,
        predicted: p.labels[k]!,
        probabilities: p.probabilities.subarray(k * 10, (k + 1) * 10),
      })),
      offset: start,
      total,
      misclassifiedOnly: onlyWrong,
    };
  }
}
