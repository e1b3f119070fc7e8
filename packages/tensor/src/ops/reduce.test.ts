import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { bind, tensor, zeros } from '../create.js';
import { argmax, max, sum } from './reduce.js';

const { X } = bind({ X: [784, 'm'] }, { X: { data: new Float32Array(784 * 2), shape: [784, 2] } });

describe('sum, max, argmax', () => {
  const A = tensor([
    [1, 5, 2],
    [7, 3, 7],
  ]);

  it('reduce over one axis, with and without keepDims', () => {
    expect(sum(A, 1).toArray()).toEqual([8, 17]);
    expect(sum(A, 1, { keepDims: true }).toArray()).toEqual([[8], [17]]);
    expect(sum(A, 0).toArray()).toEqual([8, 8, 9]);
    expect(max(A, 0, { keepDims: true }).toArray()).toEqual([[7, 5, 7]]);
    expect(argmax(A, 1).toArray()).toEqual([1, 0]); // first of the tied 7s
    expect(argmax(A, 0).toArray()).toEqual([1, 0, 1]);
  });

  it('keep the names of the dims that remain; a kept dim becomes 1', () => {
    expect(sum(X, 0).dims).toEqual(['m']);
    expect(sum(X, 1, { keepDims: true }).dims).toEqual([784, 1]);
    expect(argmax(X, 0, { keepDims: true }).dims).toEqual([1, 'm']);
  });

  it.each([
    ['sum', sum],
    ['max', max],
    ['argmax', argmax],
  ] as const)(
    '%s refuses an axis the shape does not have, with the compile-time wording',
    (name, op) => {
      expectShapeError(() => op(X as never, 2), {
        op: name,
        message: `${name}: axis 2 out of range for shape [784, m] (rank 2)`,
        shapes: [[784, 'm']],
      });
      expectShapeError(() => op(X as never, -1 as never), {
        op: name,
        message: `${name}: axis -1 out of range for shape [784, m] (rank 2)`,
        shapes: [[784, 'm']],
      });
      expectShapeError(() => op(X as never, 0.5 as never), {
        op: name,
        message: `${name}: axis 0.5 out of range for shape [784, m] (rank 2)`,
        shapes: [[784, 'm']],
      });
    },
  );

  it.each([
    ['sum', sum],
    ['max', max],
    ['argmax', argmax],
  ] as const)('%s refuses an out of the wrong shape', (name, op) => {
    expectShapeError(() => op(X, 1, { keepDims: true }, zeros([784]) as never), {
      op: name,
      message: `${name}: out has shape [784], expected [784, 1]`,
      shapes: [[784], [784, 1]],
    });
  });

  it.each([
    ['max', max],
    ['argmax', argmax],
  ] as const)('%s refuses an empty axis', (name, op) => {
    expectShapeError(() => op(zeros([3, 0]), 1), {
      op: name,
      message: `${name}: axis 1 of [3, 0] is empty`,
      shapes: [[3, 0]],
    });
  });
});
