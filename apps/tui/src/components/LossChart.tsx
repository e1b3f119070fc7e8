import { memo, useMemo } from 'react';
import type { ChartPoint } from '../render/chart.js';
import { comparedChart } from '../render/legend.js';
import { smooth } from '../render/smoothing.js';
import { short } from '../render/text.js';
import type { CompareRun } from '../state/state.js';
import { Lines, Panel, type PanelFrame } from './Panel.js';

export interface Props extends PanelFrame {
  /** Training loss by step (from progress events). */
  readonly points: readonly ChartPoint[];
  /** EMA weight of the drawn line; the raw min/max band stays visible. @default 0 */
  readonly smoothing?: number;
  /** A logarithmic y axis (labels stay in loss units). @default false */
  readonly logScale?: boolean;
  /** Earlier runs drawn under the live line, each with its label in a legend. @default [] */
  readonly compare?: readonly CompareRun[];
}

export const LOSS_COLOR = [255, 200, 60] as const;

/** Smallest loss a log axis shows (a loss of 0 has no logarithm). */
const LOG_FLOOR = 1e-4;
const log = (y: number) => Math.log10(Math.max(LOG_FLOOR, y));

/** Points on a log10 axis, the raw band too. */
export function toLog(points: readonly ChartPoint[]): ChartPoint[] {
  return points.map((p) => ({
    x: p.x,
    y: log(p.y),
    ...(p.lo === undefined ? {} : { lo: log(p.lo) }),
    ...(p.hi === undefined ? {} : { hi: log(p.hi) }),
  }));
}

/** An axis label: `0.081`, `12.4`. */
const label = (y: number) => (Math.abs(y) >= 10 ? y.toFixed(1) : y.toFixed(3));

/** The latest raw value and, when smoothing, the latest smoothed one after a `~`: `0.3121 · ~0.3302`. */
export function latestLabel(
  points: readonly ChartPoint[],
  smoothing: number,
  format: (y: number) => string,
): string {
  const last = points.at(-1);
  if (!last) return '–';
  if (smoothing <= 0) return format(last.y);
  const s = smooth(
    points.map((p) => p.y),
    smoothing,
  ).at(-1)!;
  return `${format(last.y)} · ~${format(s)}`;
}

/** Training loss over steps: the smoothed line over the raw band, y axis with values, the latest value in the title. */
export const LossChart = memo(function LossChart({
  points,
  smoothing = 0,
  logScale = false,
  compare = [],
  ...frame
}: Props) {
  const { width, height, theme } = frame;
  const lines = useMemo(() => {
    const scale = logScale ? toLog : (p: readonly ChartPoint[]) => p;
    return comparedChart({
      width,
      height: height - 1,
      live: { label: 'live', color: LOSS_COLOR },
      compare: compare.map((r) => ({ label: r.label, points: scale(r.loss) })),
      series: [{ points: scale(points), color: LOSS_COLOR, smoothing }],
      mode: theme.mode,
      // A loss is never negative: the axis stops at 0 (or at the log axis' floor).
      ...(logScale ? {} : { bounds: [0, Number.POSITIVE_INFINITY] as const }),
      format: logScale ? (y) => label(10 ** y) : label,
      formatX: short,
    });
  }, [points, smoothing, logScale, compare, width, height, theme.mode]);
  const detail = `${latestLabel(points, smoothing, (y) => y.toFixed(4))} (smooth ${smoothing}${logScale ? ', log' : ''})`;
  return (
    <Panel title="Loss" detail={detail} hotkey={2} {...frame}>
      {points.length || compare.length ? (
        <Lines lines={lines} width={width} />
      ) : (
        <Lines lines={['waiting for the first steps…']} width={width} />
      )}
    </Panel>
  );
});
