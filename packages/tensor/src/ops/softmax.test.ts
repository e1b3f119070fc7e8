import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { bind, tensor, zeros } from '../create.js';
import { softmax } from './softmax.js';

const { X } = bind({ X: [784, 'm'] }, { X: { data: new Float32Array(784 * 2), shape: [784, 2] } });

describe('softmax', () => {
  it('turns each column into a distribution (axis 0)', () => {
    const P = softmax(
      tensor([
        [0, 1000],
        [0, -1000],
      ]),
      0,
    );
    expect(P.toArray()).toEqual([
      [0.5, 1],
      [0.5, 0],
    ]);
  });

  it('refuses an axis the shape does not have, with the compile-time wording', () => {
    expectShapeError(() => softmax(X as never, 2), {
      op: 'softmax',
      message: 'softmax: axis 2 out of range for shape [784, m] (rank 2)',
      shapes: [[784, 'm']],
    });
  });

  it('refuses an out of the wrong shape', () => {
    expectShapeError(() => softmax(X, 0, zeros([784, 1]) as never), {
      op: 'softmax',
      message: 'softmax: out has shape [784, 1], expected [784, m]',
      shapes: [
        [784, 1],
        [784, 'm'],
      ],
    });
  });
});
