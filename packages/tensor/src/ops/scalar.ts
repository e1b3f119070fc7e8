import { check, pair } from '../errors.js';
import type { FormatShape, Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { result, sameShape } from './out.js';

/** `s · A`: every element times a scalar. */
export function scale<A extends Shape>(a: Tensor<A>, s: number, out?: Tensor<A>): Tensor<A> {
  const o = result('scale', a.shape, a.names, out);
  const x = a.data;
  const z = o.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < z.length; i++) z[i] = x[i]! * s;
  return o;
}

/** `A + s`: a scalar added to every element. */
export function addScalar<A extends Shape>(a: Tensor<A>, s: number, out?: Tensor<A>): Tensor<A> {
  const o = result('addScalar', a.shape, a.names, out);
  const x = a.data;
  const z = o.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < z.length; i++) z[i] = x[i]! + s;
  return o;
}

/** The compile-time text of a gradient of the wrong shape; the run-time error says the same. */
export type AxpyError<
  A extends Shape,
  G extends Shape,
> = `axpy: shapes differ (${FormatShape<A>} - ${FormatShape<G>}); the gradient must have the shape of the tensor it updates`;

/**
 * `A := A − α·G` in place, the notes' update step (`W1 := W1 − α dW1`). G must have A's shape.
 * Returns A.
 */
export function axpy<A extends Shape, G extends Shape>(
  a: Tensor<A>,
  alpha: number,
  gradient: [G] extends [A] ? Tensor<G> : AxpyError<A, G>,
): Tensor<A> {
  const g = gradient as Tensor<G>;
  check(
    sameShape(a, g),
    'axpy',
    () =>
      `shapes differ ${pair(a.dims, g.dims, '-')}; the gradient must have the shape of the tensor it updates`,
    [a.dims, g.dims],
  );
  const x = a.data;
  const y = g.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < x.length; i++) x[i] = x[i]! - alpha * y[i]!;
  return a;
}
