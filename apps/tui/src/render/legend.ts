/** Colours and the legend line of the runs overlaid on the live charts (`--compare`). */
import { type ChartOptions, type ChartPoint, lineChart } from './chart.js';
import type { ColorMode, Rgb } from './color.js';
import { StyledLine } from './styled-line.js';
import { truncateAnsi } from './text.js';

/** Colours of earlier runs, in the order they were named. */
export const COMPARE_COLORS: readonly Rgb[] = [
  [220, 120, 255],
  [255, 120, 120],
  [170, 170, 170],
  [120, 140, 255],
];

export const compareColor = (i: number): Rgb => COMPARE_COLORS[i % COMPARE_COLORS.length]!;

/** `━ live  ━ 20261130-2015-fast`: each series' colour and label, cut to `width`. */
export function legendLine(
  entries: readonly { readonly label: string; readonly color: Rgb }[],
  mode: ColorMode,
  width: number,
): string {
  const line = new StyledLine(mode);
  entries.forEach((e, i) => {
    if (i) line.push('  ');
    line.push('━ ', e.color).push(e.label);
  });
  return truncateAnsi(line.toString(), width);
}

export interface ComparedChartOptions extends ChartOptions {
  /** The live line's legend entry. */
  readonly live: { readonly label: string; readonly color: Rgb };
  /** Earlier runs' lines, in the order named: drawn under `series` in `compareColor(i)`. */
  readonly compare: readonly { readonly label: string; readonly points: readonly ChartPoint[] }[];
}

/**
 * A line chart of the live `series` over the earlier runs' lines. With earlier runs, the first
 * of the `height` lines is their legend (the live entry first), the chart takes the rest.
 */
export function comparedChart({ live, compare, ...chart }: ComparedChartOptions): string[] {
  if (!compare.length) return lineChart(chart);
  const colored = compare.map((r, i) => ({ ...r, color: compareColor(i) }));
  return [
    legendLine([live, ...colored], chart.mode, chart.width),
    ...lineChart({
      ...chart,
      height: chart.height - 1,
      series: [...colored.map(({ points, color }) => ({ points, color })), ...chart.series],
    }),
  ];
}
