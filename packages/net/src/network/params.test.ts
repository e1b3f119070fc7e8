import { Rng } from '@mnist/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hiddenWidth, initParams, type Params } from './params.js';

/** `n` draws of `draw` from a generator of its own: the stream initParams must consume in order. */
const draws = (rng: Rng, n: number, draw: (r: Rng) => number): Float32Array =>
  Float32Array.from({ length: n }, () => draw(rng));

/** The notes' shapes, with the hidden width named h. */
function expectNotesDims(p: Params<'h'>): void {
  expect([p.W1.dims, p.b1.dims, p.W2.dims, p.b2.dims]).toEqual([
    ['h', 784],
    ['h', 1],
    [10, 'h'],
    [10, 1],
  ]);
}

describe('initParams: the two ways weights start', () => {
  it("'uniform' (the notes): W1, b1, W2, b2 each uniform in [−0.5, 0.5), drawn in that order", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 40 }), (seed, h) => {
        const p = initParams(h, 'uniform', new Rng(seed));
        const ref = new Rng(seed);
        const u = (n: number) => draws(ref, n, (r) => r.uniform(-0.5, 0.5));
        expect(p.W1.data).toEqual(u(h * 784));
        expect(p.b1.data).toEqual(u(h));
        expect(p.W2.data).toEqual(u(10 * h));
        expect(p.b2.data).toEqual(u(10));
        expectNotesDims(p);
      }),
      { numRuns: 20 },
    );
  });

  it("'he': weights normal with std √(2 / fan-in) (784 for W1, h for W2), biases 0", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 40 }), (seed, h) => {
        const p = initParams(h, 'he', new Rng(seed));
        const ref = new Rng(seed);
        expect(p.W1.data).toEqual(draws(ref, h * 784, (r) => Math.sqrt(2 / 784) * r.normal()));
        expect(p.W2.data).toEqual(draws(ref, 10 * h, (r) => Math.sqrt(2 / h) * r.normal()));
        expect(p.b1.data).toEqual(new Float32Array(h));
        expect(p.b2.data).toEqual(new Float32Array(10));
        expectNotesDims(p);
      }),
      { numRuns: 20 },
    );
  });

  it('hiddenWidth reads h back', () => {
    for (const h of [1, 10, 32, 128]) expect(hiddenWidth(initParams(h, 'he', new Rng(h)))).toBe(h);
  });
});
