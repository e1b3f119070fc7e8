import fc from 'fast-check';
import { describe, it } from 'vitest';
import { dim, matrixFrom, nonZero, pool } from '../../test/arbitraries.js';
import { expectClose, expectExact, raw, tileColumn, zipRef } from '../../test/reference.js';
import { bind } from '../create.js';
import { add, div, mul, sub } from './elementwise.js';

/** Each op with its definition; `div` draws its divisors away from zero. */
const ops = [
  { name: 'add', op: add, f: (x: number, y: number) => x + y, second: undefined },
  { name: 'sub', op: sub, f: (x: number, y: number) => x - y, second: undefined },
  { name: 'mul', op: mul, f: (x: number, y: number) => x * y, second: undefined },
  { name: 'div', op: div, f: (x: number, y: number) => x / y, second: nonZero },
] as const;

describe.each(ops)('$name', ({ op, f, second }) => {
  it('equals the element-wise reference on equal shapes', () => {
    const arb = fc
      .tuple(dim, dim, pool(), pool(second))
      .map(([r, c, p, q]) => [matrixFrom(r, c, p), matrixFrom(r, c, q)] as const);
    fc.assert(
      fc.property(arb, ([a, b]) => {
        const { A, B } = bind({ A: ['r', 'c'], B: ['r', 'c'] }, { A: raw(a), B: raw(b) });
        expectClose(op(A, B), zipRef(a, b, f));
      }),
    );
  });

  it('broadcasts a column [R, 1] over every column, as explicit tiling does', () => {
    const arb = fc
      .tuple(dim, dim, pool(), pool(second))
      .map(([r, c, p, q]) => [matrixFrom(r, c, p), matrixFrom(r, 1, q)] as const);
    fc.assert(
      fc.property(arb, ([a, b]) => {
        const cols = a[0]!.length;
        const {
          A,
          b: bias,
          T,
        } = bind(
          { A: ['r', 'c'], b: ['r', 1], T: ['r', 'c'] },
          { A: raw(a), b: raw(b), T: raw(tileColumn(b, cols)) },
        );
        const broadcast = op(A, bias);
        expectClose(broadcast, zipRef(a, b, f));
        expectExact(broadcast, op(A, T).toArray());
      }),
    );
  });
});
