import { memo, useMemo } from 'react';
import type { ChartPoint } from '../render/chart.js';
import { lineChart } from '../render/chart.js';
import type { Theme } from '../render/color.js';
import { smooth } from '../render/smoothing.js';
import { short } from '../render/text.js';
import { Lines, Panel } from './Panel.js';

export interface Props {
  /** Training loss by step (from progress events). */
  readonly points: readonly ChartPoint[];
  /** EMA weight of the drawn line; the raw min/max band stays visible. @default 0 */
  readonly smoothing?: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** @default false */
  readonly focused?: boolean;
}

export const LOSS_COLOR = [255, 200, 60] as const;

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
  width,
  height,
  theme,
  focused = false,
}: Props) {
  const lines = useMemo(
    () =>
      lineChart({
        width,
        height: height - 1,
        series: [{ points, color: LOSS_COLOR, smoothing }],
        mode: theme.mode,
        format: (y) => (Math.abs(y) >= 10 ? y.toFixed(1) : y.toFixed(3)),
        formatX: short,
      }),
    [points, smoothing, width, height, theme.mode],
  );
  const detail = `${latestLabel(points, smoothing, (y) => y.toFixed(4))} (smooth ${smoothing})`;
  return (
    <Panel
      title="Loss"
      detail={detail}
      hotkey={2}
      width={width}
      height={height}
      focused={focused}
      theme={theme}
    >
      {points.length ? (
        <Lines lines={lines} width={width} />
      ) : (
        <Lines lines={['waiting for the first steps…']} width={width} />
      )}
    </Panel>
  );
});
