import { check } from '../errors.js';
import { formatShape, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import {
  type AxisError,
  type AxisOf,
  axisGeometry,
  type Reduced,
  type ReduceOptions,
  reducedDims,
} from './axis.js';
import { result } from './out.js';

type Fold = (acc: number, x: number) => number;

function reduce(
  op: string,
  t: Tensor,
  axis: number,
  keep: boolean,
  out: Tensor | undefined,
  init: number,
  f: Fold,
) {
  const g = axisGeometry(op, t, axis);
  const r = reducedDims(t, axis, keep);
  const o = result(op, r.shape, r.names, out);
  const x = t.data;
  const z = o.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let a = 0; a < g.outer; a++) {
    // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
    for (let c = 0; c < g.inner; c++) {
      let acc = init;
      for (let k = 0, at = a * g.n * g.inner + c; k < g.n; k++, at += g.inner) acc = f(acc, x[at]!);
      z[a * g.inner + c] = acc;
    }
  }
  return o;
}

/**
 * Sum over one axis. `sum(dZ2, 1, { keepDims: true })` is the notes' `Σ dZ2`, a `[10, 1]`
 * column. An axis the shape does not have is a compile error:
 * `sum: axis 2 out of range for shape [10, m] (rank 2)`.
 */
export function sum<S extends Shape, const Ax extends number, const Keep extends boolean = false>(
  input: `${Ax}` extends AxisOf<S> ? Tensor<S> : AxisError<'sum', S, Ax>,
  axis: Ax,
  options: ReduceOptions<Keep> = {},
  out?: Tensor<Reduced<S, Ax, Keep>>,
): Tensor<Reduced<S, Ax, Keep>> {
  const t = input as Tensor<S>;
  return reduce('sum', t, axis, options.keepDims ?? false, out, 0, (acc, x) => acc + x) as Tensor<
    Reduced<S, Ax, Keep>
  >;
}

/** Maximum over one axis (NaN if any element is NaN). */
export function max<S extends Shape, const Ax extends number, const Keep extends boolean = false>(
  input: `${Ax}` extends AxisOf<S> ? Tensor<S> : AxisError<'max', S, Ax>,
  axis: Ax,
  options: ReduceOptions<Keep> = {},
  out?: Tensor<Reduced<S, Ax, Keep>>,
): Tensor<Reduced<S, Ax, Keep>> {
  const t = input as Tensor<S>;
  check(t.shape[axis] !== 0, 'max', () => `axis ${axis} of ${formatShape(t.dims)} is empty`, [
    t.dims,
  ]);
  return reduce('max', t, axis, options.keepDims ?? false, out, -Infinity, (acc, x) =>
    x > acc || Number.isNaN(x) ? x : acc,
  ) as Tensor<Reduced<S, Ax, Keep>>;
}

/**
 * Index of the maximum over one axis (the first one on ties), as float values. The notes'
 * prediction is `argmax(A2, 0)`: one label per column.
 */
export function argmax<
  S extends Shape,
  const Ax extends number,
  const Keep extends boolean = false,
>(
  input: `${Ax}` extends AxisOf<S> ? Tensor<S> : AxisError<'argmax', S, Ax>,
  axis: Ax,
  options: ReduceOptions<Keep> = {},
  out?: Tensor<Reduced<S, Ax, Keep>>,
): Tensor<Reduced<S, Ax, Keep>> {
  const t = input as Tensor<S>;
  const g = axisGeometry('argmax', t, axis);
  const r = reducedDims(t, axis, options.keepDims ?? false);
  check(g.n !== 0, 'argmax', () => `axis ${axis} of ${formatShape(t.dims)} is empty`, [t.dims]);
  const o = result('argmax', r.shape, r.names, out);
  const x = t.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let a = 0; a < g.outer; a++) {
    // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
    for (let c = 0; c < g.inner; c++) {
      const base = a * g.n * g.inner + c;
      let best = 0;
      let bestValue = x[base]!;
      for (let k = 1; k < g.n; k++) {
        const v = x[base + k * g.inner]!;
        if (v > bestValue) {
          best = k;
          bestValue = v;
        }
      }
      o.data[a * g.inner + c] = best;
    }
  }
  return o as Tensor<Reduced<S, Ax, Keep>>;
}
