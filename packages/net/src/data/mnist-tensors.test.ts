import { oneHot, Rng, ShapeError, sub } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { backward } from '../network/backward.js';
import { forward } from '../network/forward.js';
import { initParams } from '../network/params.js';
import { MNIST_DIMS, type MnistSplitData, mnistTensors } from './mnist.js';

/** A split of `count` images whose pixel k of image j is (j * 7 + k) mod 256, labels j mod 10. */
function split<S extends 'train' | 'test'>(name: S, count: number): MnistSplitData<S> {
  const images = Uint8Array.from({ length: count * 784 }, (_, i) => {
    const j = Math.floor(i / 784);
    return (j * 7 + (i % 784)) % 256;
  });
  const labels = Uint8Array.from({ length: count }, (_, j) => j % 10);
  return { split: name, images, labels, count };
}

/** What `f` throws, as name and message. */
function thrown(f: () => unknown): { name: string; message: string } | undefined {
  try {
    f();
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  return undefined;
}

describe('mnistTensors: MNIST enters the typed world with its split named', () => {
  it('lays out X as one example per column, pixels / 255, and labels as a vector', () => {
    const { X, labels } = mnistTensors(split('test', 3));
    expect(X.shape).toEqual([784, 3]);
    expect(X.names).toEqual([null, 'mTest']);
    expect(labels.names).toEqual(['mTest']);
    for (const [k, j] of [
      [0, 0],
      [5, 1],
      [783, 2],
    ] as const) {
      expect(X.get(k, j)).toBeCloseTo(((j * 7 + k) % 256) / 255, 7);
    }
    expect(Array.from(labels.data)).toEqual([0, 1, 2]);
  });

  it('names the dims mTrain and mTest by split', () => {
    expect(MNIST_DIMS).toEqual({ train: 'mTrain', test: 'mTest' });
    expect(mnistTensors(split('train', 1)).X.dims).toEqual([784, 'mTrain']);
  });

  it('training images and test labels never meet, even when the sets have the same size', () => {
    const train = mnistTensors(split('train', 4));
    const test = mnistTensors(split('test', 4));
    const p = initParams(5, 'uniform', new Rng(3));
    const cache = forward(p, train.X);
    const Yte = oneHot(test.labels, 10);
    const message =
      'sub: shapes differ ([10, mTrain] - [10, mTest]); the second must equal the first or be a column [10, 1]';
    // @ts-expect-error the compiler refuses it too (the message is pinned in the tensor package's type tests)
    expect(thrown(() => sub(cache.A2, Yte))).toEqual({ name: 'ShapeError', message });
    // @ts-expect-error a generic step infers no union of mTrain and mTest
    expect(() => backward(p, cache, train.X, Yte)).toThrow(ShapeError);
    // The same data under one name trains.
    const Ytr = oneHot(train.labels, 10);
    expect(backward(p, cache, train.X, Ytr).dW1.shape).toEqual([5, 784]);
  });
});
