import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { bind, zeros } from '../create.js';
import { oneHot } from './onehot.js';

function labels(values: number[]) {
  return bind({ y: ['m'] }, { y: { data: values, shape: [values.length] } }).y;
}

describe('oneHot', () => {
  it('makes Y [classes, m], one example per column', () => {
    const Y = oneHot(labels([2, 0, 1]), 3);
    expect(Y.toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(Y.dims).toEqual([3, 'm']);
  });

  it('refuses a label outside 0..classes-1 (label 10 of 10 classes)', () => {
    expectShapeError(() => oneHot(labels([3, 10, 1]), 10), {
      op: 'oneHot',
      message: 'oneHot: label 10 at index 1 is outside 0..9',
      shapes: [['m']],
    });
    expectShapeError(() => oneHot(labels([-1]), 10), {
      op: 'oneHot',
      message: 'oneHot: label -1 at index 0 is outside 0..9',
      shapes: [['m']],
    });
    expectShapeError(() => oneHot(labels([0, 2.5]), 10), {
      op: 'oneHot',
      message: 'oneHot: label 2.5 at index 1 is outside 0..9',
      shapes: [['m']],
    });
  });

  it('refuses labels that are not a vector', () => {
    expectShapeError(() => oneHot(zeros([2, 2]) as never, 10), {
      op: 'oneHot',
      message: 'oneHot: labels must be a vector [m], got [2, 2]',
      shapes: [[2, 2]],
    });
  });

  it('refuses a class count that is not a positive integer', () => {
    expectShapeError(() => oneHot(labels([0]), 0), {
      op: 'oneHot',
      message: 'oneHot: classes must be a positive integer, got 0',
      shapes: [],
    });
  });

  it('refuses an out of the wrong shape', () => {
    expectShapeError(() => oneHot(labels([0, 1]), 10, zeros([10, 3]) as never), {
      op: 'oneHot',
      message: 'oneHot: out has shape [10, 3], expected [10, m]',
      shapes: [
        [10, 3],
        [10, 'm'],
      ],
    });
  });
});
