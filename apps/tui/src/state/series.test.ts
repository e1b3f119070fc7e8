import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChartPoint } from '../render/chart.js';
import { appendPoint, mergePoints } from './series.js';

describe('appendPoint', () => {
  it('appends without touching the old array', () => {
    const a: ChartPoint[] = [{ x: 1, y: 1 }];
    const b = appendPoint(a, { x: 2, y: 2 });
    expect(a).toHaveLength(1);
    expect(b).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]);
  });
  it('halves a full series, keeping each pair’s extremes', () => {
    const full = [1, 5, 2, 0].map((y, i) => ({ x: i, y }));
    expect(appendPoint(full, { x: 4, y: 3 }, 4)).toEqual([
      { x: 1, y: 3, lo: 1, hi: 5 },
      { x: 3, y: 1, lo: 0, hi: 2 },
      { x: 4, y: 3 },
    ]);
    expect(mergePoints({ x: 0, y: 2, lo: -1, hi: 2 }, { x: 1, y: 4 })).toEqual({
      x: 1,
      y: 3,
      lo: -1,
      hi: 4,
    });
  });
  it('never loses the raw minimum or maximum, and stays under capacity (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 4, max: 40 }),
        (ys, cap) => {
          let s: readonly ChartPoint[] = [];
          ys.forEach((y, i) => {
            s = appendPoint(s, { x: i, y }, cap);
          });
          expect(s.length).toBeLessThanOrEqual(cap);
          expect(Math.min(...s.map((p) => p.lo ?? p.y))).toBe(Math.min(...ys));
          expect(Math.max(...s.map((p) => p.hi ?? p.y))).toBe(Math.max(...ys));
          expect(s.at(-1)!.x).toBe(ys.length - 1);
        },
      ),
    );
  });
});
