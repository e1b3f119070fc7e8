import { add, type Dim, matmul, relu, softmax, type Tensor } from '@mnist/tensor';
import type { Params } from './params.js';

/** What the forward pass computes, kept for the backward pass. */
export interface ForwardCache<H extends Dim, M extends Dim> {
  readonly Z1: Tensor<[H, M]>; // (H, m)  unactivated 1st layer
  readonly A1: Tensor<[H, M]>; // (H, m)  ReLU(Z1)
  readonly Z2: Tensor<[10, M]>; // (10, m) unactivated 2nd layer
  readonly A2: Tensor<[10, M]>; // (10, m) softmax(Z2): class probabilities, one column per example
}

/**
 * ① Forward propagation, as in the notes. X is one example per column, pixels in [0, 1].
 *
 *   Z1 = W1 · X + b1,  A1 = ReLU(Z1),  Z2 = W2 · A1 + b2,  A2 = softmax(Z2)
 */
export function forward<H extends Dim, M extends Dim>(
  p: Params<H>,
  X: Tensor<[784, M]>,
): ForwardCache<H, M> {
  const Z1 = add(matmul(p.W1, X), p.b1); // (H, 784)·(784, m) + (H, 1) → (H, m)
  const A1 = relu(Z1); //                    (H, m)
  const Z2 = add(matmul(p.W2, A1), p.b2); // (10, H)·(H, m) + (10, 1) → (10, m)
  const A2 = softmax(Z2, 0); //              (10, m), each column sums to 1
  return { Z1, A1, Z2, A2 };
}
