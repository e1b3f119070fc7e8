import { oneHot, Rng } from '@mnist/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  examplesArb,
  forward64,
  identityOrder,
  PARAM_KEYS,
  type ParamKey,
  type Params64,
  randomParams,
  relErr,
  runs,
  toParams64,
} from '../../test/reference.js';
import { toTensors } from '../train/examples.js';
import { Kernel } from '../train/kernel.js';
import { backward } from './backward.js';
import { forward } from './forward.js';

/**
 * Finite-difference check of the whole backward pass. The oracle is the float64 loss of
 * test/reference.ts (plain loops, written from the notes), differentiated numerically:
 *
 *   ∂L/∂θ ≈ (L(θ + ε) − L(θ − ε)) / 2ε,   ε = 1e-6
 *
 * against (a) the notes' `backward` over float32 tensors and (b) the fused `Kernel.step`,
 * whose gradients are float64 sums.
 *
 * Error measure: |a − b| / max(FLOOR, |a| + |b|), less the oracle's own noise. The central
 * difference is only good to a few ulps of the terms each loss is summed from (`lossTerms`:
 * |max z2| + |z2[y]| + log Σ exp, which with large logits is far more than the loss), magnified
 * by 1/2ε: NOISE · u · lossTerms / ε bounds it (measured worst 1.3 · u · lossTerms / ε over
 * 3,000 runs, i.e. 2.5e-9 absolute; a fixed 2e-9 allowance failed CI once). FLOOR = 1e-4 keeps
 * gradients smaller than that from being judged by digits the oracle does not have; a wrong
 * gradient of 1e-5 against a true 0 still scores 0.1.
 */
const EPS = 1e-6;
const FLOOR = 1e-4;
const NOISE = 8;
/**
 * Kernel: float64 arithmetic on the same float32 weights and the exact u8 pixels, so only the
 * oracle's error remains (measured worst case 6e-6; ~1e-7 typically).
 */
const KERNEL_TOL = 2e-5;
/**
 * Reference: float32 tensors (ε32 ≈ 6e-8). X = pixels/255 is rounded to float32, A2 − Y loses
 * relative precision where a probability is near its target, and each gradient is a float32
 * sum over the batch and the classes whose terms can be much larger than the result: a few
 * ulps of those terms, ~1e-7 absolute, which against FLOOR can reach ~1e-3 (measured: 7e-5
 * here, 4.4e-4 over 3,000 runs of the wider cases in train/kernel.prop.test.ts). 2e-3 still
 * fails any real mistake (a missing 1/m, a transposed product, a wrong ReLU mask are O(1)).
 */
const REFERENCE_TOL = 2e-3;
/** Elements checked per parameter per run. */
const SAMPLES = 20;

/** Indices of `name` to check: W1 mostly in columns of pixels that are inked in the batch. */
function sampleIndices(name: ParamKey, p: Params64, inked: number[], rng: Rng): number[] {
  const size = p[name].length;
  if (size <= SAMPLES) return Array.from({ length: size }, (_, i) => i);
  const picks = new Set<number>();
  if (name === 'W1') {
    // Most W1 gradients are exactly 0 (pixels blank in every image); aim at the inked columns.
    for (
      let tries = 0;
      tries < 4 * SAMPLES && inked.length > 0 && picks.size < SAMPLES - 3;
      tries++
    ) {
      picks.add(rng.int(p.H) * 784 + inked[rng.int(inked.length)]!);
    }
  }
  while (picks.size < SAMPLES) picks.add(rng.int(size));
  return [...picks];
}

const caseArb = fc.record({
  H: fc.integer({ min: 1, max: 6 }),
  examples: examplesArb(1, 5, 30),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  scale: fc.constantFrom(0.1, 0.5, 1, 2),
});

describe('gradient check: finite differences of an independent float64 loss', () => {
  it('backward() and Kernel.step() give ∂L/∂θ for every parameter', () => {
    const stats = { checked: 0, nonzero: 0 };
    fc.assert(
      fc.property(caseArb, ({ H, examples, seed, scale }) => {
        const m = examples.count;
        const p = randomParams(H, seed, scale);
        const p64 = toParams64(p);
        const base = forward64(p64, examples.pixels, examples.labels, m);
        fc.pre(base.minAbsZ1 > 1e-4); // away from ReLU kinks, where L is not differentiable

        // (a) The notes' backward over float32 tensors.
        const { X, labels } = toTensors(examples);
        const Y = oneHot(labels, 10);
        const ref = backward(p, forward(p, X), X, Y);
        const refGrads: Record<ParamKey, Float32Array> = {
          W1: ref.dW1.data,
          b1: ref.db1.data,
          W2: ref.dW2.data,
          b2: ref.db2.data,
        };
        // (b) The fused kernel over all m examples in stored order.
        const kernel = new Kernel(H);
        const stepStats = kernel.step(p, kernel.attach(examples), identityOrder(m), 0, m);
        expect(stepStats.loss / m).toBeCloseTo(base.loss, 10);
        const kernelGrads: Record<ParamKey, Float64Array> = {
          W1: kernel.grads.dW1,
          b1: kernel.grads.db1,
          W2: kernel.grads.dW2,
          b2: kernel.grads.db2,
        };

        const inked = [
          ...new Set(
            Array.from(examples.pixels.keys())
              .filter((i) => examples.pixels[i] !== 0)
              .map((i) => i % 784),
          ),
        ];
        const rng = new Rng(seed ^ 0x5bd1e995);
        for (const name of PARAM_KEYS) {
          const theta = p64[name];
          for (const i of sampleIndices(name, p64, inked, rng)) {
            const saved = theta[i]!;
            theta[i] = saved + EPS;
            const plus = forward64(p64, examples.pixels, examples.labels, m).loss;
            theta[i] = saved - EPS;
            const minus = forward64(p64, examples.pixels, examples.labels, m).loss;
            theta[i] = saved;
            const numeric = (plus - minus) / (2 * EPS);
            const k = kernelGrads[name][i]!;
            const r = refGrads[name][i]!;
            // The oracle's noise, as a share of what the error is divided by in relErr.
            const noise = (NOISE * Number.EPSILON * base.lossTerms) / EPS;
            const slack = (x: number) => noise / Math.max(FLOOR, Math.abs(numeric) + Math.abs(x));
            const ek = relErr(numeric, k, FLOOR) - slack(k);
            const er = relErr(numeric, r, FLOOR) - slack(r);
            stats.checked++;
            if (Math.abs(numeric) > FLOOR) stats.nonzero++;
            if (ek > KERNEL_TOL || er > REFERENCE_TOL) {
              throw new Error(
                `${name}[${i}] (H=${H}, m=${m}): finite difference ${numeric}, kernel ${k} (rel ${ek.toExponential(2)}), backward ${r} (rel ${er.toExponential(2)})`,
              );
            }
          }
        }
      }),
      { numRuns: runs(80) },
    );
    // The check has teeth only if most compared gradients were clearly non-zero.
    expect(stats.nonzero).toBeGreaterThan(stats.checked / 2);
  });
});
