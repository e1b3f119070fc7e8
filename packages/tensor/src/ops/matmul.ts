import { check, pair } from '../errors.js';
import type { Dim, FormatShape, Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { dimAgrees, result } from './out.js';

/** The compile-time text of an inner-dim mismatch; the run-time ShapeError says the same. */
export type MatmulError<
  A extends Shape,
  B extends Shape,
> = `matmul: inner dims ${A[1]} and ${B[0]} differ (${FormatShape<A>} x ${FormatShape<B>})`;

/** The compile-time text of a non-matrix operand. */
export type MatmulRankError<
  A extends Shape,
  B extends Shape,
> = `matmul: expects two matrices, got rank ${A['length']} and rank ${B['length']} (${FormatShape<A>} x ${FormatShape<B>})`;

/**
 * `true` when `A · B` is defined: two matrices whose inner dims are the same type. The test is
 * one-sided (`[K2] extends [K]`) and on single dims, so a type parameter `M` matches itself in
 * generic code, and `784` against `M` is an error there too.
 */
export type MatmulOk<A extends Shape, B extends Shape> = [A['length'], B['length']] extends [2, 2]
  ? [B[0]] extends [A[1]]
    ? true
    : false
  : false;

/**
 * Matrix product `A · B` of `[R, K]` by `[K, C]`, giving `[R, C]`. Inner dims that differ are a
 * compile error at this call, and a ShapeError at run time with the same text:
 * `matmul: inner dims 10 and 784 differ ([10, 10] x [784, m])`. Both sizes and, where both
 * operands name the dim, names must agree (`mTrain` never meets `mTest`).
 *
 * The check is written inline in `b`'s type (not behind an alias), so that in generic code,
 * where the compiler cannot decide it until `M` is known, the message it prints still shows the
 * text: `` `matmul: inner dims ${M} and 784 differ ([${H}, ${M}] x [784, ${M}])` ``.
 *
 * @example
 * const Z1 = add(matmul(W1, X), b1); // [10, 784] x [784, 'm'] -> [10, 'm']
 */
export function matmul<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: [A['length'], B['length']] extends [2, 2]
    ? [B[0]] extends [A[1]]
      ? Tensor<B>
      : MatmulError<A, B>
    : MatmulRankError<A, B>,
  out?: Tensor<[A[0], B[1]]>,
): Tensor<[A[0], B[1]]> {
  const t = b as Tensor;
  check(
    a.rank === 2 && t.rank === 2,
    'matmul',
    () => `expects two matrices, got rank ${a.rank} and rank ${t.rank} ${pair(a.dims, t.dims)}`,
    [a.dims, t.dims],
  );
  const [R, K] = a.shape as [number, number];
  const C = t.shape[1]!;
  check(
    dimAgrees(a, 1, t, 0),
    'matmul',
    () => `inner dims ${a.dims[1]} and ${t.dims[0]} differ ${pair(a.dims, t.dims)}`,
    [a.dims, t.dims],
  );
  const o = result('matmul', [R, C], [a.names[0]!, t.names[1]!], out);
  matmulKernel(a.data, t.data, o.data, R, K, C);
  return o;
}

/**
 * C (R×C) = A (R×K) · B (K×C), row-major. The i-k-j order streams rows of B, and zero entries
 * of A are skipped, which pays off when A is sparse (MNIST pixels are ~81 % zero).
 */
export function matmulKernel(
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  rows: number,
  inner: number,
  cols: number,
): void {
  if (C === A || C === B) throw new Error('matmul: out must not alias an input');
  C.fill(0, 0, rows * cols);
  // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
  for (let i = 0; i < rows; i++) {
    const ci = i * cols;
    const ai = i * inner;
    for (let k = 0; k < inner; k++) {
      const aik = A[ai + k]!;
      if (aik === 0) continue;
      const bk = k * cols;
      for (let j = 0; j < cols; j++) C[ci + j]! += aik * B[bk + j]!;
    }
  }
}

export type { Dim };
