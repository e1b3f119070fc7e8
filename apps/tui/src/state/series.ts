import type { ChartPoint } from '../render/chart.js';

/** Points a chart series keeps before it halves itself. @default 2000 */
export const SERIES_CAPACITY = 2000;

/** Two neighbours as one point: the later x, the mean y, and the raw extremes of both. */
export function mergePoints(a: ChartPoint, b: ChartPoint): ChartPoint {
  return {
    x: b.x,
    y: (a.y + b.y) / 2,
    lo: Math.min(a.lo ?? a.y, b.lo ?? b.y),
    hi: Math.max(a.hi ?? a.y, b.hi ?? b.y),
  };
}

/**
 * `points` with `p` appended (a new array; the state stays immutable). When full, neighbouring
 * points are merged in pairs first, keeping each pair's raw min and max so spikes stay visible.
 */
export function appendPoint(
  points: readonly ChartPoint[],
  p: ChartPoint,
  capacity = SERIES_CAPACITY,
): readonly ChartPoint[] {
  if (points.length < capacity) return [...points, p];
  const halved: ChartPoint[] = [];
  for (let i = 0; i + 1 < points.length; i += 2)
    halved.push(mergePoints(points[i]!, points[i + 1]!));
  if (points.length % 2 === 1) halved.push(points.at(-1)!);
  halved.push(p);
  return halved;
}
