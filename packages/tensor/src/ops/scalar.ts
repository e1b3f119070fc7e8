import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { result } from './out.js';

/** `s · A`: every element times a scalar. */
export function scale<A extends Shape>(a: Tensor<A>, s: number, out?: Tensor<A>): Tensor<A> {
  const o = result('scale', a.shape, a.names, out);
  const x = a.data;
  const z = o.data;
  for (let i = 0; i < z.length; i++) z[i] = x[i]! * s;
  return o;
}

/** `A + s`: a scalar added to every element. */
export function addScalar<A extends Shape>(a: Tensor<A>, s: number, out?: Tensor<A>): Tensor<A> {
  const o = result('addScalar', a.shape, a.names, out);
  const x = a.data;
  const z = o.data;
  for (let i = 0; i < z.length; i++) z[i] = x[i]! + s;
  return o;
}

/**
 * `A := A − α·G` in place, the notes' update step (`W1 := W1 − α dW1`). G must have A's shape.
 * Returns A.
 */
export function axpy<A extends Shape>(a: Tensor<A>, alpha: number, g: Tensor<A>): Tensor<A> {
  result('axpy', a.shape, a.names, g);
  const x = a.data;
  const y = g.data;
  for (let i = 0; i < x.length; i++) x[i] = x[i]! - alpha * y[i]!;
  return a;
}
