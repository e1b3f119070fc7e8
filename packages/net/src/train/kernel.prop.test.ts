import { oneHot, Rng } from '@mnist/tensor';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  columnsToRows,
  examplesArb,
  forward64,
  gatherExamples,
  maxRelErr,
  randomParams,
  runs,
  toParams64,
} from '../../test/reference.js';
import { predict } from '../model/predict.js';
import { backward } from '../network/backward.js';
import { forward } from '../network/forward.js';
import type { Params } from '../network/params.js';
import { type Examples, toTensors } from './examples.js';
import { Kernel, type TrainingKernel } from './kernel.js';
import { createKernel } from './loop.js';
import { wasmKernelAvailable } from './wasm/kernel.js';

/**
 * The fast kernels against the notes' reference (`forward`/`backward` over float32 tensors).
 * The JS kernel sums in float64, the reference in float32, so they agree to float32 precision.
 * Error measure: |a − b| / max(FLOOR, |a| + |b|). A float32 gradient is a sum of products whose
 * terms are much larger than a small result, so its error is a few ε32 (6e-8) of the terms'
 * size, ~1e-7 absolute: GRAD_FLOOR = 1e-4 judges gradients below that absolutely. Probabilities
 * are computed per value, so their error is relative (ε32 times |Z2|) and PROB_FLOOR is tiny.
 */
const GRAD_FLOOR = 1e-4;
/** Measured worst case over 3,000 runs: 4.4e-4 (a 1.7e-4 gradient off by 1.4e-7). */
const GRAD_TOL = 2e-3;
const PROB_FLOOR = 1e-6;
const TOL = 1e-3;

/** The reference's view of a batch: gradients, probabilities (row per example), loss, correct. */
function reference(p: Params, ex: Examples) {
  const { X, labels } = toTensors(ex);
  const cache = forward(p, X);
  const g = backward(p, cache, X, oneHot(labels, 10));
  const m = ex.count;
  const probs = columnsToRows(cache.A2.data, 10, m); // (m, 10)
  let loss = 0;
  let correct = 0;
  for (let j = 0; j < m; j++) {
    const row = probs.subarray(j * 10, j * 10 + 10);
    loss -= Math.log(row[ex.labels[j]!]!);
    if (argmax(row) === ex.labels[j]) correct++;
  }
  return { g, probs, loss, correct };
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c]! > row[best]!) best = c;
  return best;
}

/** The gap between the two largest probabilities of each example (float64 oracle). */
function minTopGap(p: Params, ex: Examples): number {
  const { A2 } = forward64(toParams64(p), ex.pixels, ex.labels, ex.count);
  let gap = Number.POSITIVE_INFINITY;
  for (let j = 0; j < ex.count; j++) {
    const row = Array.from(A2.subarray(j * 10, j * 10 + 10)).sort((a, b) => b - a);
    gap = Math.min(gap, row[0]! - row[1]!);
  }
  return gap;
}

/** A batch, parameters, and an order over the batch with a range [from, to) to step over. */
const caseArb = fc
  .record({
    H: fc.integer({ min: 1, max: 12 }),
    examples: examplesArb(1, 12, 80),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    scale: fc.constantFrom(0.05, 0.5, 2),
  })
  .chain((c) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: c.examples.count - 1 }),
        fc.integer({ min: 1, max: c.examples.count }),
      )
      .map(([a, b]) => ({ ...c, from: Math.min(a, b - 1), to: Math.max(a + 1, b) })),
  );

function checkKernelAgainstReference(
  kernel: (H: number) => TrainingKernel,
  tol: number,
  numRuns: number,
) {
  fc.assert(
    fc.property(caseArb, ({ H, examples, seed, scale, from, to }) => {
      const p = randomParams(H, seed, scale);
      const order = new Rng(seed).shuffle(
        Uint32Array.from({ length: examples.count }, (_, i) => i),
      );
      const batch = gatherExamples(examples, order.subarray(from, to));
      fc.pre(minTopGap(p, batch) > 1e-4); // a near-tie may be broken either way in float32

      const k = kernel(H);
      const stats = k.step(p, k.attach(examples), order, from, to);
      const ref = reference(p, batch);
      for (const [name, got, want] of [
        ['dW1', k.grads.dW1, ref.g.dW1.data],
        ['db1', k.grads.db1, ref.g.db1.data],
        ['dW2', k.grads.dW2, ref.g.dW2.data],
        ['db2', k.grads.db2, ref.g.db2.data],
      ] as const) {
        const { err, at } = maxRelErr(got, want, GRAD_FLOOR);
        expect(err, `${name}[${at}]: kernel ${got[at]}, reference ${want[at]}`).toBeLessThanOrEqual(
          tol,
        );
      }
      expect(stats.loss).toBeCloseTo(ref.loss, 3);
      expect(stats.correct).toBe(ref.correct);
    }),
    { numRuns },
  );
}

describe('Kernel (fused, sparse, float64) equals the reference forward/backward', () => {
  it('step: mean gradients, summed loss and correct count of order[from…to)', () => {
    checkKernelAgainstReference((H) => new Kernel(H), GRAD_TOL, runs(120));
  });

  it('step: the gradients depend only on the batch (no state left from an earlier step)', () => {
    fc.assert(
      fc.property(examplesArb(2, 6), examplesArb(1, 6), fc.integer(), (a, b, seed) => {
        const p = randomParams(4, seed);
        const k = new Kernel(4);
        const da = k.attach(a);
        const db = k.attach(b);
        const ordA = Uint32Array.from({ length: a.count }, (_, i) => i);
        const ordB = Uint32Array.from({ length: b.count }, (_, i) => i);
        const first = k.step(p, da, ordA, 0, a.count);
        const g1 = Float64Array.from(k.grads.dW1);
        const g2 = Float64Array.from(k.grads.db2);
        k.step(p, db, ordB, 0, b.count);
        const again = k.step(p, da, ordA, 0, a.count);
        expect(again).toEqual(first);
        expect(k.grads.dW1).toEqual(g1);
        expect(k.grads.db2).toEqual(g2);
      }),
      { numRuns: runs(30) },
    );
  });

  it('evaluate: probabilities, summed loss, correct count and confusion matrix', () => {
    fc.assert(
      fc.property(caseArb, ({ H, examples, seed, scale }) => {
        const p = randomParams(H, seed, scale);
        fc.pre(minTopGap(p, examples) > 1e-4);
        const ref = reference(p, examples);
        const k = new Kernel(H);
        const confusion = new Uint32Array(100);
        const stats = k.evaluate(p, k.attach(examples), confusion);
        expect(stats.loss).toBeCloseTo(ref.loss, 3);
        expect(stats.correct).toBe(ref.correct);
        const want = new Uint32Array(100);
        for (let j = 0; j < examples.count; j++) {
          want[examples.labels[j]! * 10 + argmax(ref.probs.subarray(j * 10, j * 10 + 10))]!++;
        }
        expect(Array.from(confusion)).toEqual(Array.from(want));

        // The kernel reports −log a2[y] per example, so labelling one image with each class in
        // turn reads out its whole probability row (m × 10, row per example).
        const probs = new Float64Array(examples.count * 10);
        for (let j = 0; j < examples.count; j++) {
          const image = examples.pixels.subarray(j * 784, (j + 1) * 784);
          for (let c = 0; c < 10; c++) {
            const one = { pixels: image, labels: Uint8Array.of(c), count: 1 };
            probs[j * 10 + c] = Math.exp(-k.evaluate(p, k.attach(one), null).loss);
          }
        }
        const { err, at } = maxRelErr(probs, ref.probs, PROB_FLOOR);
        expect(
          err,
          `probability ${at}: kernel ${probs[at]}, forward ${ref.probs[at]}`,
        ).toBeLessThanOrEqual(TOL);
      }),
      { numRuns: runs(60) },
    );
  });
});

describe('predict() equals the reference forward pass', () => {
  it('for uint8 and float32 images: probabilities (row per image) and labels', () => {
    fc.assert(
      fc.property(caseArb, ({ H, examples, seed, scale }) => {
        const p = randomParams(H, seed, scale);
        fc.pre(minTopGap(p, examples) > 1e-4);
        const ref = reference(p, examples);
        const wantLabels = Array.from({ length: examples.count }, (_, j) =>
          argmax(ref.probs.subarray(j * 10, j * 10 + 10)),
        );
        const floats = Float32Array.from(examples.pixels, (v) => v / 255);
        for (const images of [
          { uint8: examples.pixels },
          { float32: floats },
          { float32: Array.from(floats) },
        ]) {
          const out = predict(p, images);
          expect(out.count).toBe(examples.count);
          const { err, at } = maxRelErr(out.probabilities, ref.probs, PROB_FLOOR);
          expect(
            err,
            `probability ${at}: predict ${out.probabilities[at]}, forward ${ref.probs[at]}`,
          ).toBeLessThanOrEqual(TOL);
          expect(Array.from(out.labels)).toEqual(wantLabels);
        }
      }),
      { numRuns: runs(60) },
    );
  });

  it('refuses a length that is not a whole number of images, saying how many values came', () => {
    const p = randomParams(3, 1);
    expect(() => predict(p, { uint8: new Uint8Array(785) })).toThrow(/predict.*784.*785/);
    expect(predict(p, { float32: [] }).count).toBe(0);
  });
});

// The WebAssembly kernel (float32 SIMD sums, split over threads) must agree as well. Its sums
// are float32, so the bound is that of the reference's: a few float32 ulps per term.
const wasm = wasmKernelAvailable();
describe.skipIf(!wasm)('WasmKernel equals the reference forward/backward', () => {
  const kernels = new Map<string, TrainingKernel>();
  const get = (H: number, threads: number) => {
    const key = `${H}/${threads}`;
    let k = kernels.get(key);
    if (!k) {
      k = createKernel({ hidden: H, kernel: 'wasm', threads });
      kernels.set(key, k);
    }
    return k;
  };
  afterAll(() => {
    for (const k of kernels.values()) k.dispose();
  });

  it('step on one thread', () => {
    checkKernelAgainstReference((H) => get(H, 1), 4e-3, runs(40));
  });

  it('step on two threads (batches large enough to be split) equals the JS kernel', () => {
    fc.assert(
      fc.property(
        examplesArb(64, 100, 60),
        fc.integer({ min: 1, max: 9 }),
        fc.integer(),
        (ex, H, seed) => {
          const p = randomParams(H, seed);
          const order = new Rng(seed).shuffle(Uint32Array.from({ length: ex.count }, (_, i) => i));
          const js = new Kernel(H);
          const w = get(H, 2);
          const a = js.step(p, js.attach(ex), order, 0, ex.count);
          const b = w.step(p, w.attach(ex), order, 0, ex.count);
          for (const name of ['dW1', 'db1', 'dW2', 'db2'] as const) {
            const { err, at } = maxRelErr(w.grads[name], js.grads[name], GRAD_FLOOR);
            expect(
              err,
              `${name}[${at}]: wasm ${w.grads[name][at]}, js ${js.grads[name][at]}`,
            ).toBeLessThanOrEqual(4e-3);
          }
          expect(b.loss).toBeCloseTo(a.loss, 2);
          expect(Math.abs(b.correct - a.correct)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: runs(15) },
    );
  });
});
