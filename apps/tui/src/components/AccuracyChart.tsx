import { percent } from '@mnist/net/cli';
import { memo, useMemo } from 'react';
import type { ChartPoint } from '../render/chart.js';
import { comparedChart } from '../render/legend.js';
import { short } from '../render/text.js';
import type { CompareRun } from '../state/state.js';
import { Lines, Panel, type PanelFrame } from './Panel.js';

export interface Props extends PanelFrame {
  /** Accuracy of the last training batches by step (progress events). */
  readonly train: readonly ChartPoint[];
  /** Test-set accuracy by step (evaluation events). */
  readonly test: readonly ChartPoint[];
  /** EMA weight for the training line (the test line is drawn raw). @default 0 */
  readonly smoothing?: number;
  /** Earlier runs whose test accuracy is drawn under the live lines, labelled. @default [] */
  readonly compare?: readonly CompareRun[];
}

export const TRAIN_COLOR = [90, 200, 255] as const;
export const TEST_COLOR = [120, 230, 120] as const;

/** Train (batch) and test accuracy over steps, with the latest values in the title. */
export const AccuracyChart = memo(function AccuracyChart({
  train,
  test,
  smoothing = 0,
  compare = [],
  ...frame
}: Props) {
  const { width, height, theme } = frame;
  const lines = useMemo(
    () =>
      comparedChart({
        width,
        height: height - 1,
        live: { label: 'live test', color: TEST_COLOR },
        compare: compare.map((r) => ({ label: r.label, points: r.testAccuracy })),
        series: [
          { points: train, color: TRAIN_COLOR, smoothing },
          { points: test, color: TEST_COLOR },
        ],
        mode: theme.mode,
        bounds: [0, 1],
        format: (y) => percent(y, 1),
        formatX: short,
      }),
    [train, test, smoothing, compare, width, height, theme.mode],
  );
  const trainLast = train.at(-1);
  const testLast = test.at(-1);
  const detail = `train ${trainLast ? percent(trainLast.y, 1) : '–'} · test ${testLast ? percent(testLast.y, 2) : '–'}`;
  return (
    <Panel title="Accuracy" detail={detail} hotkey={3} {...frame}>
      {train.length || test.length || compare.length ? (
        <Lines lines={lines} width={width} />
      ) : (
        <Lines lines={['waiting for the first steps…']} width={width} />
      )}
    </Panel>
  );
});
