import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyNested, dim, matrixFrom, pool, value } from '../../test/arbitraries.js';
import { asTensor } from '../../test/helpers.js';
import { expectClose, mapRef, raw, zipRef } from '../../test/reference.js';
import { bind, clone } from '../create.js';
import { addScalar, axpy, scale } from './scalar.js';

describe('scale and addScalar', () => {
  it('scale multiplies every element', () => {
    fc.assert(
      fc.property(anyNested(1, 3), value, (x, s) => {
        expectClose(
          scale(asTensor(x), s),
          mapRef(x, (v) => v * s),
        );
      }),
    );
  });

  it('addScalar adds to every element', () => {
    fc.assert(
      fc.property(anyNested(1, 3), value, (x, s) => {
        expectClose(
          addScalar(asTensor(x), s),
          mapRef(x, (v) => v + s),
        );
      }),
    );
  });
});

describe('axpy', () => {
  it('updates A in place to A − αG and returns it', () => {
    const arb = fc
      .tuple(dim, dim, pool(), pool(), value)
      .map(([r, c, p, q, alpha]) => [matrixFrom(r, c, p), matrixFrom(r, c, q), alpha] as const);
    fc.assert(
      fc.property(arb, ([a, g, alpha]) => {
        const { A, G } = bind({ A: ['r', 'c'], G: ['r', 'c'] }, { A: raw(a), G: raw(g) });
        const before = clone(G);
        const r = axpy(A, alpha, G);
        expect(r).toBe(A);
        // |x − αy| rounded once from a double that is itself exact up to 2⁻⁵³.
        expectClose(
          A,
          zipRef(a, g, (x, y) => x - alpha * y),
          {
            scale: zipRef(a, g, (x, y) => Math.abs(x) + Math.abs(alpha * y)),
          },
        );
        expect(G.data).toEqual(before.data);
      }),
    );
  });
});
