import { check, pair } from '../errors.js';
import type { FormatShape, Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { dimAgrees, result, sameShape } from './out.js';

/** The compile-time text of a broadcast mismatch; the run-time ShapeError says the same. */
export type BroadcastError<
  Op extends string,
  Sign extends string,
  A extends Shape,
  B extends Shape,
> = `${Op}: shapes differ (${FormatShape<A>} ${Sign} ${FormatShape<B>}); the second must equal the first or be a column [${A['length'] extends 0 ? 'R' : A[0]}, 1]`;

/** The column `[R, 1]` that broadcasts over a matrix `[R, C]`; `never` for other ranks. */
export type ColumnOf<A extends Shape> = A extends readonly [infer R, infer _C]
  ? readonly [R, 1]
  : never;

/**
 * The shapes `B` may have against `A`: `A` itself, or its column `[R, 1]` (the bias
 * broadcast). Each op's `b` is checked with `[B] extends [Operand<A>]`, written inline so that
 * generic code that cannot be decided yet prints the message, not a helper's name. A type
 * parameter (`H`, `M`) matches only itself.
 */
export type BroadcastOperand<A extends Shape> = A | ColumnOf<A>;

type Kernel = (x: number, y: number) => number;

function elementwise<A extends Shape>(
  op: string,
  sign: string,
  a: Tensor<A>,
  operand: unknown,
  out: Tensor<A> | undefined,
  f: Kernel,
): Tensor<A> {
  const b = operand as Tensor;
  const o = result(op, a.shape, a.names, out);
  const x = a.data;
  const y = b.data;
  const z = o.data;
  if (sameShape(a, b)) {
    // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
    for (let i = 0; i < z.length; i++) z[i] = f(x[i]!, y[i]!);
    return o;
  }
  const column = a.rank === 2 && b.rank === 2 && b.shape[1] === 1 && dimAgrees(a, 0, b, 0);
  check(
    column,
    op,
    () =>
      `shapes differ ${pair(a.dims, b.dims, sign)}; the second must equal the first or be a column [${a.dims[0] ?? 'R'}, 1]`,
    [a.dims, b.dims],
  );
  const [R, C] = a.shape as [number, number];
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < R; i++) {
    const yi = y[i]!;
    for (let j = i * C, end = j + C; j < end; j++) z[j] = f(x[j]!, yi);
  }
  return o;
}

/** `A + B`, element-wise; `B` may be a column `[R, 1]` added to every column of `A` (a bias). */
export function add<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: [B] extends [BroadcastOperand<A>] ? Tensor<B> : BroadcastError<'add', '+', A, B>,
  out?: Tensor<A>,
): Tensor<A> {
  return elementwise('add', '+', a, b, out, (x, y) => x + y);
}

/** `A − B`, element-wise, with the same column broadcast as `add`. */
export function sub<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: [B] extends [BroadcastOperand<A>] ? Tensor<B> : BroadcastError<'sub', '-', A, B>,
  out?: Tensor<A>,
): Tensor<A> {
  return elementwise('sub', '-', a, b, out, (x, y) => x - y);
}

/** `A ∗ B`, the element-wise (Hadamard) product, with the same column broadcast as `add`. */
export function mul<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: [B] extends [BroadcastOperand<A>] ? Tensor<B> : BroadcastError<'mul', '*', A, B>,
  out?: Tensor<A>,
): Tensor<A> {
  return elementwise('mul', '*', a, b, out, (x, y) => x * y);
}

/** `A / B`, element-wise, with the same column broadcast as `add`. */
export function div<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: [B] extends [BroadcastOperand<A>] ? Tensor<B> : BroadcastError<'div', '/', A, B>,
  out?: Tensor<A>,
): Tensor<A> {
  return elementwise('div', '/', a, b, out, (x, y) => x / y);
}
