import { check } from '../errors.js';
import { type Dim, formatShape, type Shape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * The result tensor of an op: `out` when the caller passed one (its shape checked), else a new
 * one. `out` lets a training loop reuse its buffers instead of allocating every step.
 * @internal
 */
export function result<S extends Shape>(
  op: string,
  shape: readonly number[],
  names: readonly (string | null)[],
  out: Tensor<S> | undefined,
): Tensor<S> {
  if (out === undefined) return new Tensor(shape, names, new Float32Array(sizeOf(shape)));
  const want: Dim[] = shape.map((n, i) => names[i] ?? n);
  check(
    out.shape.length === shape.length && out.shape.every((n, i) => n === shape[i]),
    op,
    () => `out has shape ${formatShape(out.dims)}, expected ${formatShape(want)}`,
    [out.dims, want],
  );
  return out;
}

/** Whether two tensors' sizes agree dim by dim. @internal */
export function sameShape(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((n, i) => n === b.shape[i]);
}
