import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rng } from '@mnist/tensor';
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
import { InferenceKernel, inferenceKernelAvailable, SPLIT_MIN } from './infer-kernel.js';
import {
  type Images,
  type Prediction,
  type Predictor,
  predict,
  predictor,
  referencePredictor,
} from './predict.js';

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
function agrees(p: Params, ex: Examples, run: (images: Images) => Prediction = predictor(p)): void {
  const want = typedForward(p, ex);
  const wantLabels = argmaxRows(want, ex.count);
  const clear = clearWinners(p, ex);
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

  it('on batches past the float32 window (512 images; bytes pass theirs, 2,048, on all of MNIST)', () => {
    fc.assert(
      fc.property(
        examplesArb(500, 600, 30),
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

/**
 * n images from `seed`: mostly sparse ink (each pixel non-zero with probability `ink`), with
 * empty and fully inked images mixed in, so that every chunk mask of the gather occurs.
 */
function seededImages(n: number, seed: number, ink: number): Examples {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const kind = rng.int(20); // 0: empty, 1: every pixel inked, else sparse
    for (let k = 0; k < 784; k++)
      if (kind === 1 || (kind > 1 && rng.next() < ink)) pixels[j * 784 + k] = 1 + rng.int(255);
    labels[j] = rng.int(10);
  }
  return { pixels, labels, count: n };
}

/**
 * `run(images)`, repeated until the helper thread took part in a call (it may be left out of a
 * call when the OS does not schedule it in time: then the caller runs every block).
 */
function shared(run: Predictor, images: Images): Prediction {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const got = run(images);
    if (run.lastThreads() === 2) return got;
  }
  throw new Error('the helper thread took no block in 1,000 calls');
}

describe.skipIf(!kernel)('large batches split across two threads', () => {
  const widths = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(10, 16, 17, 32, 128));

  it('agree with the typed forward pass: widths across tile edges, batches from SPLIT_MIN past the window', async () => {
    await fc.assert(
      fc.asyncProperty(
        widths,
        fc.integer({ min: SPLIT_MIN, max: SPLIT_MIN + 700 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0.05, 0.2, 0.6),
        async (H, n, seed, ink) => {
          const p = randomParams(H, seed, 0.1);
          const run = predictor(p);
          try {
            expect(await run.ready()).toBe(true);
            agrees(p, seededImages(n, seed, ink), (images) => shared(run, images));
          } finally {
            run.close();
          }
        },
      ),
      { numRuns: runs(6) },
    );
  }, 300_000);

  describe('on all 10,000 MNIST test images', () => {
    let test: Examples;
    beforeAll(async () => {
      test = (await mnistExamples()).test;
    }, 60_000);

    for (const H of [10, 32, 128]) {
      it(`H = ${H}: the TypeScript reference's probabilities and labels; the same bits as one thread, every time`, async () => {
        const p = randomParams(H, H, 0.1);
        const run = predictor(p);
        try {
          expect(await run.ready()).toBe(true);
          const images = { uint8: test.pixels };
          const split = shared(run, images);
          const ref = referencePredictor(p)(images);
          const { err, at } = maxRelErr(split.probabilities, ref.probabilities, PROB_FLOOR);
          expect(err, `probability ${at}`).toBeLessThanOrEqual(TOL);
          const clear = clearWinners(p, test);
          for (let j = 0; j < test.count; j++)
            if (clear[j]) expect(split.labels[j], `image ${j}`).toBe(ref.labels[j]);
          // Who runs an image never changes its answer: bit for bit as on one thread, and again.
          const one = predict(p, images);
          expect(split.probabilities).toEqual(one.probabilities);
          expect(split.labels).toEqual(one.labels);
          expect(run(images)).toEqual(split);
        } finally {
          run.close();
        }
      }, 120_000);
    }
  });

  it('the first large batch, small batches and single images run on the calling thread; close() keeps answers, on one thread', async () => {
    const p = randomParams(10, 9, 0.1);
    const ex = seededImages(SPLIT_MIN, 9, 0.2);
    const run = predictor(p);
    const first = run({ uint8: ex.pixels }); // a one-off large batch: no helper yet
    expect(run.lastThreads()).toBe(1);
    expect(await run.ready()).toBe(true);
    const whole = shared(run, { uint8: ex.pixels });
    expect(whole).toEqual(first);
    const small = run({ uint8: ex.pixels.subarray(0, (SPLIT_MIN - 1) * 784) });
    expect(run.lastThreads()).toBe(1);
    expect(small.probabilities).toEqual(whole.probabilities.subarray(0, (SPLIT_MIN - 1) * 10));
    const single = run({ uint8: ex.pixels.subarray(784 * 5, 784 * 6) });
    expect(single.probabilities).toEqual(whole.probabilities.subarray(50, 60));
    run.close();
    expect(await run.ready()).toBe(false);
    expect(run({ uint8: ex.pixels })).toEqual(whole);
    expect(run.lastThreads()).toBe(1);
  }, 120_000);

  it('threads: 1 never starts the helper; other thread counts are refused', async () => {
    const p = randomParams(10, 4, 0.1);
    const ex = seededImages(SPLIT_MIN, 4, 0.2);
    const run = predictor(p, { threads: 1 });
    expect(await run.ready()).toBe(false);
    for (let i = 0; i < 3; i++) {
      expect(run({ uint8: ex.pixels })).toEqual(predict(p, { uint8: ex.pixels }));
      expect(run.lastThreads()).toBe(1);
    }
    expect(() => predictor(p, { threads: 3 as 2 })).toThrow(/predictor.*threads 1 or 2.*3/);
  });

  describe('the helper thread never keeps the process alive', () => {
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    it('a script whose batch the helper shared, without close(), exits by itself', () => {
      const script = `
        const { predictor, initParams } = await import(${JSON.stringify(dist)});
        const { Rng } = await import('@mnist/tensor');
        const run = predictor(initParams(10, 'he', new Rng(1)));
        await run.ready();
        let threads = 1;
        for (let i = 0; i < 1000 && threads !== 2; i++) {
          run({ uint8: new Uint8Array(${SPLIT_MIN} * 784).fill(7) });
          threads = run.lastThreads();
        }
        console.log(threads);`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(out.trim()).toBe('2');
    }, 90_000);
  });
});
