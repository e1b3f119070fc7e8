import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smooth } from './smoothing.js';

describe('smooth (TensorBoard EMA with debiasing)', () => {
  it('matches hand-computed values', () => {
    const s = smooth([1, 0, 1, 0], 0.5);
    expect(s[0]).toBeCloseTo(1);
    expect(s[1]).toBeCloseTo(1 / 3);
    expect(s[2]).toBeCloseTo(5 / 7);
    expect(s[3]).toBeCloseTo(5 / 15);
  });
  it('is the identity at weight 0 and keeps a constant series constant (no pull towards 0)', () => {
    expect(smooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
    for (const v of smooth([5, 5, 5, 5], 0.99)) expect(v).toBeCloseTo(5);
  });
  it('passes non-finite values through', () => {
    expect(smooth([1, Number.NaN, 1], 0.5)[1]).toBeNaN();
  });
  it('stays within the raw range (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (ys, w) => {
          const lo = Math.min(...ys);
          const hi = Math.max(...ys);
          for (const v of smooth(ys, w)) {
            expect(v).toBeGreaterThanOrEqual(lo - 1e-6 * (1 + Math.abs(lo)));
            expect(v).toBeLessThanOrEqual(hi + 1e-6 * (1 + Math.abs(hi)));
          }
        },
      ),
    );
  });
});
