import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyMatrix, dim, matrixFrom, pool, withAxis } from '../../test/arbitraries.js';
import { asMatrix, asTensor } from '../../test/helpers.js';
import {
  expectClose,
  expectExact,
  type Mat,
  raw,
  softmaxRef,
  transposeRef,
} from '../../test/reference.js';
import { bind } from '../create.js';
import type { Tensor } from '../tensor.js';
import { sum } from './reduce.js';
import { softmax } from './softmax.js';

/** softmax as a plain-JS caller sees it: any tensor, any axis. */
const softmaxAny = softmax as unknown as (t: Tensor, axis: number) => Tensor;

/** A few float32 roundings of values in [0, 1]. */
const TOL = { rel: 2 ** -20, abs: 2 ** -24 };

describe('softmax', () => {
  it('equals exp(x) / Σ exp(x) over each axis of rank 1–3', () => {
    fc.assert(
      fc.property(withAxis(), ({ x, axis }) => {
        expectClose(softmaxAny(asTensor(x), axis), softmaxRef(x, axis), TOL);
      }),
    );
  });

  it('makes every column of a matrix sum to 1 (axis 0)', () => {
    fc.assert(
      fc.property(anyMatrix(), (a) => {
        const A = softmax(asMatrix(a), 0);
        const totals = sum(A, 0);
        expectClose(totals, new Array(a[0]!.length).fill(1), { rel: 0, abs: a.length * 2 ** -22 });
      }),
    );
  });

  it('is invariant to adding a constant to each column', () => {
    // Values on a 2⁻¹⁰ grid and integer shifts, so that x + s is exact in float32: then the
    // kernel's x − max is the same double for both, and the results agree to the bit.
    const grid = fc.integer({ min: -8192, max: 8192 }).map((i) => i / 1024);
    const shift = fc.integer({ min: -1000, max: 1000 });
    const arb = fc
      .tuple(dim, dim, pool(grid), fc.array(shift, { minLength: 6, maxLength: 6 }))
      .map(([r, c, p, shifts]) => [matrixFrom(r, c, p), shifts] as const);
    fc.assert(
      fc.property(arb, ([a, shifts]) => {
        const shifted: Mat = a.map((row) => row.map((v, j) => v + shifts[j]!));
        const { A, S } = bind({ A: ['r', 'c'], S: ['r', 'c'] }, { A: raw(a), S: raw(shifted) });
        const P = softmax(A, 0);
        expectExact(softmax(S, 0), P.toArray());
        expectClose(P, softmaxRef(a, 0), TOL);
      }),
    );
  });

  it('is finite for large inputs (1000, −1000): the max is subtracted first', () => {
    const big = fc.constantFrom(1000, -1000, 88.8, -88.8, 3.4e38, -3.4e38, 0);
    const arb = anyMatrix(big);
    fc.assert(
      fc.property(arb, (a) => {
        const A = softmax(asMatrix(a), 0);
        expect(A.data.every(Number.isFinite)).toBe(true);
        expectClose(sum(A, 0), new Array(a[0]!.length).fill(1), {
          rel: 0,
          abs: a.length * 2 ** -22,
        });
        // Each column puts all its mass on its maxima, shared equally.
        const columns = transposeRef(a);
        columns.forEach((col, j) => {
          const m = Math.max(...col);
          const ties = col.filter((v) => v === m).length;
          col.forEach((v, i) => {
            if (v === m) expect(A.get(i, j)).toBeCloseTo(1 / ties, 6);
          });
        });
      }),
    );
  });
});
