import { check } from '../errors.js';
import { formatShape, type LiteralShape, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { result } from './out.js';
import type { NotMatrixError } from './transpose.js';

/**
 * Columns `start` (inclusive) to `end` (exclusive) of a matrix: a mini-batch of examples. The
 * result has its own named dim, since its size is not the source's:
 * `columns(X, 0, 128, 'batch')` is a `Tensor<[784, 'batch']>`. Copies.
 */
export function columns<A extends Shape, const N extends string>(
  input: [A['length']] extends [2] ? Tensor<A> : NotMatrixError<'columns', A>,
  start: number,
  end: number,
  name: N & LiteralShape<'columns', [N]>,
  out?: Tensor<[A[0], N]>,
): Tensor<[A[0], N]> {
  const a = input as unknown as Tensor<A>;
  check(a.rank === 2, 'columns', () => `expects a matrix, got ${formatShape(a.dims)}`, [a.dims]);
  const [R, C] = a.shape as [number, number];
  check(
    Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= C,
    'columns',
    () => `range ${start}..${end} is not within 0..${C} (the columns of ${formatShape(a.dims)})`,
    [a.dims],
  );
  const n = end - start;
  const o = result('columns', [R, n], [a.names[0]!, name], out);
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < R; i++) o.data.set(a.data.subarray(i * C + start, i * C + end), i * n);
  return o;
}

/**
 * The columns at `indices`, in that order: a shuffled mini-batch.
 * `gatherColumns(X, idx, 'batch')` is a `Tensor<[784, 'batch']>` with `idx.length` columns.
 */
export function gatherColumns<A extends Shape, const N extends string>(
  input: [A['length']] extends [2] ? Tensor<A> : NotMatrixError<'gatherColumns', A>,
  indices: ArrayLike<number>,
  name: N & LiteralShape<'gatherColumns', [N]>,
  out?: Tensor<[A[0], N]>,
): Tensor<[A[0], N]> {
  const a = input as unknown as Tensor<A>;
  check(a.rank === 2, 'gatherColumns', () => `expects a matrix, got ${formatShape(a.dims)}`, [
    a.dims,
  ]);
  const [R, C] = a.shape as [number, number];
  const n = indices.length;
  for (let j = 0; j < n; j++) {
    const c = indices[j]!;
    check(
      Number.isInteger(c) && c >= 0 && c < C,
      'gatherColumns',
      () => `index ${c} (position ${j}) is not a column of ${formatShape(a.dims)}`,
      [a.dims],
    );
  }
  const o = result('gatherColumns', [R, n], [a.names[0]!, name], out);
  const x = a.data;
  const z = o.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < R; i++) {
    const row = i * C;
    const dst = i * n;
    // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
    for (let j = 0; j < n; j++) z[dst + j] = x[row + indices[j]!]!;
  }
  return o;
}
