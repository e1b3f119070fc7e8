import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistExamples } from '../../test/mnist.js';
import {
  columnsToRows,
  examplesArb,
  forward64,
  maxRelErr,
  randomParams,
  runs,
  toParams64,
} from '../../test/reference.js';
import { forward } from '../network/forward.js';
import type { Params } from '../network/params.js';
import type { Examples } from '../train/examples.js';
import { toTensors } from '../train/examples.js';
import { InferenceKernel, inferenceKernelAvailable } from './infer-kernel.js';
import { predict, predictor, referencePredictor } from './predict.js';

/**
 * The WebAssembly inference kernel against the notes' typed forward pass (`forward`, float32
 * tensors). Both sum in float32 in different orders, and the kernel's exp is a polynomial
 * (relative error ~1e-7), so probabilities agree to a few float32 ulps of |Z2|:
 * |a − b| / max(PROB_FLOOR, |a| + |b|) ≤ TOL. Labels agree wherever the two largest
 * probabilities are further apart than that error (ties are decided by rounding).
 */
const PROB_FLOOR = 1e-6;
const TOL = 1e-3;
/** Top-two gaps below this are near-ties, where either label is right. */
const TIE = 1e-4;

/** `forward`'s probabilities, one row per image. */
function typedForward(p: Params, ex: Examples): Float32Array {
  const { X } = toTensors(ex);
  return columnsToRows(forward(p, X).A2.data, 10, ex.count);
}

/** The images where the float64 oracle's two largest probabilities are at least TIE apart. */
function clearWinners(p: Params, ex: Examples): boolean[] {
  const { A2 } = forward64(toParams64(p), ex.pixels, ex.labels, ex.count);
  return Array.from({ length: ex.count }, (_, j) => {
    const row = Array.from(A2.subarray(j * 10, j * 10 + 10)).sort((a, b) => b - a);
    return row[0]! - row[1]! >= TIE;
  });
}

function argmaxRows(probs: Float32Array, n: number): number[] {
  return Array.from({ length: n }, (_, j) => {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probs[j * 10 + c]! > probs[j * 10 + best]!) best = c;
    return best;
  });
}

/** Kernel vs `forward` on one batch, as uint8, float32 and number[] images. */
function agrees(p: Params, ex: Examples): void {
  const want = typedForward(p, ex);
  const wantLabels = argmaxRows(want, ex.count);
  const clear = clearWinners(p, ex);
  const run = predictor(p);
  const floats = Float32Array.from(ex.pixels, (v) => v / 255);
  for (const images of [
    { uint8: ex.pixels },
    { float32: floats },
    { float32: Array.from(floats) },
  ]) {
    const got = run(images);
    expect(got.count).toBe(ex.count);
    const { err, at } = maxRelErr(got.probabilities, want, PROB_FLOOR);
    expect(
      err,
      `probability ${at}: kernel ${got.probabilities[at]}, forward ${want[at]}`,
    ).toBeLessThanOrEqual(TOL);
    for (let j = 0; j < ex.count; j++)
      if (clear[j]) expect(got.labels[j], `image ${j}`).toBe(wantLabels[j]);
  }
}

const kernel = inferenceKernelAvailable();

describe.skipIf(!kernel)('the inference kernel equals the typed forward pass', () => {
  it('on random shapes: hidden widths across tile edges, batch sizes across chunk edges', () => {
    const widths = fc.oneof(
      fc.integer({ min: 1, max: 40 }),
      fc.constantFrom(10, 12, 13, 16, 17, 32, 33, 128),
    );
    fc.assert(
      fc.property(
        widths,
        examplesArb(0, 6, 120),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0.05, 0.5, 2),
        (H, ex, seed, scale) => agrees(randomParams(H, seed, scale), ex),
      ),
      { numRuns: runs(80) },
    );
  }, 120_000);

  it('on batches larger than the image window (float32 chunks of 256, bytes of 1,024)', () => {
    fc.assert(
      fc.property(
        examplesArb(250, 300, 30),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (ex, H, seed) => agrees(randomParams(H, seed), ex),
      ),
      { numRuns: runs(4) },
    );
  }, 120_000);

  it('at width 4096 (256 tiles)', () => {
    const p = randomParams(4096, 7, 0.05);
    fc.assert(
      fc.property(examplesArb(1, 3, 150), (ex) => agrees(p, ex)),
      { numRuns: runs(3) },
    );
  }, 120_000);

  describe('on real MNIST test batches', () => {
    let test: Examples;
    beforeAll(async () => {
      test = (await mnistExamples()).test;
    }, 60_000);

    it('probabilities within tolerance, labels equal except near-ties', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 10_000 - 1 }),
          fc.integer({ min: 1, max: 200 }),
          fc.constantFrom(10, 32, 128),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          (from, m, H, seed) => {
            const count = Math.min(m, test.count - from);
            const ex: Examples = {
              pixels: test.pixels.subarray(from * 784, (from + count) * 784),
              labels: test.labels.subarray(from, from + count),
              count,
            };
            agrees(randomParams(H, seed, 0.1), ex);
          },
        ),
        { numRuns: runs(12) },
      );
    }, 120_000);

    it('all 10,000 images: the same labels and probabilities as the TypeScript reference', () => {
      const p = randomParams(10, 3, 0.1);
      const fast = predict(p, { uint8: test.pixels });
      const ref = referencePredictor(p)({ uint8: test.pixels });
      const { err, at } = maxRelErr(fast.probabilities, ref.probabilities, PROB_FLOOR);
      expect(err, `probability ${at}`).toBeLessThanOrEqual(TOL);
      const clear = clearWinners(p, test);
      let differ = 0;
      for (let j = 0; j < test.count; j++)
        if (clear[j] && fast.labels[j] !== ref.labels[j]) differ++;
      expect(differ).toBe(0);
    }, 120_000);
  });

  it('copies the weights once: changing params afterwards does not change its answers', () => {
    const p = randomParams(10, 5);
    const image = new Uint8Array(784).fill(200);
    const run = predictor(p);
    const before = run({ uint8: image }).probabilities.slice();
    p.W1.data.fill(0);
    expect(run({ uint8: image }).probabilities).toEqual(before);
    expect(new InferenceKernel(p).hidden).toBe(10);
  });

  it('refuses a length that is not a whole number of images; empty batches give empty answers', () => {
    const run = predictor(randomParams(3, 1));
    expect(() => run({ uint8: new Uint8Array(785) })).toThrow(/predict.*784.*785/);
    expect(run({ float32: [] })).toEqual({
      count: 0,
      probabilities: new Float32Array(0),
      labels: new Uint8Array(0),
    });
  });
});
