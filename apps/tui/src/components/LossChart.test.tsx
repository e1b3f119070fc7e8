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
