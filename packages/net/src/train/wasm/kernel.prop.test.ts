import { Rng } from '@mnist/tensor';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { initParams } from '../../network/params.js';
import type { Examples } from '../examples.js';
import { Kernel } from '../kernel.js';
import { WasmKernel } from './kernel.js';

/** Random MNIST-like examples: mostly zero pixels, the rest bytes. */
function examples(seed: number, count: number, density: number): Examples {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < pixels.length; i++) if (rng.next() < density) pixels[i] = 1 + rng.int(255);
  const labels = Uint8Array.from({ length: count }, () => rng.int(10));
  return { pixels, labels, count };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / Math.max(1e-3, Math.abs(a[i]!) + Math.abs(b[i]!));
    worst = Math.max(worst, d);
  }
  expect(worst, `relative difference ${worst}`).toBeLessThan(tol);
};

const kernels: WasmKernel[] = [];
const wasm = (hidden: number, threads: number) => {
  const k = new WasmKernel(hidden, threads);
  kernels.push(k);
  return k;
};
afterAll(() => {
  for (const k of kernels) k.dispose();
});

describe('WasmKernel', () => {
  it('gives the reference kernel’s gradients, loss and counts (1 and 2 threads)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 150 }),
        fc.constantFrom(1, 2),
        fc.integer({ min: 0, max: 1e6 }),
        (hidden, count, threads, seed) => {
          const ex = examples(seed, count, 0.2);
          const p = initParams(hidden, 'he', new Rng(seed + 1));
          const order = new Rng(seed + 2).shuffle(Uint32Array.from({ length: count }, (_, i) => i));
          const js = new Kernel(hidden);
          const w = wasm(hidden, threads);
          const a = js.step(p, js.attach(ex), order, 0, count);
          const b = w.step(p, w.attach(ex), order, 0, count);
          expect(b.correct).toBe(a.correct);
          expect(b.loss).toBeCloseTo(a.loss, 2);
          close(w.grads.dW1, js.grads.dW1, 1e-3);
          close(w.grads.db1, js.grads.db1, 1e-3);
          close(w.grads.dW2, js.grads.dW2, 1e-3);
          close(w.grads.db2, js.grads.db2, 1e-3);
          const ca = new Uint32Array(100);
          const cb = new Uint32Array(100);
          const ea = js.evaluate(p, js.attach(ex), ca);
          const eb = w.evaluate(p, w.attach(ex), cb);
          expect(eb.correct).toBe(ea.correct);
          expect(Array.from(cb)).toEqual(Array.from(ca));
          w.dispose();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is deterministic for a given thread count', () => {
    const ex = examples(7, 300, 0.2);
    const p = initParams(12, 'uniform', new Rng(3));
    const order = Uint32Array.from({ length: 300 }, (_, i) => i);
    const runs = [wasm(12, 2), wasm(12, 2)].map((k) => {
      k.step(p, k.attach(ex), order, 0, 300);
      return Array.from(k.grads.dW1);
    });
    expect(runs[1]).toEqual(runs[0]);
  });

  it('takes a batch from the middle of a shuffled order', () => {
    const ex = examples(9, 200, 0.25);
    const p = initParams(10, 'he', new Rng(5));
    const order = new Rng(4).shuffle(Uint32Array.from({ length: 200 }, (_, i) => i));
    const js = new Kernel(10);
    const w = wasm(10, 2);
    const a = js.step(p, js.attach(ex), order, 64, 192);
    const b = w.step(p, w.attach(ex), order, 64, 192);
    expect(b.correct).toBe(a.correct);
    close(w.grads.dW1, js.grads.dW1, 1e-3);
  });
});
