import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { zeros } from '../create.js';
import { Tensor } from '../tensor.js';
import { add, div, mul, sub } from './elementwise.js';
import { matmul } from './matmul.js';
import { axpy } from './scalar.js';
import { relu } from './unary.js';

/** Two sets of the same size, 4 examples each, under different names. */
const Xtr = zeros([3, 'mTrain'], { mTrain: 4 });
const Xte = zeros([3, 'mTest'], { mTest: 4 });

describe('named dims are compared at run time as well as sizes', () => {
  it('matmul refuses inner dims with different names, with the compile-time text', () => {
    const Atr = zeros(['mTrain', 2], { mTrain: 4 });
    expectShapeError(() => matmul(Xte, Atr as never), {
      op: 'matmul',
      message: 'matmul: inner dims mTest and mTrain differ ([3, mTest] x [mTrain, 2])',
      shapes: [
        [3, 'mTest'],
        ['mTrain', 2],
      ],
    });
    expect(matmul(Xtr, Atr).shape).toEqual([3, 2]);
  });

  it.each([
    ['add', add, '+'],
    ['sub', sub, '-'],
    ['mul', mul, '*'],
    ['div', div, '/'],
  ] as const)('%s refuses same-size shapes whose names differ', (op, f, sign) => {
    expectShapeError(() => f(Xtr, Xte as never), {
      op,
      message: `${op}: shapes differ ([3, mTrain] ${sign} [3, mTest]); the second must equal the first or be a column [3, 1]`,
    });
  });

  it('the bias column must carry the rows’ name when both are named', () => {
    const H = zeros(['h', 'm'], { h: 2, m: 3 });
    const bh = zeros(['h', 1], { h: 2 });
    const bk = zeros(['k', 1], { k: 2 });
    expect(add(H, bh).dims).toEqual(['h', 'm']);
    expectShapeError(() => add(H, bk as never), {
      op: 'add',
      message:
        'add: shapes differ ([h, m] + [k, 1]); the second must equal the first or be a column [h, 1]',
    });
  });

  it('a fixed dim meets a named one of its size: only sizes can be compared', () => {
    const fixed = zeros([3, 4]);
    expect(add(Xtr, fixed as never).dims).toEqual([3, 'mTrain']);
    expect(matmul(zeros([2, 3]), Xte).dims).toEqual([2, 'mTest']);
  });

  it('axpy refuses a gradient of the other set', () => {
    expectShapeError(() => axpy(Xtr, 0.1, Xte as never), {
      op: 'axpy',
      message:
        'axpy: shapes differ ([3, mTrain] - [3, mTest]); the gradient must have the shape of the tensor it updates',
    });
  });

  it('an out buffer named for another set is refused', () => {
    expectShapeError(() => relu(Xtr, Xte as never), {
      op: 'relu',
      message: 'relu: out has shape [3, mTest], expected [3, mTrain]',
    });
    const unnamed = new Tensor([3, 4], [null, null], new Float32Array(12));
    expect(relu(Xtr, unnamed as never)).toBe(unnamed);
  });
});
