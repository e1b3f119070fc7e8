/**
 * Shapes at the type level and at run time.
 *
 * A dimension is either a fixed size, written as a number literal (`784`), or a named size
 * (`'m'`) whose value is bound at run time. `Tensor<[10, 'm']>` is the notes' "10 × m".
 */

/** One dimension: a number literal such as `784`, or a name such as `'m'`. */
export type Dim = number | string;

/**
 * A dim whose size and name the code does not track, e.g. the hidden width of `Params` when it
 * is not a type parameter. Tensor shapes are invariant, so `Tensor<['h', 784]>` is a
 * `Tensor<[AnyDim, 784]>` but not a `Tensor<[Dim, 784]>`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the only type that relates to every dim in an invariant position.
export type AnyDim = any;

/** A shape: a tuple of dimensions, outermost first (row-major). */
export type Shape = readonly Dim[];

/** A shape with `readonly` removed, so `zeros([10, 1])` is a `Tensor<[10, 1]>`. */
export type Writable<S extends Shape> = { -readonly [K in keyof S]: S[K] };

/** Sizes for the named dims of a shape, e.g. `{ m: 60000 }` for `[784, 'm']`. */
export type SizesOf<S extends Shape> = { readonly [K in Extract<S[number], string>]: number };

// ---------------------------------------------------------------------------------------------
// Type-level formatting: the same text the run-time errors print.

type JoinDims<S extends Shape> = S extends readonly [infer H extends Dim, ...infer R extends Shape]
  ? R extends readonly []
    ? `${H}`
    : `${H}, ${JoinDims<R>}`
  : '';

/** `[10, 784]`, `[784, m]`: a shape as text, as error messages show it. */
export type FormatShape<S extends Shape> = `[${JoinDims<S>}]`;

/** True when two dims (or shapes) are the same type; a type parameter equals only itself. */
export type Same<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;

/** A dim that has been widened to `number` or `string` and so would switch checking off. */
type IsWide<D> = number extends D ? true : string extends D ? true : false;

type FirstWide<S extends Shape> = S extends readonly [infer H, ...infer R extends Shape]
  ? IsWide<H> extends true
    ? true
    : FirstWide<R>
  : false;

/**
 * `unknown` when every dim of `S` is a literal; otherwise an error text naming the op.
 * Used where a tensor is made, so that `number` never enters a shape unnoticed.
 */
export type LiteralShape<Op extends string, S extends Shape> = number[] extends S
  ? `${Op}: shape is number[]; write the dims as literals (e.g. [784, 'm']) or bring untyped data in through bind`
  : FirstWide<S> extends true
    ? `${Op}: a dimension is widened to number or string; use a literal size (784) or a named dim ('m')`
    : unknown;

/**
 * A single dim argument (`oneHot(y, 10)`, `flatten(t, 784)`): `D` itself when it is a literal,
 * otherwise the error text. Written as a conditional rather than `D & LiteralShape<…>`, since
 * `number & 'text'` is `never` and the text would be lost.
 */
export type LiteralNumber<Op extends string, D extends Dim> =
  unknown extends LiteralShape<Op, [D]> ? D : LiteralShape<Op, [D]>;

// ---------------------------------------------------------------------------------------------
// Run-time helpers.

/** The product of a list of sizes. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[10, m]`: the text of a shape, naming named dims by their name. */
export function formatShape(dims: readonly Dim[]): string {
  return `[${dims.join(', ')}]`;
}

/** Whether `n` is a valid size for one dimension. */
export function isSize(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0;
}
