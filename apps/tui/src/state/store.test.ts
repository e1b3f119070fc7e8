import { describe, expect, it } from 'vitest';
import { progress } from '../test-support/fake.js';
import { initialState } from './state.js';
import { DashboardStore, type Timers } from './store.js';

/** Timers under the test's control. */
function fakeTimers() {
  let now = 0;
  let pending: { at: number; fn: () => void } | null = null;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending = { at: now + ms, fn };
      return pending;
    },
    clearTimeout: (h) => {
      if (pending === h) pending = null;
    },
    now: () => now,
  };
  const advance = (ms: number) => {
    now += ms;
    const p = pending as { at: number; fn: () => void } | null;
    if (p && p.at <= now) {
      pending = null;
      p.fn();
    }
  };
  return { timers, advance };
}

describe('DashboardStore', () => {
  it('folds a burst of events into one frame per interval', () => {
    const { timers, advance } = fakeTimers();
    const store = new DashboardStore(initialState(), { fps: 10, timers });
    let frames = 0;
    store.subscribe(() => frames++);
    for (let i = 1; i <= 50; i++) store.dispatch({ type: 'event', event: progress(i, 1) });
    expect(store.getState().progress?.step).toBe(50);
    advance(0);
    expect(frames).toBe(1);
    expect(store.getSnapshot().progress?.step).toBe(50);
    for (let i = 51; i <= 60; i++) store.dispatch({ type: 'event', event: progress(i, 1) });
    advance(50);
    expect(frames).toBe(1); // 100 ms between frames at 10 fps
    advance(50);
    expect(frames).toBe(2);
    expect(store.publications).toBe(2);
  });
  it('shows key presses at once', () => {
    const { timers } = fakeTimers();
    const store = new DashboardStore(initialState(), { fps: 10, timers });
    store.dispatchNow({ type: 'ui', ui: { kind: 'help' } });
    expect(store.getSnapshot().ui.help).toBe(true);
  });
  it('spaces frames out when drawing them is costly (12 % of a core)', () => {
    const { timers, advance } = fakeTimers();
    let cpu = 0;
    const store = new DashboardStore(initialState(), { fps: 10, timers, cpuMs: () => cpu });
    expect(store.interval).toBe(100);
    store.frameDrawn(5);
    for (let i = 0; i < 10; i++) {
      advance(100);
      cpu += 30; // 30 ms of CPU per frame
      store.frameDrawn(5);
    }
    expect(store.interval).toBeCloseTo(250);
    for (let i = 0; i < 30; i++) {
      advance(100);
      cpu += 2;
      store.frameDrawn(5);
    }
    expect(store.interval).toBe(100);
  });
  it('uses the wall time of frames without a CPU clock, within 2 s', () => {
    const store = new DashboardStore(initialState(), { fps: 10, timers: fakeTimers().timers });
    store.frameDrawn(24);
    expect(store.interval).toBeCloseTo(200);
    store.frameDrawn(10_000);
    expect(store.interval).toBe(2000);
  });
});
