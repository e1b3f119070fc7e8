import {
  type AnyDim,
  axpy,
  type Dim,
  matmul,
  mul,
  reluMask,
  scale,
  sub,
  sum,
  type Tensor,
  transpose,
} from '@mnist/tensor';
import type { ForwardCache } from './forward.js';
import type { Params } from './params.js';

/** The gradients of the cross-entropy loss with respect to each parameter. */
export interface Gradients<H extends Dim = AnyDim> {
  readonly dW1: Tensor<[H, 784]>; // (H, 784)
  readonly db1: Tensor<[H, 1]>; //   (H, 1)
  readonly dW2: Tensor<[10, H]>; //  (10, H)
  readonly db2: Tensor<[10, 1]>; //  (10, 1)
}

/**
 * ② Backward propagation, as in the notes (Σ sums over the m columns, giving a column):
 *
 *   dZ2 = A2 − Y,              dW2 = (1/m) dZ2 · A1ᵀ,  db2 = (1/m) Σ dZ2
 *   dZ1 = W2ᵀ · dZ2 ∗ g′(Z1),  dW1 = (1/m) dZ1 · Xᵀ,   db1 = (1/m) Σ dZ1
 */
export function backward<H extends Dim, M extends Dim>(
  p: Params<H>,
  { Z1, A1, A2 }: ForwardCache<H, M>,
  X: Tensor<[784, M]>,
  Y: Tensor<[10, M]>,
): Gradients<H> {
  const m = X.shape[1]!;
  const dZ2 = sub(A2, Y); //                                        (10, m)
  const dW2 = scale(matmul(dZ2, transpose(A1)), 1 / m); //           (10, m)·(m, H) → (10, H)
  const db2 = scale(sum(dZ2, 1, { keepDims: true }), 1 / m); //      (10, 1)
  const dZ1 = mul(matmul(transpose(p.W2), dZ2), reluMask(Z1)); //    (H, 10)·(10, m) ∗ (H, m) → (H, m)
  const dW1 = scale(matmul(dZ1, transpose(X)), 1 / m); //            (H, m)·(m, 784) → (H, 784)
  const db1 = scale(sum(dZ1, 1, { keepDims: true }), 1 / m); //      (H, 1)
  return { dW1, db1, dW2, db2 };
}

/** ③ The notes' update, in place: `W1 := W1 − α dW1`, and so on for b1, W2, b2. */
export function update<H extends Dim>(p: Params<H>, g: Gradients<H>, alpha: number): void {
  axpy(p.W1, alpha, g.dW1);
  axpy(p.b1, alpha, g.db1);
  axpy(p.W2, alpha, g.dW2);
  axpy(p.b2, alpha, g.db2);
}
