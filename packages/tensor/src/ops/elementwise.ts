import { check, pair } from '../errors.js';
import type { Dim, FormatShape, Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { result, sameShape } from './out.js';

type BroadcastError<
  Op extends string,
  Sign extends string,
  A extends Shape,
  B extends Shape,
> = `${Op}: shapes differ (${FormatShape<A>} ${Sign} ${FormatShape<B>}); the second must equal the first or be a column [${A extends readonly [infer R extends Dim, ...Shape] ? R : 'R'}, 1]`;

type SameShape<Op extends string, Sign extends string, A extends Shape, B extends Shape> = [
  A,
] extends [B]
  ? [B] extends [A]
    ? unknown
    : BroadcastError<Op, Sign, A, B>
  : BroadcastError<Op, Sign, A, B>;

/**
 * `unknown` when B equals A, or B is a column `[R, 1]` and A is `[R, C]` (the bias broadcast);
 * otherwise the error text. Written with two-sided `[X] extends [Y]` tests on single dims so
 * that generic dims (`H`, `M`) compare equal to themselves.
 */
export type BroadcastOk<
  Op extends string,
  Sign extends string,
  A extends Shape,
  B extends Shape,
> = [A['length'], B['length']] extends [2, 2]
  ? [B[1]] extends [1]
    ? [A[0]] extends [B[0]]
      ? [B[0]] extends [A[0]]
        ? unknown
        : BroadcastError<Op, Sign, A, B>
      : BroadcastError<Op, Sign, A, B>
    : SameShape<Op, Sign, A, B>
  : SameShape<Op, Sign, A, B>;

type Kernel = (x: number, y: number) => number;

function elementwise<A extends Shape>(
  op: string,
  sign: string,
  a: Tensor<A>,
  b: Tensor,
  out: Tensor<A> | undefined,
  f: Kernel,
): Tensor<A> {
  const o = result(op, a.shape, a.names, out);
  const x = a.data;
  const y = b.data;
  const z = o.data;
  if (sameShape(a, b)) {
    for (let i = 0; i < z.length; i++) z[i] = f(x[i]!, y[i]!);
    return o;
  }
  const column = a.rank === 2 && b.rank === 2 && b.shape[1] === 1 && b.shape[0] === a.shape[0];
  check(
    column,
    op,
    () =>
      `shapes differ ${pair(a.dims, b.dims, sign)}; the second must equal the first or be a column [${a.dims[0] ?? 'R'}, 1]`,
    [a.dims, b.dims],
  );
  const [R, C] = a.shape as [number, number];
  for (let i = 0; i < R; i++) {
    const yi = y[i]!;
    for (let j = i * C, end = j + C; j < end; j++) z[j] = f(x[j]!, yi);
  }
  return o;
}

/** `A + B`, element-wise; `B` may be a column `[R, 1]` added to every column of `A` (a bias). */
export function add<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: Tensor<B> & BroadcastOk<'add', '+', A, B>,
  out?: Tensor<A>,
): Tensor<A> {
  return elementwise('add', '+', a, b, out, (x, y) => x + y);
}

/** `A − B`, element-wise, with the same column broadcast as `add`. */
export function sub<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: Tensor<B> & BroadcastOk<'sub', '-', A, B>,
  out?: Tensor<A>,
): Tensor<A> {
  return elementwise('sub', '-', a, b, out, (x, y) => x - y);
}

/** `A ∗ B`, the element-wise (Hadamard) product, with the same column broadcast as `add`. */
export function mul<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: Tensor<B> & BroadcastOk<'mul', '*', A, B>,
  out?: Tensor<A>,
): Tensor<A> {
  return elementwise('mul', '*', a, b, out, (x, y) => x * y);
}

/** `A / B`, element-wise, with the same column broadcast as `add`. */
export function div<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: Tensor<B> & BroadcastOk<'div', '/', A, B>,
  out?: Tensor<A>,
): Tensor<A> {
  return elementwise('div', '/', a, b, out, (x, y) => x / y);
}
