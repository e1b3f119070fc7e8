import { check } from '../errors.js';
import { type FormatShape, formatShape, type Shape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';

type Indices<S extends Shape> = Exclude<keyof S, keyof (readonly unknown[])>;

/** The indices of a shape's dims as strings: `'0' | '1'` for a matrix. */
export type AxisOf<S extends Shape> = Indices<S>;

/** The compile-time text of an axis the shape does not have; the run-time error says the same. */
export type AxisError<
  Op extends string,
  S extends Shape,
  Ax extends number,
> = `${Op}: axis ${Ax} out of range for shape ${FormatShape<S>} (rank ${S['length']})`;

/**
 * `unknown` when `Ax` is an axis of `S`; otherwise the error text. The ops write this test
 * inline (`` `${Ax}` extends AxisOf<S> ? Tensor<S> : AxisError<…> ``), so the message is what
 * the compiler prints.
 */
export type AxisOk<Op extends string, S extends Shape, Ax extends number> =
  `${Ax}` extends Indices<S> ? unknown : AxisError<Op, S, Ax>;

/** `S` with dim `Ax` replaced by the dims `With`: the one walk behind `RemoveAt` and `KeepAt`. */
type ReplaceAt<
  S extends Shape,
  Ax extends number,
  With extends unknown[],
  I extends unknown[] = [],
> = S extends readonly [infer H, ...infer R extends Shape]
  ? [...(I['length'] extends Ax ? With : [H]), ...ReplaceAt<R, Ax, With, [...I, 0]>]
  : [];

/** `S` without dim `Ax`: `RemoveAt<[10, 'm'], 1>` is `[10]`. */
export type RemoveAt<S extends Shape, Ax extends number> = ReplaceAt<S, Ax, []>;

/** `S` with dim `Ax` set to 1: `KeepAt<[10, 'm'], 1>` is `[10, 1]`. */
export type KeepAt<S extends Shape, Ax extends number> = ReplaceAt<S, Ax, [1]>;

/** The result shape of a reduction over `Ax`, with or without the kept dim. */
export type Reduced<S extends Shape, Ax extends number, Keep extends boolean> = Keep extends true
  ? KeepAt<S, Ax>
  : RemoveAt<S, Ax>;

/** Options of the reductions. */
export interface ReduceOptions<Keep extends boolean> {
  /** Keep the reduced dim with size 1 (`[10, m]` → `[10, 1]`), as numpy's keepdims. @default false */
  readonly keepDims?: Keep;
}

/** A reduction's geometry: `outer × n × inner` elements, reducing the middle. @internal */
export function axisGeometry(op: string, t: Tensor, axis: number) {
  check(
    Number.isInteger(axis) && axis >= 0 && axis < t.rank,
    op,
    () => `axis ${axis} out of range for shape ${formatShape(t.dims)} (rank ${t.rank})`,
    [t.dims],
  );
  return {
    outer: sizeOf(t.shape.slice(0, axis)),
    n: t.shape[axis]!,
    inner: sizeOf(t.shape.slice(axis + 1)),
  };
}

/** The sizes and names left after reducing `axis` (kept as a 1 with `keep`). @internal */
export function reducedDims(t: Tensor, axis: number, keep: boolean) {
  return keep
    ? {
        shape: t.shape.map((n, i) => (i === axis ? 1 : n)),
        names: t.names.map((n, i) => (i === axis ? null : n)),
      }
    : { shape: t.shape.filter((_, i) => i !== axis), names: t.names.filter((_, i) => i !== axis) };
}
