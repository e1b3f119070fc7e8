import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { tensor, zeros } from '../create.js';
import { exp, log, relu, reluMask } from './unary.js';

describe('unary ops', () => {
  it('compute element by element', () => {
    const A = tensor([
      [-1, 0],
      [0.5, 2],
    ]);
    expect(relu(A).toArray()).toEqual([
      [0, 0],
      [0.5, 2],
    ]);
    expect(reluMask(A).toArray()).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(exp(tensor([0])).toArray()).toEqual([1]);
    expect(log(tensor([1, 0, -1])).toArray()).toEqual([0, -Infinity, Number.NaN]);
  });

  it.each([
    ['exp', exp],
    ['log', log],
    ['relu', relu],
    ['reluMask', reluMask],
  ] as const)('%s refuses an out of the wrong shape', (name, op) => {
    expectShapeError(() => op(zeros([10, 1]), zeros([1, 10]) as never), {
      op: name,
      message: `${name}: out has shape [1, 10], expected [10, 1]`,
      shapes: [
        [1, 10],
        [10, 1],
      ],
    });
  });
});
