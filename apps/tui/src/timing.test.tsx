/** Speed and ETA over running time (pauses excluded), and durations that read right. */
import { duration } from '@mnist/net/cli';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ProgressPanel } from './components/ProgressPanel.js';
import { themeFor } from './render/color.js';
import { reduce } from './state/reducer.js';
import { initialState } from './state/state.js';
import { CONFIG, progress, start } from './test-support/fake.js';
import { text } from './test-support/frame.js';
import { speedOf } from './timing.js';

const panel = (events: Parameters<typeof reduce>[1][]) => {
  const view = events.reduce(reduce, initialState());
  return text(
    render(<ProgressPanel view={view} width={60} height={10} theme={themeFor('none')} />),
  );
};
const ev = (e: Parameters<typeof progress>[2] & { step: number }) =>
  ({ type: 'event', event: progress(e.step, 0.5, e) }) as const;

describe('speed and ETA', () => {
  it('come from the latest running time: 100 steps of 64 in 2 s is 3.2k ex/s, 800 steps left 16 s', () => {
    const s = speedOf(
      [
        { step: 100, elapsedMs: 1000 },
        { step: 150, elapsedMs: 2000 },
        { step: 200, elapsedMs: 3000 },
      ],
      1000,
      64,
    );
    expect(s?.examplesPerSecond).toBeCloseTo((100 * 64) / 2, 6);
    expect(s?.etaMs).toBeCloseTo(16_000, 6);
    expect(speedOf([{ step: 1, elapsedMs: 5 }], 10, 64)).toBeNull();
  });

  it('measure over the last window only, so a slow start does not drag the ETA', () => {
    const s = speedOf(
      [
        { step: 10, elapsedMs: 0 },
        { step: 20, elapsedMs: 20_000 }, // slow: 2 s a step
        { step: 520, elapsedMs: 25_000 }, // fast now: 100 steps a second
        { step: 1020, elapsedMs: 30_000 },
      ],
      2020,
      1,
      10_000,
    );
    expect(s?.etaMs).toBeCloseTo(10_000, 6);
  });

  it('a pause changes neither ex/s nor the ETA on the panel (the trainer clock stops while paused)', () => {
    // 10 steps per 100 ms of running time, batch 64: 6.4k ex/s; 500 of 1000 steps done: 5 s left.
    const before = [
      { type: 'event', event: start(CONFIG, 1000) } as const,
      ...Array.from({ length: 6 }, (_, i) => ev({ step: 450 + i * 10, elapsedMs: 4500 + i * 100 })),
    ];
    const running = panel(before);
    expect(running).toContain('6k ex/s');
    expect(running).toContain('ETA 5.0s');
    // paused for a long time (wall clock), then resumed: running time goes on from 5000 ms
    const after = panel([
      ...before,
      { type: 'event', event: { type: 'paused' } },
      { type: 'event', event: { type: 'resumed' } },
      ev({ step: 510, elapsedMs: 5100 }),
    ]);
    expect(after).toContain('6k ex/s');
    expect(after).toContain('ETA 4.9s');
    expect(after).toContain('5.1s');
  });

  it('the elapsed time and ETA on the panel use the duration format', () => {
    const frame = panel([
      { type: 'event', event: start(CONFIG, 1000) },
      ev({ step: 100, elapsedMs: 100_000 }),
      ev({ step: 101, elapsedMs: 100_600 }),
      ev({ step: 102, elapsedMs: 101_200 }),
      ev({ step: 103, elapsedMs: 239_600 - 0 }),
    ]);
    expect(frame).toContain('4m00s'); // 239.6 s, never 3m60s
    expect(frame).not.toContain('60s');
  });
});

describe('duration', () => {
  it('never prints 60 of a smaller unit', () => {
    expect(duration(239_600)).toBe('4m00s');
    expect(duration(59_960)).toBe('1m00s');
    expect(duration(999.7)).toBe('1.0s');
    expect(duration(3_599_600)).toBe('1h00m');
    expect(duration(7_199_000)).toBe('2h00m');
    expect(duration(850)).toBe('850ms');
    expect(duration(4_230)).toBe('4.2s');
    expect(duration(92_000)).toBe('1m32s');
    for (let ms = 0; ms < 8_000_000; ms += 997) expect(duration(ms)).not.toMatch(/(^|\D)60[sm]/);
  });
});
