import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { bind, tensor, zeros } from '../create.js';
import { ShapeError } from '../errors.js';
import { matmul, matmulKernel } from './matmul.js';

// The notes' shapes, with m = 3 examples.
const W1 = zeros([10, 784]);
const W2 = zeros([10, 10]);
const { X } = bind({ X: [784, 'm'] }, { X: { data: new Float32Array(784 * 3), shape: [784, 3] } });

describe('matmul', () => {
  it('multiplies [R, K] by [K, C]', () => {
    const r = matmul(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      tensor([[5], [6]]),
    );
    expect(r.toArray()).toEqual([[17], [39]]);
  });

  it('keeps the named dims of its operands', () => {
    expect(matmul(W1, X).dims).toEqual([10, 'm']);
  });

  it('refuses inner dims that differ, with the compile-time wording', () => {
    expect(() => matmul(W2, X as never)).toThrow(ShapeError);
    expect(() => matmul(W2, X as never)).toThrow(
      'matmul: inner dims 10 and 784 differ ([10, 10] x [784, m])',
    );
    expectShapeError(() => matmul(W2, X as never), {
      op: 'matmul',
      message: 'matmul: inner dims 10 and 784 differ ([10, 10] x [784, m])',
      shapes: [
        [10, 10],
        [784, 'm'],
      ],
    });
  });

  it('refuses operands that are not matrices', () => {
    expectShapeError(() => matmul(zeros([3]) as never, W2 as never), {
      op: 'matmul',
      message: 'matmul: expects two matrices, got rank 1 and rank 2 ([3] x [10, 10])',
      shapes: [[3], [10, 10]],
    });
  });

  it('refuses an out of the wrong shape', () => {
    expectShapeError(() => matmul(W1, X, zeros([10, 5]) as never), {
      op: 'matmul',
      message: 'matmul: out has shape [10, 5], expected [10, m]',
      shapes: [
        [10, 5],
        [10, 'm'],
      ],
    });
  });

  it('refuses an out that aliases an input', () => {
    const A = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => matmul(A, A, A)).toThrow('matmul: out must not alias an input');
    expect(() => matmulKernel(A.data, A.data, A.data, 2, 2, 2)).toThrow(
      'matmul: out must not alias an input',
    );
  });
});

describe('matmul: the checks each operand gets on its own', () => {
  it('refuses a vector as the second operand even when its length matches', () => {
    expectShapeError(() => matmul(zeros([2, 3]), zeros([3]) as never), {
      op: 'matmul',
      message: 'matmul: expects two matrices, got rank 2 and rank 1 ([2, 3] x [3])',
    });
  });

  it('refuses an out that aliases only the first or only the second input', () => {
    const A = new Float32Array(4);
    const B = new Float32Array(4);
    expect(() => matmulKernel(A, B, A, 2, 2, 2)).toThrow('matmul: out must not alias an input');
    expect(() => matmulKernel(A, B, B, 2, 2, 2)).toThrow('matmul: out must not alias an input');
  });

  it('skips zero entries of A, as documented: 0 · ∞ adds nothing rather than NaN', () => {
    const C = new Float32Array(2);
    // A = [0, 1] (1×2), B = [[∞, 1], [2, 3]] (2×2): row 0 of B is never read.
    matmulKernel(Float32Array.of(0, 1), Float32Array.of(Infinity, 1, 2, 3), C, 1, 2, 2);
    expect(Array.from(C)).toEqual([2, 3]);
  });
});
