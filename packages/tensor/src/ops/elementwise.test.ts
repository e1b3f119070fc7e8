import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../../test/helpers.js';
import { bind, tensor, zeros } from '../create.js';
import { add, div, mul, sub } from './elementwise.js';

const { Z1 } = bind({ Z1: [10, 'm'] }, { Z1: { data: new Float32Array(10 * 4), shape: [10, 4] } });

const ops = [
  { op: add, name: 'add', sign: '+' },
  { op: sub, name: 'sub', sign: '-' },
  { op: mul, name: 'mul', sign: '*' },
  { op: div, name: 'div', sign: '/' },
] as const;

describe('element-wise ops', () => {
  it('compute element by element and broadcast a column', () => {
    const A = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(add(A, tensor([[10], [20]])).toArray()).toEqual([
      [11, 12],
      [23, 24],
    ]);
    expect(sub(A, A).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(mul(A, tensor([[2], [3]])).toArray()).toEqual([
      [2, 4],
      [9, 12],
    ]);
    expect(
      div(
        A,
        tensor([
          [1, 2],
          [3, 8],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 1],
      [1, 0.5],
    ]);
  });

  describe.each(ops)('$name', ({ op, name, sign }) => {
    it('refuses a bias column of the wrong height (the notes’ b1 written as [784, 1])', () => {
      expectShapeError(() => op(Z1, zeros([784, 1]) as never), {
        op: name,
        message: `${name}: shapes differ ([10, m] ${sign} [784, 1]); the second must equal the first or be a column [10, 1]`,
        shapes: [
          [10, 'm'],
          [784, 1],
        ],
      });
    });

    it('refuses a row [1, C]: only columns broadcast', () => {
      expectShapeError(() => op(zeros([2, 3]), zeros([1, 3]) as never), {
        op: name,
        message: `${name}: shapes differ ([2, 3] ${sign} [1, 3]); the second must equal the first or be a column [2, 1]`,
        shapes: [
          [2, 3],
          [1, 3],
        ],
      });
    });

    it('refuses shapes of another rank', () => {
      expectShapeError(() => op(zeros([2, 3, 4]), zeros([2, 3]) as never), {
        op: name,
        message: `${name}: shapes differ ([2, 3, 4] ${sign} [2, 3]); the second must equal the first or be a column [2, 1]`,
        shapes: [
          [2, 3, 4],
          [2, 3],
        ],
      });
    });

    it('refuses an out of the wrong shape', () => {
      expectShapeError(() => op(Z1, Z1, zeros([4, 10]) as never), {
        op: name,
        message: `${name}: out has shape [4, 10], expected [10, m]`,
        shapes: [
          [4, 10],
          [10, 'm'],
        ],
      });
    });
  });
});

describe('which second operands broadcast: a column [R, 1] of a matrix, nothing else', () => {
  it.each(ops)(
    '$name refuses a matrix-like column beside a rank-3 first operand',
    ({ op, name, sign }) => {
      expectShapeError(() => op(zeros([2, 3, 4]), zeros([2, 1]) as never), {
        op: name,
        message: `${name}: shapes differ ([2, 3, 4] ${sign} [2, 1]); the second must equal the first or be a column [2, 1]`,
      });
    },
  );

  it.each(ops)(
    '$name refuses a rank-3 second operand shaped like a column',
    ({ op, name, sign }) => {
      expectShapeError(() => op(zeros([2, 3]), zeros([2, 1, 3]) as never), {
        op: name,
        message: `${name}: shapes differ ([2, 3] ${sign} [2, 1, 3]); the second must equal the first or be a column [2, 1]`,
      });
    },
  );

  it.each(ops)(
    '$name refuses a vector beside a matrix whose first dim it matches',
    ({ op, name, sign }) => {
      expectShapeError(() => op(zeros([2]), zeros([2, 1]) as never), {
        op: name,
        message: `${name}: shapes differ ([2] ${sign} [2, 1]); the second must equal the first or be a column [2, 1]`,
      });
    },
  );

  it.each(ops)(
    '$name names the column [R, 1] when the first operand is a scalar',
    ({ op, name, sign }) => {
      expectShapeError(() => op(zeros([]), zeros([1]) as never), {
        op: name,
        message: `${name}: shapes differ ([] ${sign} [1]); the second must equal the first or be a column [R, 1]`,
      });
    },
  );
});
