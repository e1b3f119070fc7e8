import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { bind, tensor, zeros } from '../create.js';
import { transpose } from './transpose.js';

describe('transpose', () => {
  it('swaps rows and columns, and their names', () => {
    expect(
      transpose(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const { X } = bind(
      { X: [784, 'm'] },
      { X: { data: new Float32Array(784 * 2), shape: [784, 2] } },
    );
    expect(transpose(X).dims).toEqual(['m', 784]);
  });

  it('refuses a tensor that is not a matrix', () => {
    expectShapeError(() => transpose(zeros([2, 3, 4]) as never), {
      op: 'transpose',
      message: 'transpose: expects a matrix, got [2, 3, 4]',
      shapes: [[2, 3, 4]],
    });
  });

  it('refuses an out of the wrong shape', () => {
    expectShapeError(() => transpose(zeros([2, 3]), zeros([2, 3]) as never), {
      op: 'transpose',
      message: 'transpose: out has shape [2, 3], expected [3, 2]',
      shapes: [
        [2, 3],
        [3, 2],
      ],
    });
  });

  it('refuses an out that is its input', () => {
    const S = zeros([2, 2]);
    expectShapeError(() => transpose(S, S), {
      op: 'transpose',
      message: 'transpose: out must not alias the input',
      shapes: [],
    });
  });
});
