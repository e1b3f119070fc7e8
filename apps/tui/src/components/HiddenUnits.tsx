import { memo, useMemo } from 'react';
import type { ColorMode } from '../render/color.js';
import { diverging, halfBlocks, resample } from '../render/heatmap.js';
import { fit } from '../render/text.js';
import type { Weights } from '../state/state.js';
import { Blocks, Lines, Panel, type PanelFrame } from './Panel.js';

export interface Props extends PanelFrame {
  /** Weights of the latest evaluation, or null before the first one. */
  readonly weights: Weights | null;
  /** Step those weights belong to. @default 0 */
  readonly step?: number;
  /** First unit shown (n/b page when this panel has the focus). @default 0 */
  readonly offset?: number;
  /** Draw every weight (28×28 maps, paged) rather than fitting all units in. @default false */
  readonly full?: boolean;
}

/**
 * Size of each unit's map: with `full`, 28 (every weight) if one fits; else the largest even side
 * n ≤ 28 (n columns, n/2 lines, plus a label line) that shows all `count` units, else 14 (or
 * smaller if the panel is tiny) with paging.
 */
export function unitGeometry(
  width: number,
  height: number,
  count: number,
  full = false,
): { side: number; perRow: number; rows: number } {
  const avail = height - 1;
  const fits = (n: number) => {
    const perRow = Math.floor((width + 1) / (n + 1));
    const rows = Math.floor(avail / (1 + n / 2));
    return { side: n, perRow, rows };
  };
  const whole = fits(28);
  if (full && whole.perRow * whole.rows >= 1) return whole;
  for (let n = 28; n >= 8; n -= 2) {
    const g = fits(n);
    if (g.perRow * g.rows >= count) return g;
  }
  for (let n = 14; n >= 6; n -= 2) {
    const g = fits(n);
    if (g.perRow * g.rows >= 1) return g;
  }
  return { side: 6, perRow: 0, rows: 0 };
}

/** The lines of one unit: label and its W1 row as an n×n heat map, scaled to the row's largest |w|. */
export function unitBlock(w: Weights, unit: number, side: number, mode: ColorMode): string[] {
  const row = w.W1.subarray(unit * 784, (unit + 1) * 784);
  let scale = 0;
  for (let i = 0; i < row.length; i++) scale = Math.max(scale, Math.abs(row[i]!));
  const px = resample(row, 28, 28, side, side);
  return [
    fit(`h${unit} b ${w.b1[unit]!.toFixed(2)}`, side),
    ...halfBlocks(px, side, side, diverging(scale), mode),
  ];
}

/** What each hidden unit has learned: the rows of W1 as 28×28 heat maps (orange +, blue −). */
export const HiddenUnits = memo(function HiddenUnits({
  weights,
  step = 0,
  offset = 0,
  full = false,
  ...frame
}: Props) {
  const { width, height, theme } = frame;
  const count = weights?.hidden ?? 0;
  const g = unitGeometry(width, height, count, full);
  const capacity = g.perRow * g.rows;
  const first =
    count === 0 || capacity === 0
      ? 0
      : Math.min(offset, Math.max(0, Math.floor((count - 1) / capacity) * capacity));
  const blocks = useMemo(() => {
    if (!weights || capacity === 0) return [];
    const units = Array.from({ length: Math.min(capacity, count - first) }, (_, k) => first + k);
    return units.map((u) => unitBlock(weights, u, g.side, theme.mode));
  }, [weights, first, capacity, count, g.side, theme.mode]);
  const legend = theme.mode === 'none' ? '░▒▓ +  -=≡ −' : 'orange + · blue −';
  const detail = weights
    ? `${first + 1}–${Math.min(count, first + capacity)} of ${count} · ${g.side}×${g.side} · ${legend} · step ${step}`
    : '';
  return (
    <Panel title="Hidden units (rows of W1)" detail={detail} hotkey={6} {...frame}>
      {weights ? (
        <Blocks blocks={blocks} blockWidth={g.side} perRow={g.perRow} />
      ) : (
        <Lines lines={['waiting for the first evaluation…']} width={width} />
      )}
    </Panel>
  );
});
