import { describe, expect, it } from 'vitest';
import { type ChartPoint, lineChart, yRange } from './chart.js';
import { stripAnsi } from './color.js';

const pts = (ys: number[]): ChartPoint[] => ys.map((y, i) => ({ x: i + 1, y }));

describe('lineChart', () => {
  it('is exactly width × height, with y labels and the x range on the axis', () => {
    const lines = lineChart({
      width: 30,
      height: 6,
      series: [{ points: pts([2, 1.5, 1, 0.5]), color: [255, 0, 0] }],
      mode: 'none',
      format: (y) => y.toFixed(2),
    });
    expect(lines).toHaveLength(6);
    for (const l of lines) expect([...stripAnsi(l)].length).toBeLessThanOrEqual(30);
    expect(stripAnsi(lines[0]!)).toMatch(/^2\.08┤/);
    expect(stripAnsi(lines[4]!)).toMatch(/^0\.42┤/);
    expect(stripAnsi(lines[5]!)).toMatch(/^ {4}└1─+4$/);
  });
  it('draws a falling line from the top left to the bottom right', () => {
    const lines = lineChart({
      width: 12,
      height: 5,
      series: [{ points: pts([1, 0]), color: [255, 0, 0] }],
      mode: 'none',
      format: (y) => y.toFixed(1),
    });
    const plot = lines.slice(0, 4).map((l) => [...stripAnsi(l)].slice(4));
    expect(plot[0]![0]).not.toBe(' ');
    expect(plot[3]!.at(-1)).not.toBe(' ');
    expect(plot[0]!.at(-1)).toBe(' ');
  });
  it('keeps a spike visible under heavy smoothing (the raw band)', () => {
    const ys = Array.from({ length: 60 }, (_, i) => (i === 30 ? 10 : 1));
    const smoothed = lineChart({
      width: 40,
      height: 8,
      series: [{ points: pts(ys), color: [255, 0, 0], smoothing: 0.99 }],
      mode: 'none',
    });
    // The y axis reaches the spike, and dots are drawn in the top row.
    expect(stripAnsi(smoothed[0]!)).toMatch(/^ ?10\.\d┤.*[⠁-⣿]/);
  });
  it('pads the y range and respects bounds', () => {
    expect(yRange([{ points: pts([0.5, 1]), color: [0, 0, 0] }], [0, 1])).toEqual([0.475, 1]);
    expect(yRange([], [0, 1])).toEqual([0, 1]);
    const [lo, hi] = yRange([{ points: [{ x: 1, y: 1, lo: 0, hi: 3 }], color: [0, 0, 0] }]);
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(3);
  });
});
