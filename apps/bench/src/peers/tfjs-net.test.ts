import { backward, forward, initParams, toTensors } from '@mnist/net';
import { oneHot, Rng } from '@mnist/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as net from './tfjs-net.js';

// The tfjs peer must compute the notes' equations: its forward and gradients are checked
// against packages/net's reference implementation (the oracle) on a small random batch.

const H = 4;
const M = 6;

function batch(seed: number) {
  const rng = new Rng(seed);
  const pixels = Uint8Array.from({ length: M * 784 }, () => (rng.next() < 0.7 ? 0 : rng.int(256)));
  const labels = Uint8Array.from({ length: M }, () => rng.int(10));
  const { X, labels: y } = toTensors({ pixels, labels, count: M });
  const Y = oneHot(y, 10);
  const p = initParams(H, 'uniform', rng);
  return { X, Y, p };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string) {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(want[i]!);
    if (Math.abs(got[i]! - want[i]!) > tol)
      throw new Error(`${what}[${i}]: tfjs ${got[i]}, reference ${want[i]}`);
  }
}

describe('the tfjs peer against the reference network', () => {
  let vars: net.TfParams | null = null;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  afterEach(() => {
    if (vars) for (const v of Object.values(vars)) v.dispose();
    vars = null;
  });

  it('forward: A2 matches, each column sums to 1', () => {
    const { X, p } = batch(1);
    vars = net.toVariables({
      hidden: H,
      W1: p.W1.data,
      b1: p.b1.data,
      W2: p.W2.data,
      b2: p.b2.data,
    });
    const want = forward(p, X);
    const got = tf.tidy(() => net.forward(vars!, tf.tensor2d(X.data, [784, M])).A2.dataSync());
    expectClose(got, want.A2.data, 'A2');
    for (let j = 0; j < M; j++) {
      let total = 0;
      for (let c = 0; c < 10; c++) total += got[c * M + j]!;
      expect(total).toBeCloseTo(1, 5);
    }
  });

  it('backward: dW1, db1, dW2, db2 match', () => {
    const { X, Y, p } = batch(2);
    vars = net.toVariables({
      hidden: H,
      W1: p.W1.data,
      b1: p.b1.data,
      W2: p.W2.data,
      b2: p.b2.data,
    });
    const want = backward(p, forward(p, X), X, Y);
    const got = tf.tidy(() => {
      const Xt = tf.tensor2d(X.data, [784, M]);
      const g = net.backward(vars!, net.forward(vars!, Xt), Xt, tf.tensor2d(Y.data, [10, M]));
      return {
        dW1: g.dW1.dataSync(),
        db1: g.db1.dataSync(),
        dW2: g.dW2.dataSync(),
        db2: g.db2.dataSync(),
      };
    });
    expectClose(got.dW1, want.dW1.data, 'dW1');
    expectClose(got.db1, want.db1.data, 'db1');
    expectClose(got.dW2, want.dW2.data, 'dW2');
    expectClose(got.db2, want.db2.data, 'db2');
  });

  it('sgdStep: W := W − α dW, and no tensor leaks', () => {
    const { X, Y, p } = batch(3);
    vars = net.toVariables({
      hidden: H,
      W1: p.W1.data,
      b1: p.b1.data,
      W2: p.W2.data,
      b2: p.b2.data,
    });
    const g = backward(p, forward(p, X), X, Y);
    const Xt = tf.tensor2d(X.data, [784, M]);
    const Yt = tf.tensor2d(Y.data, [10, M]);
    const before = tf.memory().numTensors;
    net.sgdStep(vars, Xt, Yt, 0.5);
    expect(tf.memory().numTensors).toBe(before);
    expectClose(
      vars.W1.dataSync(),
      p.W1.data.map((w, i) => w - 0.5 * g.dW1.data[i]!),
      'W1',
    );
    expectClose(
      vars.b2.dataSync(),
      p.b2.data.map((b, i) => b - 0.5 * g.db2.data[i]!),
      'b2',
    );
    Xt.dispose();
    Yt.dispose();
  });
});
