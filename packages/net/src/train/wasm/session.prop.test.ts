import { oneHot, Rng } from '@mnist/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistExamples } from '../../../test/mnist.js';
import {
  copyParams,
  examplesArb,
  gatherExamples,
  randomParams,
  runs,
} from '../../../test/reference.js';
import { backward } from '../../network/backward.js';
import { forward } from '../../network/forward.js';
import type { Params } from '../../network/params.js';
import { type Examples, sliceExamples, sparsePixels, toTensors } from '../examples.js';
import type { FlatGradients } from '../kernel.js';
import { Optimizer, type OptimizerName } from '../optimizer.js';
import { attachData, STAGE_BYTES } from './data.js';
import { MIN_PER_PART, WasmKernel, wasmKernelAvailable } from './kernel.js';
import { D_INDEX, D_START, D_VALUE } from './layout.js';

/**
 * The fused wasm session (resident weights, forward + backward + update per step, in float32 on
 * one or two threads) against the notes' typed reference: `forward`/`backward` over the batch
 * as tensors, then the JS `Optimizer`, step after step.
 */
const kernels: WasmKernel[] = [];
const kernel = (H: number, threads: number) => {
  const k = new WasmKernel(H, threads);
  kernels.push(k);
  return k;
};
afterAll(() => {
  for (const k of kernels) k.dispose();
});

/** The reference step: mean gradients of the batch by the notes' equations, as float64 arrays. */
function referenceGradients(p: Params, batch: Examples): FlatGradients {
  const { X, labels } = toTensors(batch);
  const g = backward(p, forward(p, X), X, oneHot(labels, 10));
  return {
    dW1: Float64Array.from(g.dW1.data),
    db1: Float64Array.from(g.db1.data),
    dW2: Float64Array.from(g.dW2.data),
    db2: Float64Array.from(g.db2.data),
  };
}

/** Largest |a − b| over the four parameters. */
function maxAbsDiff(a: Params, b: Params): { diff: number; where: string } {
  let diff = 0;
  let where = '';
  for (const name of ['W1', 'b1', 'W2', 'b2'] as const) {
    const x = a[name].data;
    const y = b[name].data;
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i]! - y[i]!);
      if (d > diff) {
        diff = d;
        where = `${name}[${i}]: ${x[i]} vs ${y[i]}`;
      }
    }
  }
  return { diff, where };
}

interface Case {
  readonly H: number;
  readonly threads: number;
  readonly optimizer: OptimizerName;
  readonly batch: number;
  readonly steps: number;
  readonly seed: number;
}

/**
 * Runs `steps` steps of `batch` examples (consecutive batches of a shuffled order) on the wasm
 * session and on the reference; returns both final weights.
 */
function both(c: Case, ex: Examples, alpha: number) {
  const p0 = randomParams(c.H, c.seed, 0.1);
  const order = new Rng(c.seed).shuffle(Uint32Array.from({ length: ex.count }, (_, i) => i));
  const k = kernel(c.H, c.threads);
  const session = k.openSession(copyParams(p0), { name: c.optimizer });
  const data = k.attach(ex);
  session.reorder(order);
  const ref = copyParams(p0);
  const optimizer = new Optimizer(ref, { name: c.optimizer });
  for (let s = 0; s < c.steps; s++) {
    const from = (s * c.batch) % ex.count;
    const to = Math.min(ex.count, from + c.batch);
    session.step(data, from, to, alpha);
    const g = referenceGradients(ref, gatherExamples(ex, order.subarray(from, to)));
    optimizer.apply(ref, g, alpha);
  }
  const got = session.params();
  k.dispose();
  return { got, ref };
}

const wasm = wasmKernelAvailable();

describe.skipIf(!wasm)('wasm session: fused steps equal forward/backward + Optimizer', () => {
  it('on random shapes, hidden widths, batch sizes, rules and 1 or 2 threads', () => {
    fc.assert(
      fc.property(
        fc.record({
          H: fc.integer({ min: 1, max: 40 }),
          threads: fc.constantFrom(1, 2),
          optimizer: fc.constantFrom<OptimizerName>('sgd', 'momentum', 'adam'),
          batch: fc.integer({ min: 1, max: 90 }),
          steps: fc.integer({ min: 1, max: 3 }),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        examplesArb(1, 90, 60),
        (c, ex) => {
          // Adam divides by √v: a float32 gradient that differs in its last bits moves a weight
          // by up to α in either direction where the gradient is ~0, so α is small there.
          const alpha = c.optimizer === 'adam' ? 1e-4 : 0.1;
          const { got, ref } = both(c, ex, alpha);
          const { diff, where } = maxAbsDiff(got, ref);
          expect(diff, where).toBeLessThanOrEqual(c.optimizer === 'adam' ? 2e-4 * c.steps : 1e-5);
        },
      ),
      { numRuns: runs(40) },
    );
  });

  let mnist: Examples;
  beforeAll(async () => {
    mnist = sliceExamples((await mnistExamples()).train, 0, 2000);
  });

  it('on real MNIST batches of 32, 64, 128 and 256, two threads, each rule', () => {
    for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
      for (const batch of [32, 64, 128, 256]) {
        const c = { H: 10, threads: 2, optimizer, batch, steps: 5, seed: batch };
        const alpha = optimizer === 'adam' ? 1e-3 : 0.1;
        const { got, ref } = both(c, mnist, alpha);
        const { diff, where } = maxAbsDiff(got, ref);
        expect(diff, `${optimizer}, batch ${batch}: ${where}`).toBeLessThanOrEqual(
          optimizer === 'adam' ? 2e-3 : 2e-5,
        );
      }
    }
  });

  // Every code path of the W1 products (blocks of 16, the 12-lane block, blocks of 4) and of
  // the sliced update, on one and on two threads: H = 10 → 12 lanes, 32 → 2 × 16, 128 → 8 × 16.
  const paths = [10, 32, 128].flatMap((H) => [1, 2].map((threads) => ({ H, threads })));

  it.each(paths)(
    'on a full batch of real MNIST (the notes’ iteration), hidden $H, $threads thread(s)',
    ({ H, threads }) => {
      const few = sliceExamples(mnist, 0, 400);
      const c = { H, threads, optimizer: 'sgd' as const, batch: 400, steps: 3, seed: H };
      const { got, ref } = both(c, few, 0.1);
      const { diff, where } = maxAbsDiff(got, ref);
      expect(diff, `H ${H}: ${where}`).toBeLessThanOrEqual(2e-5);
    },
  );

  it.each(paths)(
    'on real MNIST batches of 32 and 100, SGD and Adam, hidden $H, $threads thread(s)',
    ({ H, threads }) => {
      for (const optimizer of ['sgd', 'adam'] as const) {
        for (const batch of [32, 100]) {
          const c = { H, threads, optimizer, batch, steps: 4, seed: batch + H };
          const alpha = optimizer === 'adam' ? 1e-3 : 0.1;
          const { got, ref } = both(c, mnist, alpha);
          const { diff, where } = maxAbsDiff(got, ref);
          expect(diff, `${optimizer}, batch ${batch}: ${where}`).toBeLessThanOrEqual(
            optimizer === 'adam' ? 2e-3 : 2e-5,
          );
        }
      }
    },
  );
});

describe.skipIf(!wasm)('wasm session: deterministic for a seed and a thread count', () => {
  const run = (threads: number, waitForHelpers: boolean, ex: Examples) => {
    const k = kernel(12, threads);
    if (waitForHelpers) expect(k.waitForHelpers()).toBe(threads - 1);
    const p = randomParams(12, 7, 0.1);
    const session = k.openSession(p, { name: 'adam' });
    const data = k.attach(ex);
    session.reorder(new Rng(3).shuffle(Uint32Array.from({ length: ex.count }, (_, i) => i)));
    for (let s = 0; s < 12; s++) session.step(data, (s * 50) % 300, ((s * 50) % 300) + 50, 1e-3);
    const out = session.params();
    k.dispose();
    return [out.W1, out.b1, out.W2, out.b2].map((t) => Array.from(t.data));
  };

  it('bit-identical weights on two runs, whichever thread ran each part', () => {
    const ex = fc.sample(examplesArb(300, 300, 60), { seed: 5, numRuns: 1 })[0]!;
    // The first run's first steps run before its helper has started (the caller takes its
    // part); the second waits for the helper. Same parts, same sums, same bits.
    const a = run(2, false, ex);
    const b = run(2, true, ex);
    expect(b).toEqual(a);
    expect(run(1, false, ex)).toEqual(run(1, false, ex));
  });

  it('ends its helper threads on dispose, also one disposed while its helpers still start', async () => {
    const early = new WasmKernel(10, 3);
    early.dispose(); // before the helpers are ready: they must still see the exit
    const late = new WasmKernel(10, 3);
    late.waitForHelpers();
    late.dispose();
    await Promise.all([early.helpersExited(), late.helpersExited()]);
  });

  it('cuts a batch into parts by its size and the thread count only', () => {
    const k = kernel(10, 2);
    const M = MIN_PER_PART;
    expect([1, 2 * M - 1, 2 * M, 2 * M + 1, 60_000].map((n) => k.partsFor(n))).toEqual([
      1, 1, 2, 2, 2,
    ]);
    expect(kernel(10, 1).partsFor(60_000)).toBe(1);
  });
});

describe.skipIf(!wasm)('wasm data: the kernel’s compressed rows equal sparsePixels', () => {
  it('for random images, all-zero and all-ink ones included', () => {
    fc.assert(
      fc.property(examplesArb(1, 40, 300), fc.boolean(), (ex, addExtremes) => {
        const images = addExtremes
          ? {
              pixels: Uint8Array.from([
                ...ex.pixels,
                ...new Uint8Array(784),
                ...new Uint8Array(784).fill(9),
              ]),
              labels: Uint8Array.from([...ex.labels, 0, 1]),
              count: ex.count + 2,
            }
          : ex;
        const k = kernel(4, 1);
        const header = attachData(k.heap, k.k, k.heap.alloc(STAGE_BYTES), images);
        const want = sparsePixels(images);
        const slot = (s: number) => k.heap.u32[(header >> 2) + s]!;
        const start = k.heap.u32.subarray(
          slot(D_START) >> 2,
          (slot(D_START) >> 2) + images.count + 1,
        );
        const nnz = start[images.count]!;
        expect(Array.from(start)).toEqual(Array.from(want.start));
        expect(
          Array.from(k.heap.u16.subarray(slot(D_INDEX) >> 1, (slot(D_INDEX) >> 1) + nnz)),
        ).toEqual(Array.from(want.index));
        expect(Array.from(k.heap.u8.subarray(slot(D_VALUE), slot(D_VALUE) + nnz))).toEqual(
          Array.from(want.value),
        );
        k.dispose();
      }),
      { numRuns: runs(30) },
    );
  });

  it('refuses pixels that are not count × 784, naming both', () => {
    const k = kernel(4, 1);
    expect(() =>
      k.attach({ pixels: new Uint8Array(785), labels: new Uint8Array(1), count: 1 }),
    ).toThrow(/expected 1 × 784 pixels, got 785/);
  });
});
