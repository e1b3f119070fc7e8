import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../test/helpers.js';
import { tensor, zeros } from './create.js';
import { Tensor } from './tensor.js';

describe('Tensor', () => {
  it('holds a shape, the names of its named dims and row-major data', () => {
    const Z = zeros([2, 'm'], { m: 3 });
    expect(Z.shape).toEqual([2, 3]);
    expect(Z.names).toEqual([null, 'm']);
    expect(Z.dims).toEqual([2, 'm']);
    expect(Z.rank).toBe(2);
    expect(Z.size).toBe(6);
    expect(String(Z)).toBe('Tensor[2, m]');
    expect(Object.isFrozen(Z.shape)).toBe(true);
  });

  it('reads one element by its indices', () => {
    const A = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(A.get(1, 2)).toBe(6);
    expect(A.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('refuses the wrong number of indices, or an index out of range', () => {
    const A = tensor([
      [1, 2],
      [3, 4],
    ]);
    expectShapeError(() => A.get(1), {
      op: 'get',
      message: 'get: expected 2 indices for shape [2, 2], got 1',
      shapes: [[2, 2]],
    });
    expectShapeError(() => A.get(0, 2), {
      op: 'get',
      message: 'get: index 2 out of range 0..1 for dim 1 of [2, 2]',
      shapes: [[2, 2]],
    });
  });

  it('refuses data whose length does not match the shape', () => {
    expectShapeError(() => new Tensor([2, 2], [null, null], new Float32Array(3)), {
      op: 'Tensor',
      message: 'Tensor: shape [2, 2] needs 4 elements, got 3',
      shapes: [[2, 2]],
    });
    expectShapeError(() => new Tensor([2, 2], [null], new Float32Array(4)), {
      op: 'Tensor',
      message: 'Tensor: 1 names for 2 dims',
      shapes: [],
    });
  });
});

describe('Tensor.get and toArray at the edges', () => {
  it('refuses a negative or fractional index', () => {
    const A = tensor([
      [1, 2],
      [3, 4],
    ]);
    expectShapeError(() => A.get(-1, 0), {
      op: 'get',
      message: 'get: index -1 out of range 0..1 for dim 0 of [2, 2]',
    });
    expectShapeError(() => A.get(0, 0.5), {
      op: 'get',
      message: 'get: index 0.5 out of range 0..1 for dim 1 of [2, 2]',
    });
  });

  it('gives a rank-0 tensor as its one number', () => {
    expect(new Tensor([], [], Float32Array.of(7)).toArray()).toBe(7);
  });
});
