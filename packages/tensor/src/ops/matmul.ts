import { check, pair } from '../errors.js';
import type { Dim, FormatShape } from '../shape.js';
import type { Matrix, Tensor } from '../tensor.js';
import { result } from './out.js';

type MatmulError<
  A extends Matrix,
  B extends Matrix,
> = `matmul: inner dims ${A[1]} and ${B[0]} differ (${FormatShape<A>} x ${FormatShape<B>})`;

/**
 * `unknown` when `A · B` is defined; otherwise the error text. The two-sided `[X] extends [Y]`
 * test is written out (not through a helper) so that it also holds for a type parameter `M`
 * against itself, which keeps generic code over the batch dim free of casts.
 */
export type MatmulOk<A extends Matrix, B extends Matrix> = [A[1]] extends [B[0]]
  ? [B[0]] extends [A[1]]
    ? unknown
    : MatmulError<A, B>
  : MatmulError<A, B>;

/**
 * Matrix product `A · B` of `[R, K]` by `[K, C]`, giving `[R, C]`. Inner dims that differ are a
 * compile error at this call, and a ShapeError at run time with the same text:
 * `matmul: inner dims 10 and 784 differ ([10, 10] x [784, m])`.
 *
 * @example
 * const Z1 = add(matmul(W1, X), b1); // [10, 784] x [784, 'm'] -> [10, 'm']
 */
export function matmul<A extends Matrix, B extends Matrix>(
  a: Tensor<A>,
  b: Tensor<B> & MatmulOk<A, B>,
  out?: Tensor<[A[0], B[1]]>,
): Tensor<[A[0], B[1]]> {
  check(
    a.rank === 2 && b.rank === 2,
    'matmul',
    () => `expects two matrices, got rank ${a.rank} and rank ${b.rank} ${pair(a.dims, b.dims)}`,
    [a.dims, b.dims],
  );
  const [R, K] = a.shape as [number, number];
  const [K2, C] = b.shape as [number, number];
  check(
    K === K2,
    'matmul',
    () => `inner dims ${a.dims[1]} and ${b.dims[0]} differ ${pair(a.dims, b.dims)}`,
    [a.dims, b.dims],
  );
  const o = result('matmul', [R, C], [a.names[0]!, b.names[1]!], out);
  matmulKernel(a.data, b.data, o.data, R, K, C);
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
