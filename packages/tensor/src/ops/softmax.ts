import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type AxisError, type AxisOf, axisGeometry } from './axis.js';
import { result } from './out.js';

/**
 * Softmax over one axis, numerically stable: each slice has its maximum subtracted before
 * `exp`, so large inputs do not overflow. The notes' `A2 = softmax(Z2)` is `softmax(Z2, 0)`:
 * every column (one example) becomes a distribution over the 10 classes.
 */
export function softmax<S extends Shape, const Ax extends number>(
  input: `${Ax}` extends AxisOf<S> ? Tensor<S> : AxisError<'softmax', S, Ax>,
  axis: Ax,
  out?: Tensor<S>,
): Tensor<S> {
  const t = input as Tensor<S>;
  const g = axisGeometry('softmax', t, axis);
  const o = result('softmax', t.shape, t.names, out as Tensor<S> | undefined);
  const x = t.data;
  const z = o.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let a = 0; a < g.outer; a++) {
    for (let c = 0; c < g.inner; c++) {
      const base = a * g.n * g.inner + c;
      let m = -Infinity;
      for (let k = 0; k < g.n; k++) m = Math.max(m, x[base + k * g.inner]!);
      let total = 0;
      for (let k = 0; k < g.n; k++) {
        const e = Math.exp(x[base + k * g.inner]! - m);
        z[base + k * g.inner] = e;
        total += e;
      }
      // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
      for (let k = 0; k < g.n; k++) z[base + k * g.inner]! /= total;
    }
  }
  return o;
}
