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
    out.shape.length === shape.length &&
      out.shape.every((n, i) => n === shape[i] && namesAgree(out.names[i], names[i])),
    op,
    () => `out has shape ${formatShape(out.dims)}, expected ${formatShape(want)}`,
    [out.dims, want],
  );
  return out;
}

/**
 * Whether two dim names are compatible: equal, or at least one of them unnamed (a fixed dim,
 * or a size that lost its name). `mTrain` and `mTest` never agree, whatever their sizes.
 * @internal
 */
export function namesAgree(x: string | null | undefined, y: string | null | undefined): boolean {
  return x == null || y == null || x === y;
}

/** Whether dim `i` of `a` and dim `j` of `b` agree: the same size, and the same name when both have one. @internal */
export function dimAgrees(a: Tensor, i: number, b: Tensor, j: number): boolean {
  return a.shape[i] === b.shape[j] && namesAgree(a.names[i], b.names[j]);
}

/** Whether two tensors' dims agree one by one (sizes, and names where both have one). @internal */
export function sameShape(a: Tensor, b: Tensor): boolean {
  return a.rank === b.rank && a.shape.every((_, i) => dimAgrees(a, i, b, i));
}
