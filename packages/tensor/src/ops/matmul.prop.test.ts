import fc from 'fast-check';
import { describe, it } from 'vitest';
import { dim, matrixFrom, pool } from '../../test/arbitraries.js';
import { expectClose, F32, type Mat, matmulRef, raw, transposeRef } from '../../test/reference.js';
import { bind } from '../create.js';
import { matmul } from './matmul.js';
import { transpose } from './transpose.js';

/** `[r, k]` and `[k, c]`: shapes first, then data. */
const pairArb = fc
  .tuple(dim, dim, dim, pool(), pool())
  .map(([r, k, c, p, q]) => [matrixFrom(r, k, p), matrixFrom(k, c, q)] as const);

const abs = (a: Mat): Mat => a.map((row) => row.map(Math.abs));

/** float32 accumulation over k terms: k roundings, each relative to Σ|aᵢₖ bₖⱼ|. */
const tolerance = (a: Mat, b: Mat) => ({ rel: b.length * F32, scale: matmulRef(abs(a), abs(b)) });

function bindPair(a: Mat, b: Mat) {
  return bind({ A: ['r', 'k'], B: ['k', 'c'] }, { A: raw(a), B: raw(b) });
}

describe('matmul', () => {
  it('equals the triple-loop product', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const { A, B } = bindPair(a, b);
        expectClose(matmul(A, B), matmulRef(a, b), tolerance(a, b));
      }),
    );
  });

  it('(AB)ᵀ = BᵀAᵀ', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const { A, B } = bindPair(a, b);
        const left = transpose(matmul(A, B));
        const right = matmul(transpose(B), transpose(A));
        expectClose(left, right.toArray(), {
          rel: b.length * F32,
          scale: transposeRef(tolerance(a, b).scale),
        });
      }),
    );
  });
});
