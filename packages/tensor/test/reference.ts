/**
 * Naive float64 references for every op, written from the definitions over plain nested
 * arrays (`number[][]`), with no strides and no shared code with `src/`: the oracle the
 * property tests compare the Float32Array kernels against.
 */
import { expect } from 'vitest';
import type { Tensor } from '../src/index.js';

/** A number or nested arrays of numbers, of any rank (rank 0 is a bare number). */
export type Nested = number | Nested[];
/** A matrix as rows of numbers. */
export type Mat = number[][];

// ---------------------------------------------------------------------------------------------
// Nested arrays by index tuple.

/** The shape of a rectangular nested array (`[]` for a number). */
export function shapeOf(x: Nested): number[] {
  const shape: number[] = [];
  let level: Nested = x;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] ?? 0;
  }
  return shape;
}

/** Every index tuple of a shape, in row-major order (`[[]]` for rank 0). */
export function indexTuples(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of shape)
    out = out.flatMap((idx) => Array.from({ length: n }, (_, i) => [...idx, i]));
  return out;
}

/** The element at an index tuple. */
export function at(x: Nested, idx: readonly number[]): number {
  let v: Nested = x;
  for (const i of idx) v = (v as Nested[])[i] as Nested;
  return v as number;
}

/** A nested array of the given shape whose element at `idx` is `f(idx)`. */
export function build(shape: readonly number[], f: (idx: number[]) => number): Nested {
  const go = (prefix: number[]): Nested =>
    prefix.length === shape.length
      ? f(prefix)
      : Array.from({ length: shape[prefix.length]! }, (_, i) => go([...prefix, i]));
  return go([]);
}

/** The elements in row-major order. */
export function flat(x: Nested): number[] {
  return indexTuples(shapeOf(x)).map((idx) => at(x, idx));
}

/** A matrix of the given size, `f(i, j)` at row i, column j. */
export function matrix(rows: number, cols: number, f: (i: number, j: number) => number): Mat {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));
}

/** The raw form of a nested array, as `bind` takes it. */
export function raw(x: Nested): { data: number[]; shape: number[] } {
  return { data: flat(x), shape: shapeOf(x) };
}

// ---------------------------------------------------------------------------------------------
// References.

/** `A · B` by the triple loop. */
export function matmulRef(a: Mat, b: Mat): Mat {
  const K = b.length;
  const C = b[0]?.length ?? 0;
  return matrix(a.length, C, (i, j) => {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[i]![k]! * b[k]![j]!;
    return s;
  });
}

/** `Aᵀ` by two loops. */
export function transposeRef(a: Mat): Mat {
  const C = a[0]?.length ?? 0;
  const t: Mat = [];
  for (let j = 0; j < C; j++) {
    const row: number[] = [];
    for (let i = 0; i < a.length; i++) row.push(a[i]![j]!);
    t.push(row);
  }
  return t;
}

/** `b` (a column `[R, 1]`) repeated `cols` times: the explicit form of the bias broadcast. */
export function tileColumn(b: Mat, cols: number): Mat {
  return matrix(b.length, cols, (i) => b[i]![0]!);
}

/** `f(a, b)` element by element; `b` has `a`'s shape or is a column `[R, 1]`. */
export function zipRef(a: Mat, b: Mat, f: (x: number, y: number) => number): Mat {
  return matrix(a.length, a[0]?.length ?? 0, (i, j) =>
    f(a[i]![j]!, b[i]![b[i]!.length === 1 ? 0 : j]!),
  );
}

/** `f(x)` for every element, any rank. */
export function mapRef(x: Nested, f: (v: number) => number): Nested {
  return build(shapeOf(x), (idx) => f(at(x, idx)));
}

/**
 * A reduction over `axis`: `f` gets the slice along the axis at each remaining position. With
 * `keepDims` the axis stays with size 1.
 */
export function reduceRef(
  x: Nested,
  axis: number,
  keepDims: boolean,
  f: (slice: number[]) => number,
): Nested {
  const shape = shapeOf(x);
  const n = shape[axis]!;
  const outShape = keepDims
    ? shape.map((d, i) => (i === axis ? 1 : d))
    : shape.filter((_, i) => i !== axis);
  return build(outShape, (idx) => {
    const slice: number[] = [];
    for (let k = 0; k < n; k++) {
      const full = keepDims
        ? idx.map((v, i) => (i === axis ? k : v))
        : [...idx.slice(0, axis), k, ...idx.slice(axis)];
      slice.push(at(x, full));
    }
    return f(slice);
  });
}

export const sumOf = (s: number[]): number => s.reduce((acc, v) => acc + v, 0);
export const maxOf = (s: number[]): number => Math.max(...s);
/** The index of the first maximum. */
export const argmaxOf = (s: number[]): number => s.indexOf(Math.max(...s));

/** Softmax along `axis` by the definition, `exp(x_k) / Σ_j exp(x_j)` (inputs kept small). */
export function softmaxRef(x: Nested, axis: number): Nested {
  const totals = reduceRef(x, axis, true, (s) => sumOf(s.map(Math.exp)));
  return build(shapeOf(x), (idx) => {
    const t = at(
      totals,
      idx.map((v, i) => (i === axis ? 0 : v)),
    );
    return Math.exp(at(x, idx)) / t;
  });
}

/** `[classes, m]` with a 1 in row `labels[j]` of column j. */
export function oneHotRef(labels: readonly number[], classes: number): Mat {
  return matrix(classes, labels.length, (i, j) => (labels[j] === i ? 1 : 0));
}

/** Columns `indices` of `a`, in that order. */
export function gatherRef(a: Mat, indices: readonly number[]): Mat {
  return a.map((row) => indices.map((j) => row[j]!));
}

/** The row-major elements of `x` laid out in `shape`. */
export function reshapeRef(x: Nested, shape: readonly number[]): Nested {
  const values = flat(x);
  let next = 0;
  return build(shape, () => values[next++]!);
}

// ---------------------------------------------------------------------------------------------
// Comparison with float32 tolerances.

/** Relative rounding of one float32 operation, 2⁻²⁴, with headroom. */
export const F32 = 2 ** -22;

export interface Tolerance {
  /** Allowed error relative to `scale` (or to |want| when no scale is given). @default F32 */
  readonly rel?: number;
  /** Allowed absolute error on top, for results that underflow. @default 1e-30 */
  readonly abs?: number;
  /** Per-element magnitude the error is relative to, e.g. Σ|aᵢₖ bₖⱼ| for a matmul. */
  readonly scale?: Nested;
}

/**
 * Expects `t` to have the shape of `want` and every element within tolerance. The failure
 * names the first element off, with its index, both values and the bound.
 */
export function expectClose(t: Tensor, want: Nested, tol: Tolerance = {}): void {
  const shape = shapeOf(want);
  expect(t.shape).toEqual(shape);
  const { rel = F32, abs = 1e-30 } = tol;
  for (const idx of indexTuples(shape)) {
    const got = t.get(...idx);
    const w = at(want, idx);
    const scale = tol.scale === undefined ? Math.abs(w) : at(tol.scale, idx);
    const bound = rel * scale + abs;
    if (Object.is(got, w) || Math.abs(got - w) <= bound) continue;
    expect.fail(`element [${idx.join(', ')}]: got ${got}, want ${w} (allowed error ${bound})`);
  }
}

/** Expects `t` to hold exactly the values of `want`, in its shape. */
export function expectExact(t: Tensor, want: Nested): void {
  expect(t.shape).toEqual(shapeOf(want));
  expect(Array.from(t.data)).toEqual(flat(want));
}
