import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ChartPoint } from '../render/chart.js';
import { themeFor } from '../render/color.js';
import { text } from '../test-support/frame.js';
import { AccuracyChart } from './AccuracyChart.js';
import { LossChart } from './LossChart.js';

const loss: ChartPoint[] = Array.from({ length: 50 }, (_, i) => ({
  x: (i + 1) * 10,
  y: 2 / Math.sqrt(i + 1),
}));

describe('LossChart', () => {
  it('prints the latest value, raw and smoothed, and a y axis with values', () => {
    const frame = text(
      render(
        <LossChart points={loss} smoothing={0.6} width={50} height={10} theme={themeFor('none')} />,
      ),
    );
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/^─ 2 Loss 0\.2828 · ~0\.\d{4} \(smooth 0\.6\) ─+$/);
    expect(lines[1]).toMatch(/^2\.\d{3}┤/);
    expect(lines.at(-1)).toMatch(/└10─+500$/);
    expect(lines).toHaveLength(10);
  });
  it('prints only the raw value without smoothing', () => {
    expect(
      text(render(<LossChart points={loss} width={50} height={8} theme={themeFor('none')} />)),
    ).toContain('Loss 0.2828 (smooth 0)');
  });
  it('waits for the first steps', () => {
    expect(
      text(render(<LossChart points={[]} width={40} height={6} theme={themeFor('none')} />)),
    ).toContain('waiting for the first steps…');
  });
});

describe('AccuracyChart', () => {
  it('prints the latest train and test accuracy on a 0–100 % axis', () => {
    const train = [0.5, 0.8, 0.9].map((y, i) => ({ x: (i + 1) * 100, y }));
    const test = [{ x: 300, y: 0.8812 }];
    const frame = text(
      render(
        <AccuracyChart train={train} test={test} width={60} height={8} theme={themeFor('none')} />,
      ),
    );
    expect(frame).toContain('Accuracy train 90.0% · test 88.12%');
    expect(frame).toMatch(/9\d\.\d%┤/);
  });
});

describe('LossChart: axis, log scale, compare', () => {
  const labels = (frame: string) =>
    [...frame.matchAll(/^ *(-?[\d.]+)┤/gm)].map((m) => Number(m[1]));

  it('never labels the axis below 0, however close to 0 the loss comes', () => {
    const low = Array.from({ length: 40 }, (_, i) => ({ x: i + 1, y: 0.02 / (i + 1) }));
    const frame = text(
      render(<LossChart points={low} width={50} height={10} theme={themeFor('none')} />),
    );
    const ys = labels(frame);
    expect(ys.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
    expect(frame).not.toMatch(/-0\.0/);
  });

  it('on a log axis, labels stay in loss units and span the decades', () => {
    const decades = [1, 0.1, 0.01].map((y, i) => ({ x: i + 1, y }));
    const frame = text(
      render(
        <LossChart points={decades} logScale width={50} height={10} theme={themeFor('none')} />,
      ),
    );
    expect(frame).toContain('(smooth 0, log)');
    const ys = labels(frame);
    expect(Math.max(...ys)).toBeGreaterThanOrEqual(1);
    expect(Math.min(...ys)).toBeLessThanOrEqual(0.01);
    // the middle label of a log axis is the geometric mean (0.1), not the arithmetic one (0.5)
    expect(ys).toContain(0.1);
  });

  it('labels the live run and each earlier run', () => {
    const frame = text(
      render(
        <LossChart
          points={loss}
          compare={[
            { label: '2026-11-30T20-15-03-fast', loss: loss.slice(0, 20), testAccuracy: [] },
          ]}
          width={60}
          height={10}
          theme={themeFor('none')}
        />,
      ),
    );
    expect(frame).toContain('━ live  ━ 2026-11-30T20-15-03-fast');
  });
});
