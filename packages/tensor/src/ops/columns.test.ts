import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { bind, tensor, zeros } from '../create.js';
import { columns, gatherColumns } from './columns.js';

const { X } = bind({ X: [784, 'm'] }, { X: { data: new Float32Array(784 * 3), shape: [784, 3] } });

describe('columns', () => {
  it('copies a range of columns under a new name', () => {
    const A = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const B = columns(A, 1, 3, 'batch');
    expect(B.toArray()).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(B.dims).toEqual([2, 'batch']);
  });

  it('refuses a range outside the columns', () => {
    expectShapeError(() => columns(X, 2, 5, 'batch'), {
      op: 'columns',
      message: 'columns: range 2..5 is not within 0..3 (the columns of [784, m])',
      shapes: [[784, 'm']],
    });
    expectShapeError(() => columns(X, 2, 1, 'batch'), {
      op: 'columns',
      message: 'columns: range 2..1 is not within 0..3 (the columns of [784, m])',
      shapes: [[784, 'm']],
    });
    expectShapeError(() => columns(X, -1, 1, 'batch'), {
      op: 'columns',
      message: 'columns: range -1..1 is not within 0..3 (the columns of [784, m])',
      shapes: [[784, 'm']],
    });
  });

  it('refuses a tensor that is not a matrix', () => {
    expectShapeError(() => columns(zeros([3]) as never, 0, 1, 'batch'), {
      op: 'columns',
      message: 'columns: expects a matrix, got [3]',
      shapes: [[3]],
    });
  });

  it('refuses an out of the wrong shape', () => {
    expectShapeError(() => columns(X, 0, 2, 'batch', zeros([784, 3]) as never), {
      op: 'columns',
      message: 'columns: out has shape [784, 3], expected [784, batch]',
      shapes: [
        [784, 3],
        [784, 'batch'],
      ],
    });
  });
});

describe('gatherColumns', () => {
  it('copies the columns at the indices, in order', () => {
    const A = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(gatherColumns(A, [2, 0, 2], 'batch').toArray()).toEqual([
      [3, 1, 3],
      [6, 4, 6],
    ]);
  });

  it('refuses an index that is not a column', () => {
    expectShapeError(() => gatherColumns(X, [0, 3], 'batch'), {
      op: 'gatherColumns',
      message: 'gatherColumns: index 3 (position 1) is not a column of [784, m]',
      shapes: [[784, 'm']],
    });
    expectShapeError(() => gatherColumns(X, [1.5], 'batch'), {
      op: 'gatherColumns',
      message: 'gatherColumns: index 1.5 (position 0) is not a column of [784, m]',
      shapes: [[784, 'm']],
    });
  });

  it('refuses a tensor that is not a matrix, and an out of the wrong shape', () => {
    expectShapeError(() => gatherColumns(zeros([2, 2, 2]) as never, [0], 'batch'), {
      op: 'gatherColumns',
      message: 'gatherColumns: expects a matrix, got [2, 2, 2]',
      shapes: [[2, 2, 2]],
    });
    expectShapeError(() => gatherColumns(X, [0, 1], 'batch', zeros([784, 1]) as never), {
      op: 'gatherColumns',
      message: 'gatherColumns: out has shape [784, 1], expected [784, batch]',
      shapes: [
        [784, 1],
        [784, 'batch'],
      ],
    });
  });
});

describe('column ranges and indices must be whole numbers', () => {
  it('refuses a start or an end that is not an integer', () => {
    expectShapeError(() => columns(X, 0.5, 2, 'batch'), {
      op: 'columns',
      message: 'columns: range 0.5..2 is not within 0..3 (the columns of [784, m])',
    });
    expectShapeError(() => columns(X, 0, 1.5, 'batch'), {
      op: 'columns',
      message: 'columns: range 0..1.5 is not within 0..3 (the columns of [784, m])',
    });
  });

  it('refuses a negative index', () => {
    expectShapeError(() => gatherColumns(X, [0, -1], 'batch'), {
      op: 'gatherColumns',
      message: 'gatherColumns: index -1 (position 1) is not a column of [784, m]',
    });
  });
});
