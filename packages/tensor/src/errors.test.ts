import { describe, expect, it } from 'vitest';
import { check, pair, ShapeError } from './errors.js';

describe('ShapeError', () => {
  it('is an Error naming the op, with the shapes beside the message', () => {
    const e = new ShapeError('matmul', 'inner dims 10 and 784 differ', [
      [10, 10],
      [784, 'm'],
    ]);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ShapeError');
    expect(e.message).toBe('matmul: inner dims 10 and 784 differ');
    expect(e.op).toBe('matmul');
    expect(e.shapes).toEqual([
      [10, 10],
      [784, 'm'],
    ]);
    expect(String(e)).toBe('ShapeError: matmul: inner dims 10 and 784 differ');
  });

  it('check builds its message only on failure', () => {
    let built = 0;
    const message = () => {
      built++;
      return 'bad';
    };
    check(true, 'op', message);
    expect(built).toBe(0);
    expect(() => check(false, 'op', message, [[1]])).toThrow('op: bad');
    expect(built).toBe(1);
  });

  it('pair shows two shapes as messages do', () => {
    expect(pair([10, 10], [784, 'm'])).toBe('([10, 10] x [784, m])');
    expect(pair([10, 'm'], [784, 1], '+')).toBe('([10, m] + [784, 1])');
  });
});
