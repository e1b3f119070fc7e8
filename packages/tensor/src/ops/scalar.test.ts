import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { tensor, zeros } from '../create.js';
import { addScalar, axpy, scale } from './scalar.js';

describe('scale, addScalar, axpy', () => {
  it('compute what they say', () => {
    const A = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(scale(A, 0.5).toArray()).toEqual([
      [0.5, 1],
      [1.5, 2],
    ]);
    expect(addScalar(A, -1).toArray()).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(
      axpy(
        A,
        0.5,
        tensor([
          [2, 2],
          [2, 2],
        ]),
      ).toArray(),
    ).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('axpy refuses a gradient of another shape (dW2 given for W1)', () => {
    expectShapeError(() => axpy(zeros([10, 784]), 0.1, zeros([10, 10]) as never), {
      op: 'axpy',
      message:
        'axpy: shapes differ ([10, 784] - [10, 10]); the gradient must have the shape of the tensor it updates',
      shapes: [
        [10, 784],
        [10, 10],
      ],
    });
  });

  it('scale and addScalar refuse an out of the wrong shape', () => {
    expectShapeError(() => scale(zeros([2, 3]), 2, zeros([3, 2]) as never), {
      op: 'scale',
      message: 'scale: out has shape [3, 2], expected [2, 3]',
      shapes: [
        [3, 2],
        [2, 3],
      ],
    });
    expectShapeError(() => addScalar(zeros([2, 3]), 2, zeros([6]) as never), {
      op: 'addScalar',
      message: 'addScalar: out has shape [6], expected [2, 3]',
      shapes: [[6], [2, 3]],
    });
  });
});
