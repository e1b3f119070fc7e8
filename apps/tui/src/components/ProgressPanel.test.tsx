import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { themeFor } from '../render/color.js';
import { reduce } from '../state/reducer.js';
import { initialState } from '../state/state.js';
import { evaluation, progress, start } from '../test-support/fake.js';
import { text } from '../test-support/frame.js';
import { ProgressPanel, progressLines } from './ProgressPanel.js';

const view = [
  start(),
  progress(500, 0.3123, {
    epoch: 3,
    learningRate: 0.00231,
    examplesPerSecond: 52_300,
    elapsedMs: 62_000,
    etaMs: 75_000,
  }),
  evaluation(250),
].reduce((s, event) => reduce(s, { type: 'event', event }), initialState());

describe('ProgressPanel', () => {
  it('shows where the run is, its speed and time, the rate, optimiser, preset and hyperparameters', () => {
    const frame = text(
      render(<ProgressPanel view={view} width={40} height={10} theme={themeFor('none')} />),
    );
    expect(frame).toContain('─ 1 Progress running');
    expect(frame).toContain('50%');
    expect(frame).toContain('step 500/1,000 · epoch 3/4');
    expect(frame).toContain('loss 0.3123 · batch acc 90.0%');
    expect(frame).toContain('52k ex/s · 1m02s · ETA 1m15s');
    expect(frame).toContain('α 0.00231 now · base 0.003 cosine');
    expect(frame).toContain('adam · batch 64 · 784→10→10');
    expect(frame).toContain('preset fast · he init · seed 1');
    expect(frame).toContain('test 90.45%');
  });
  it('pairs lines when wide and short, and never exceeds its box', () => {
    const lines = progressLines(view, 100, 4);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('│  step 500/1,000');
    for (const l of progressLines(view, 20, 30)) expect([...l]).toHaveLength(20);
  });
  it('waits politely before the first step', () => {
    expect(
      text(
        render(
          <ProgressPanel view={initialState()} width={40} height={8} theme={themeFor('none')} />,
        ),
      ),
    ).toContain('waiting for the first steps…');
  });
});
