import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { result } from './out.js';

function unary<A extends Shape>(
  op: string,
  a: Tensor<A>,
  out: Tensor<A> | undefined,
  f: (x: number) => number,
): Tensor<A> {
  const o = result(op, a.shape, a.names, out);
  const x = a.data;
  const z = o.data;
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < z.length; i++) z[i] = f(x[i]!);
  return o;
}

/** `e^x` element-wise. */
export function exp<A extends Shape>(a: Tensor<A>, out?: Tensor<A>): Tensor<A> {
  return unary('exp', a, out, Math.exp);
}

/** Natural log element-wise (log 0 is −Infinity, as in IEEE arithmetic). */
export function log<A extends Shape>(a: Tensor<A>, out?: Tensor<A>): Tensor<A> {
  return unary('log', a, out, Math.log);
}

/** `ReLU(x) = x if x > 0 else 0`, element-wise. */
export function relu<A extends Shape>(a: Tensor<A>, out?: Tensor<A>): Tensor<A> {
  return unary('relu', a, out, (x) => (x > 0 ? x : 0));
}

/** ReLU's derivative as a mask: `g′(x) = 1 if x > 0 else 0`, element-wise. */
export function reluMask<A extends Shape>(a: Tensor<A>, out?: Tensor<A>): Tensor<A> {
  return unary('reluMask', a, out, (x) => (x > 0 ? 1 : 0));
}
