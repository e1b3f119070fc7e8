import { check } from '../errors.js';
import { type FormatShape, formatShape, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { result } from './out.js';

/** The compile-time text of an op that needs a matrix; the run-time error says the same. */
export type NotMatrixError<
  Op extends string,
  A extends Shape,
> = `${Op}: expects a matrix, got ${FormatShape<A>}`;

/** The transpose of a matrix: `[R, C]` becomes `[C, R]`. Copies. */
export function transpose<A extends Shape>(
  input: [A['length']] extends [2] ? Tensor<A> : NotMatrixError<'transpose', A>,
  out?: Tensor<[A[1], A[0]]>,
): Tensor<[A[1], A[0]]> {
  const a = input as unknown as Tensor<A>;
  check(a.rank === 2, 'transpose', () => `expects a matrix, got ${formatShape(a.dims)}`, [a.dims]);
  const [R, C] = a.shape as [number, number];
  const o = result('transpose', [C, R], [a.names[1]!, a.names[0]!], out);
  check(o.data !== a.data, 'transpose', () => 'out must not alias the input');
  const src = a.data;
  const dst = o.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) dst[j * R + i] = src[i * C + j]!;
  return o;
}
