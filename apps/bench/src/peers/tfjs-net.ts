/**
 * The notes' network written by hand with TensorFlow.js ops (no tf.layers): ① forward,
 * ② backward, ③ update, the same equations as packages/net and the numpy peer.
 * Shapes: X (784, m), Y (10, m), W1 (H, 784), b1 (H, 1), W2 (10, H), b2 (10, 1).
 */

import type { WeightsSnapshot } from '@mnist/net';
import * as tf from '@tensorflow/tfjs-core';

export interface TfParams {
  readonly W1: tf.Variable<tf.Rank.R2>; // (H, 784)
  readonly b1: tf.Variable<tf.Rank.R2>; // (H, 1)
  readonly W2: tf.Variable<tf.Rank.R2>; // (10, H)
  readonly b2: tf.Variable<tf.Rank.R2>; // (10, 1)
}

export interface TfGradients {
  readonly dW1: tf.Tensor2D; // (H, 784)
  readonly db1: tf.Tensor2D; // (H, 1)
  readonly dW2: tf.Tensor2D; // (10, H)
  readonly db2: tf.Tensor2D; // (10, 1)
}

/** Variables named W1, b1, W2, b2 holding `p` (names let tf.train optimisers find them). */
export function toVariables(p: WeightsSnapshot): TfParams {
  const H = p.hidden;
  return {
    W1: tf.variable(tf.tensor2d(p.W1, [H, 784]), true, 'W1'),
    b1: tf.variable(tf.tensor2d(p.b1, [H, 1]), true, 'b1'),
    W2: tf.variable(tf.tensor2d(p.W2, [10, H]), true, 'W2'),
    b2: tf.variable(tf.tensor2d(p.b2, [10, 1]), true, 'b2'),
  };
}

/** ① Z1 = W1·X + b1, A1 = ReLU(Z1), Z2 = W2·A1 + b2, A2 = softmax(Z2) per column (stable). */
export function forward(p: TfParams, X: tf.Tensor2D) {
  const Z1 = tf.add(tf.matMul(p.W1, X), p.b1) as tf.Tensor2D; // (H, m)
  const A1 = tf.relu(Z1); //                                       (H, m)
  const Z2 = tf.add(tf.matMul(p.W2, A1), p.b2) as tf.Tensor2D; // (10, m)
  const E = tf.exp(tf.sub(Z2, tf.max(Z2, 0, true))); //            (10, m)
  const A2 = tf.div(E, tf.sum(E, 0, true)) as tf.Tensor2D; //      (10, m)
  return { Z1, A1, A2 };
}

/**
 * ② dZ2 = A2 − Y, dW2 = (1/m) dZ2·A1ᵀ, db2 = (1/m) Σ dZ2 (over columns),
 * dZ1 = W2ᵀ·dZ2 ∗ g′(Z1), dW1 = (1/m) dZ1·Xᵀ, db1 = (1/m) Σ dZ1.
 */
export function backward(
  p: TfParams,
  { Z1, A1, A2 }: ReturnType<typeof forward>,
  X: tf.Tensor2D,
  Y: tf.Tensor2D,
): TfGradients {
  const m = X.shape[1];
  const dZ2 = tf.sub(A2, Y); //                                                (10, m)
  const dW2 = tf.mul(tf.matMul(dZ2, A1, false, true), 1 / m) as tf.Tensor2D; // (10, H)
  const db2 = tf.mul(tf.sum(dZ2, 1, true), 1 / m) as tf.Tensor2D; //           (10, 1)
  const dZ1 = tf.mul(tf.matMul(p.W2, dZ2, true, false), tf.step(Z1)); //       (H, m)
  const dW1 = tf.mul(tf.matMul(dZ1, X, false, true), 1 / m) as tf.Tensor2D; // (H, 784)
  const db1 = tf.mul(tf.sum(dZ1, 1, true), 1 / m) as tf.Tensor2D; //           (H, 1)
  return { dW1, db1, dW2, db2 };
}

/** ③ W := W − α dW for each parameter (the notes' rule, our `sgd`). */
export function update(p: TfParams, g: TfGradients, alpha: number): void {
  p.W1.assign(tf.sub(p.W1, tf.mul(g.dW1, alpha)));
  p.b1.assign(tf.sub(p.b1, tf.mul(g.db1, alpha)));
  p.W2.assign(tf.sub(p.W2, tf.mul(g.dW2, alpha)));
  p.b2.assign(tf.sub(p.b2, tf.mul(g.db2, alpha)));
}

/** One step of the notes' gradient descent on (X, Y); frees every intermediate tensor. */
export function sgdStep(p: TfParams, X: tf.Tensor2D, Y: tf.Tensor2D, alpha: number): void {
  tf.tidy(() => update(p, backward(p, forward(p, X), X, Y), alpha));
}

/** One step of TensorFlow.js's own Adam on the notes' gradients. */
export function adamStep(p: TfParams, X: tf.Tensor2D, Y: tf.Tensor2D, adam: tf.Optimizer): void {
  tf.tidy(() => {
    const g = backward(p, forward(p, X), X, Y);
    adam.applyGradients({ W1: g.dW1, b1: g.db1, W2: g.dW2, b2: g.db2 });
  });
}

/** Predicted class of each column of X: argmax of A2. */
export function predictLabels(p: TfParams, X: tf.Tensor2D): Int32Array {
  const labels = tf.tidy(() => tf.argMax(forward(p, X).A2, 0));
  const out = labels.dataSync() as Int32Array;
  labels.dispose();
  return out;
}

/** Fraction of test columns whose predicted class is the label. */
export function accuracy(p: TfParams, X: tf.Tensor2D, labels: Uint8Array): number {
  const predicted = predictLabels(p, X);
  let correct = 0;
  for (let j = 0; j < predicted.length; j++) if (predicted[j] === labels[j]) correct++;
  return correct / labels.length;
}
