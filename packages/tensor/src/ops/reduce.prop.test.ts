import fc from 'fast-check';
import { describe, it } from 'vitest';
import { anyMatrix, withAxis } from '../../test/arbitraries.js';
import { asMatrix, asTensor } from '../../test/helpers.js';
import { argmaxOf, expectClose, mapRef, maxOf, reduceRef, sumOf } from '../../test/reference.js';
import { ones } from '../create.js';
import type { Tensor } from '../tensor.js';
import { matmul } from './matmul.js';
import { argmax, max, sum } from './reduce.js';

/** The reductions as a plain-JS caller sees them: any tensor, any axis. */
type Reduction = (t: Tensor, axis: number, options?: { keepDims?: boolean }) => Tensor;

const reductions = [
  { name: 'sum', op: sum as unknown as Reduction, f: sumOf, exact: false },
  { name: 'max', op: max as unknown as Reduction, f: maxOf, exact: true },
  { name: 'argmax', op: argmax as unknown as Reduction, f: argmaxOf, exact: true },
];

describe.each(reductions)('$name', ({ op, f, exact }) => {
  it('equals the reference over each axis of rank 1–3, with and without keepDims', () => {
    fc.assert(
      fc.property(withAxis(), fc.boolean(), ({ x, axis }, keepDims) => {
        const got = op(asTensor(x), axis, { keepDims });
        const want = reduceRef(x, axis, keepDims, f);
        // A sum is accumulated in float64 and rounded once: relative to Σ|x|.
        const scale = reduceRef(mapRef(x, Math.abs), axis, keepDims, sumOf);
        expectClose(got, want, exact ? { rel: 0, abs: 0 } : { scale });
      }),
    );
  });
});

describe('sum', () => {
  it('over axis 1 equals matmul by a column of ones', () => {
    fc.assert(
      fc.property(anyMatrix(), (a) => {
        const A = asMatrix(a);
        const column = ones(['c', 1], { c: A.shape[1]! });
        const scale = a.map((row) => [sumOf(row.map(Math.abs))]);
        expectClose(sum(A, 1, { keepDims: true }), matmul(A, column).toArray(), {
          rel: (a[0]!.length + 1) * 2 ** -22,
          scale,
        });
      }),
    );
  });
});
