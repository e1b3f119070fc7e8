import { check, ShapeError } from './errors.js';
import {
  type Dim,
  formatShape,
  isSize,
  type LiteralNumber,
  type LiteralShape,
  type Shape,
  type SizesOf,
  sizeOf,
  type Writable,
} from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Named dims of a shape, as a union of their names (`'m'`), or `never`. */
export type NamesOf<S extends Shape> = Extract<S[number], string>;

/** The `sizes` argument: required exactly when the shape has named dims. */
export type SizesArg<S extends Shape> = [NamesOf<S>] extends [never]
  ? [sizes?: Record<string, never>]
  : [sizes: SizesOf<S>];

/** Resolves a literal shape against sizes for its named dims, checking both. @internal */
export function resolveShape(
  op: string,
  spec: readonly Dim[],
  sizes: Readonly<Record<string, number>> = {},
): { shape: number[]; names: (string | null)[] } {
  check(Array.isArray(spec), op, () => `shape must be an array of dims, got ${String(spec)}`);
  const shape: number[] = [];
  const names: (string | null)[] = [];
  for (const d of spec) {
    if (typeof d === 'string') {
      const n = sizes[d];
      check(isSize(n), op, () => `no size given for named dim '${d}' of ${formatShape(spec)}`, [
        spec,
      ]);
      shape.push(n);
      names.push(d);
    } else {
      check(
        isSize(d),
        op,
        () => `dims must be non-negative integers, got ${d} in ${formatShape(spec)}`,
        [spec],
      );
      shape.push(d);
      names.push(null);
    }
  }
  return { shape, names };
}

/** A tensor of the given literal shape filled with `value`. */
export function fill<const S extends Shape>(
  shape: S & LiteralShape<'fill', S>,
  value: number,
  ...[sizes]: SizesArg<S>
): Tensor<Writable<S>> {
  const r = resolveShape('fill', shape, sizes);
  return new Tensor(r.shape, r.names, new Float32Array(sizeOf(r.shape)).fill(value));
}

/** A tensor of zeros. `zeros([10, 'm'], { m: 32 })` is a `Tensor<[10, 'm']>` of 10×32. */
export function zeros<const S extends Shape>(
  shape: S & LiteralShape<'zeros', S>,
  ...[sizes]: SizesArg<S>
): Tensor<Writable<S>> {
  const r = resolveShape('zeros', shape, sizes);
  return new Tensor(r.shape, r.names, new Float32Array(sizeOf(r.shape)));
}

/** A tensor of ones. */
export function ones<const S extends Shape>(
  shape: S & LiteralShape<'ones', S>,
  ...[sizes]: SizesArg<S>
): Tensor<Writable<S>> {
  const r = resolveShape('ones', shape, sizes);
  return new Tensor(r.shape, r.names, new Float32Array(sizeOf(r.shape)).fill(1));
}

/** A zero tensor with the same shape (and dim names) as `t`: a buffer for an op's `out`. */
export function zerosLike<S extends Shape>(t: Tensor<S>): Tensor<S> {
  return new Tensor(t.shape, t.names, new Float32Array(t.size));
}

/** A copy of `t` with its own storage. */
export function clone<S extends Shape>(t: Tensor<S>): Tensor<S> {
  return new Tensor(t.shape, t.names, t.data.slice());
}

type Nested = number | readonly Nested[];

/** The shape of a nested array literal: `[[1, 2], [3, 4]]` has shape `[2, 2]`. */
export type ShapeOfNested<T> = T extends readonly (infer E)[]
  ? [E] extends [never]
    ? [T['length']]
    : [T['length'], ...ShapeOfNested<E>]
  : [];

/** True when `T` is a union: a ragged literal has one shape per row length. */
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** `unknown` when `T` is a rectangular array literal of known lengths; otherwise the error text. */
type NestedOk<T> =
  true extends IsUnion<ShapeOfNested<T>>
    ? 'tensor: ragged nested array; every array at one depth must have the same length'
    : unknown extends LiteralShape<'tensor', ShapeOfNested<T>>
      ? unknown
      : 'tensor: array lengths are not known at compile time (number[]); write an array literal, or bring untyped data in through bind';

/**
 * A tensor from a nested array literal, its shape inferred: `tensor([[1, 2], [3, 4]])` is a
 * `Tensor<[2, 2]>`. Ragged arrays are refused at run time; arrays whose length the compiler
 * does not know (`number[]`) are refused at compile time: use `bind` for untyped data.
 */
export function tensor<const T extends readonly Nested[]>(
  values: T & NestedOk<T>,
): Tensor<ShapeOfNested<T>> {
  const shape: number[] = [];
  let level: Nested = values as readonly Nested[];
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = (level as readonly Nested[])[0] as Nested;
  }
  const data = new Float32Array(sizeOf(shape));
  let at = 0;
  const walk = (v: Nested, dim: number, path: string): void => {
    if (dim === shape.length) {
      check(
        typeof v === 'number',
        'tensor',
        () => `element at ${path} is ${JSON.stringify(v)}, expected a number`,
      );
      data[at++] = v as number;
      return;
    }
    check(
      Array.isArray(v) && v.length === shape[dim],
      'tensor',
      () =>
        `ragged nested array: ${path} has ${Array.isArray(v) ? `length ${v.length}` : 'a number'}, expected length ${shape[dim]} (shape ${formatShape(shape)})`,
      [shape],
    );
    for (const [i, e] of (v as readonly Nested[]).entries()) walk(e, dim + 1, `${path}[${i}]`);
  };
  walk(values as readonly Nested[], 0, '');
  return new Tensor(
    shape,
    shape.map(() => null),
    data,
  ) as Tensor<ShapeOfNested<T>>;
}

/** Untyped data as it arrives from a file or a request: flat values and a claimed shape. */
export interface RawTensor {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

type Specs = Readonly<Record<string, Shape>>;

/**
 * The one door through which untyped data becomes typed tensors. Each raw tensor is checked
 * against its spec at run time: the rank, every fixed dim, the element count, and every named
 * dim, which must have one size across all tensors (and match `known`, when given), as in
 * jaxtyping: with `{ X: [784, 'm'], Y: [10, 'm'] }` both m must agree.
 *
 * @example
 * const { X, Y } = bind({ X: [784, 'm'], Y: [10, 'm'] } as const, { X: rawX, Y: rawY });
 * // X: Tensor<[784, 'm']>, Y: Tensor<[10, 'm']>
 */
export function bind<const T extends Specs>(
  specs: T & { [K in keyof T]: T[K] & LiteralShape<'bind', T[K]> },
  raws: { readonly [K in keyof T]: RawTensor },
  known: Readonly<Record<string, number>> = {},
): { [K in keyof T]: Tensor<Writable<T[K]>> } {
  const bound = new Map<string, { size: number; by: string }>(
    Object.entries(known).map(([name, size]) => [name, { size, by: 'the caller' }]),
  );
  const out: Record<string, Tensor> = {};
  for (const key of Object.keys(specs)) {
    const spec = specs[key] as Shape;
    const raw = (raws as Record<string, RawTensor | undefined>)[key];
    const op = `bind ${key}`;
    check(
      raw != null && raw.shape != null && raw.data != null,
      op,
      () => `no data given for ${key}`,
    );
    const got = Array.from(raw.shape);
    check(
      got.every(isSize),
      op,
      () => `shape ${formatShape(got)} has a dim that is not a non-negative integer`,
      [got],
    );
    check(
      got.length === spec.length,
      op,
      () =>
        `expected rank ${spec.length} ${formatShape(spec)}, got rank ${got.length} ${formatShape(got)}`,
      [spec, got],
    );
    spec.forEach((d, i) => {
      const n = got[i]!;
      if (typeof d === 'number') {
        check(
          n === d,
          op,
          () =>
            `dim ${i} expected ${d}, got ${n} (expected ${formatShape(spec)}, got ${formatShape(got)})`,
          [spec, got],
        );
      } else {
        const prior = bound.get(d);
        if (prior === undefined) bound.set(d, { size: n, by: key });
        else
          check(
            prior.size === n,
            op,
            () =>
              `dim ${i} ('${d}') is ${n}, but ${d} = ${prior.size} was bound by ${prior.by} (expected ${formatShape(spec)}, got ${formatShape(got)})`,
            [spec, got],
          );
      }
    });
    check(
      raw.data.length === sizeOf(got),
      op,
      () => `shape ${formatShape(got)} needs ${sizeOf(got)} elements, got ${raw.data.length}`,
      [got],
    );
    const data = raw.data instanceof Float32Array ? raw.data : Float32Array.from(raw.data);
    out[key] = new Tensor(
      got,
      spec.map((d) => (typeof d === 'string' ? d : null)),
      data,
    );
  }
  for (const key of Object.keys(raws)) {
    if (!(key in specs)) throw new ShapeError('bind', `got data for ${key}, which has no spec`);
  }
  return out as { [K in keyof T]: Tensor<Writable<T[K]>> };
}

/** Reshapes to a literal shape with the same element count (checked at run time); shares data. */
export function reshape<const S extends Shape>(
  t: Tensor,
  shape: S & LiteralShape<'reshape', S>,
  ...[sizes]: SizesArg<S>
): Tensor<Writable<S>> {
  return reshapeAs('reshape', t, shape, sizes);
}

/** Flattens to one dim of the given size (`flatten(image, 784)`); the count is checked. */
export function flatten<const N extends Dim>(
  t: Tensor,
  n: LiteralNumber<'flatten', N>,
  ...[sizes]: SizesArg<[N]>
): Tensor<[N]> {
  return reshapeAs('flatten', t, [n as Dim], sizes);
}

function reshapeAs<S extends Shape>(
  op: string,
  t: Tensor,
  shape: readonly Dim[],
  sizes: Readonly<Record<string, number>> | undefined,
): Tensor<Writable<S>> {
  const r = resolveShape(op, shape, sizes);
  check(
    sizeOf(r.shape) === t.size,
    op,
    () =>
      `cannot reshape ${formatShape(t.dims)} (${t.size} elements) to ${formatShape(shape)} (${sizeOf(r.shape)} elements)`,
    [t.dims, shape],
  );
  return new Tensor(r.shape, r.names, t.data);
}

export type { NestedArray };
