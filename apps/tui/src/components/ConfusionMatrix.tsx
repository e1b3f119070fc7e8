import type { Metrics } from '@mnist/net';
import { percent } from '@mnist/net/cli';
import { memo, useMemo } from 'react';
import type { ColorMode, Rgb } from '../render/color.js';
import { sequential } from '../render/heatmap.js';
import { StyledLine, styled } from '../render/styled-line.js';
import { fit, grouped } from '../render/text.js';
import { Lines, Panel, type PanelFrame } from './Panel.js';

export interface Props extends PanelFrame {
  /** Test-set metrics of the latest evaluation (null before the first). */
  readonly metrics: Metrics | null;
  /** Step of that evaluation, for the title. */
  readonly step?: number;
}

const RIGHT = sequential([40, 170, 60]);
const WRONG = sequential([210, 40, 40]);
const ink = (bg: Rgb): Rgb =>
  bg[0] * 0.3 + bg[1] * 0.59 + bg[2] * 0.11 > 110 ? [0, 0, 0] : [235, 235, 235];

/**
 * The matrix as lines: a header of predicted classes, one row per true class with its counts as
 * a heat map (green diagonal by the class's accuracy, red elsewhere by the share of the class
 * mistaken for that column, full red at 10 %), and the class's accuracy at the end.
 */
export function confusionLines(m: Metrics, mode: ColorMode): string[] {
  const lines = [
    `t\\p│${Array.from({ length: 10 }, (_, p) => String(p).padStart(4).padEnd(5)).join('')}│  acc`,
  ];
  m.confusion.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    const line = new StyledLine(mode).push(` ${t} │`);
    row.forEach((n, p) => {
      const share = total > 0 ? n / total : 0;
      const bg = p === t ? RIGHT(share) : WRONG(Math.min(1, share * 10));
      line.push(
        String(n).padStart(4).padEnd(5),
        n === 0 && p !== t ? [110, 110, 110] : ink(bg),
        n === 0 && p !== t ? null : bg,
      );
    });
    const acc = m.perClass[t] ?? Number.NaN;
    line.push(`│${(Number.isNaN(acc) ? '–' : percent(acc, 1)).padStart(6)}`);
    lines.push(line.toString());
  });
  return lines;
}

/** The 10×10 confusion matrix of the test set as a coloured heat map, with per-class accuracy. */
export const ConfusionMatrix = memo(function ConfusionMatrix({ metrics, step, ...frame }: Props) {
  const { width, height, theme } = frame;
  const lines = useMemo(
    () => (metrics ? confusionLines(metrics, theme.mode) : []),
    [metrics, theme.mode],
  );
  const detail = metrics
    ? `${percent(metrics.accuracy, 2)} of ${grouped(metrics.count)}${step === undefined ? '' : ` · step ${grouped(step)}`}`
    : '';
  return (
    <Panel title="Confusion (test)" detail={detail} hotkey={4} {...frame}>
      {metrics ? (
        <Lines
          lines={[
            ...lines.slice(0, Math.max(0, height - 1)),
            ...(height >= 13
              ? [
                  styled(
                    theme.mode,
                    fit('rows: true digit · columns: predicted', width),
                    theme.muted,
                  ),
                ]
              : []),
          ]}
          width={width}
        />
      ) : (
        <Lines lines={['waiting for the first evaluation…']} width={width} />
      )}
    </Panel>
  );
});
