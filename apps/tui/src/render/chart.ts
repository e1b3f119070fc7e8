/**
 * Line charts in braille with value axes. A smoothed series is drawn over the band of its raw
 * values (TensorBoard's smoothing alone hides spikes; the band keeps them visible).
 */
import { BrailleCanvas } from './braille.js';
import type { ColorMode, Rgb } from './color.js';
import { smooth } from './smoothing.js';
import { StyledLine } from './styled-line.js';

/** One point; `lo`/`hi` are the raw extremes when several points were merged into it. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly lo?: number;
  readonly hi?: number;
}

export interface ChartSeries {
  /** Points in increasing x. */
  readonly points: readonly ChartPoint[];
  readonly color: Rgb;
  /** EMA weight (0: draw the raw values only). @default 0 */
  readonly smoothing?: number;
  /** Colour of the raw band under a smoothed line. @default a dim version of `color` */
  readonly envelope?: Rgb;
}

export interface ChartOptions {
  /** Size in cells, axes included. */
  readonly width: number;
  readonly height: number;
  readonly series: readonly ChartSeries[];
  readonly mode: ColorMode;
  /** How y values are labelled. @default 3 significant digits */
  readonly format?: (y: number) => string;
  /** How x values are labelled. @default the number */
  readonly formatX?: (x: number) => string;
  /** Limits the y axis never goes past (accuracy: 0 and 1). */
  readonly bounds?: readonly [number, number];
}

const dim = (c: Rgb): Rgb => [c[0] * 0.45, c[1] * 0.45, c[2] * 0.45];
const AXIS: Rgb = [128, 128, 128];

/** The y range of the series, padded by 5 %, inside `bounds`. */
export function yRange(
  series: readonly ChartSeries[],
  bounds?: readonly [number, number],
): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series)
    for (const p of s.points) {
      if (!Number.isFinite(p.y)) continue;
      lo = Math.min(lo, p.lo ?? p.y, p.y);
      hi = Math.max(hi, p.hi ?? p.y, p.y);
    }
  if (!Number.isFinite(lo))
    return bounds && Number.isFinite(bounds[1]) ? [bounds[0], bounds[1]] : [bounds?.[0] ?? 0, 1];
  const pad = hi > lo ? (hi - lo) * 0.05 : Math.max(Math.abs(hi) * 0.05, 0.01);
  lo -= pad;
  hi += pad;
  if (bounds) {
    lo = Math.max(bounds[0], lo);
    hi = Math.min(bounds[1], hi);
  }
  return [lo, hi];
}

/**
 * The chart as `height` lines of `width` cells: y labels and axis on the left, the x axis with
 * its first and last values on the bottom line.
 */
export function lineChart(o: ChartOptions): string[] {
  const format = o.format ?? ((y: number) => y.toPrecision(3));
  const formatX = o.formatX ?? ((x: number) => String(x));
  const rows = Math.max(1, o.height - 1);
  const [y0, y1] = yRange(o.series, o.bounds);
  const labels = [format(y1), format((y0 + y1) / 2), format(y0)];
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const cols = Math.max(1, o.width - labelWidth - 1);
  const canvas = new BrailleCanvas(cols, rows);

  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  for (const s of o.series) {
    const first = s.points[0];
    const last = s.points.at(-1);
    if (first && last) {
      x0 = Math.min(x0, first.x);
      x1 = Math.max(x1, last.x);
    }
  }
  if (!Number.isFinite(x0)) [x0, x1] = [0, 1];
  if (x1 <= x0) x1 = x0 + 1;
  const px = (x: number) => ((x - x0) / (x1 - x0)) * (canvas.width - 1);
  const py = (y: number) => (1 - (y - y0) / (y1 - y0)) * (canvas.height - 1);

  const colors: (Rgb | null)[] = [null];
  o.series.forEach((s, i) => {
    const smoothing = s.smoothing ?? 0;
    const envLayer = 1 + 2 * i;
    const lineLayer = 2 + 2 * i;
    colors[envLayer] = s.envelope ?? dim(s.color);
    colors[lineLayer] = s.color;
    const raw = s.points.map((p) => p.y);
    const drawn = smoothing > 0 ? smooth(raw, smoothing) : raw;
    const merged = s.points.some((p) => p.lo !== undefined);
    if (smoothing > 0 || merged) {
      // The raw band: the raw line, plus each merged point's extremes.
      s.points.forEach((p, j) => {
        const prev = s.points[j - 1];
        if (prev) canvas.line(px(prev.x), py(prev.y), px(p.x), py(p.y), envLayer);
        canvas.line(px(p.x), py(p.lo ?? p.y), px(p.x), py(p.hi ?? p.y), envLayer);
      });
    }
    drawn.forEach((y, j) => {
      const p = s.points[j]!;
      const prev = j > 0 ? drawn[j - 1]! : y;
      const prevX = j > 0 ? s.points[j - 1]!.x : p.x;
      canvas.line(px(prevX), py(prev), px(p.x), py(y), lineLayer);
    });
  });

  const plot = canvas.lines(colors, o.mode);
  const mid = Math.floor((rows - 1) / 2);
  const out = plot.map((line, r) => {
    const label =
      r === 0 ? labels[0]! : r === rows - 1 ? labels[2]! : r === mid && rows >= 5 ? labels[1]! : '';
    const tick = label ? '┤' : '│';
    return `${new StyledLine(o.mode).push(`${label.padStart(labelWidth)}${tick}`, AXIS).toString()}${line}`;
  });
  const left = formatX(x0);
  const right = formatX(x1);
  const fill = Math.max(0, cols - left.length - right.length);
  const axis = `${' '.repeat(labelWidth)}└${left}${'─'.repeat(fill)}${right}`.slice(0, o.width);
  out.push(new StyledLine(o.mode).push(axis, AXIS).toString());
  return out;
}
