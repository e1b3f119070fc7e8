import fc from 'fast-check';
import { describe, it } from 'vitest';
import { anyMatrix, dim, matrixFrom, pool } from '../../test/arbitraries.js';
import { asMatrix } from '../../test/helpers.js';
import { expectExact, gatherRef } from '../../test/reference.js';
import { columns, gatherColumns } from './columns.js';

describe('columns', () => {
  it('copies columns start..end-1', () => {
    // Two cut points in 0..C, in either order.
    const cut = fc.integer({ min: 0, max: 6 });
    const arb = fc.tuple(anyMatrix(), cut, cut).map(([a, i, j]) => {
      const C = a[0]!.length;
      return [a, Math.min(i, j, C), Math.min(Math.max(i, j), C)] as const;
    });
    fc.assert(
      fc.property(arb, ([a, start, end]) => {
        const range = Array.from({ length: end - start }, (_, k) => start + k);
        expectExact(columns(asMatrix(a), start, end, 'batch'), gatherRef(a, range));
      }),
    );
  });
});

describe('gatherColumns', () => {
  it('copies the columns at the indices, in their order (repeats allowed)', () => {
    const arb = fc
      .tuple(dim, dim, pool(), fc.array(fc.nat(5), { maxLength: 8 }))
      .map(([r, c, p, picks]) => [matrixFrom(r, c, p), picks.map((j) => j % c)] as const);
    fc.assert(
      fc.property(arb, ([a, indices]) => {
        expectExact(gatherColumns(asMatrix(a), indices, 'batch'), gatherRef(a, indices));
      }),
    );
  });
});
