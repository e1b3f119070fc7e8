/** The dashboard on a real training run (the trainer's worker thread on real MNIST). */
import { loadMnistSplit, type TrainingEvent } from '@mnist/net';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { RATE_STEP } from '../keys.js';
import { LocalSource } from '../source/local.js';
import type { Action } from '../state/reducer.js';
import { initialState } from '../state/state.js';
import { DashboardStore } from '../state/store.js';
import { tinyConfig } from '../test-support/config.js';
import { text } from '../test-support/frame.js';
import { Dashboard } from './Dashboard.js';

const split = await loadMnistSplit('test');
const until = async (cond: () => boolean, ms = 20_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Dashboard on a real training run', () => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  it('p stops the progress events and resumes them; + and - change the trainer’s rate', {
    timeout: 60_000,
  }, async () => {
    const config = tinyConfig();
    const source = new LocalSource({ config, progressIntervalMs: 20 });
    const store = new DashboardStore(initialState(), { fps: 30 });
    const events: TrainingEvent[] = [];
    source.start((a: Action) => {
      if (a.type === 'event') events.push(a.event);
      store.dispatch(a);
    });
    const r = render(
      <Dashboard
        source={source}
        store={store}
        test={{ images: split.images, labels: split.labels, count: split.count }}
        mode="none"
        out="/dev/null"
        size={{ columns: 120, rows: 40 }}
      />,
    );
    cleanup = async () => {
      r.unmount();
      await source.close();
    };
    const progressCount = () => events.filter((e) => e.type === 'progress').length;
    await until(() => progressCount() >= 3 && events.some((e) => e.type === 'evaluation'));
    await until(() => /step [1-9][\d,]*\//.test(text(r)));

    r.stdin.write('p');
    await until(() => events.some((e) => e.type === 'paused'));
    await new Promise((res) => setTimeout(res, 100)); // events already in flight arrive
    const atPause = progressCount();
    await new Promise((res) => setTimeout(res, 500));
    expect(progressCount()).toBe(atPause);
    await until(() => text(r).includes('PAUSED'));
    expect(text(r)).toContain('p resume');

    r.stdin.write('p');
    await until(() => events.some((e) => e.type === 'resumed'));
    await until(() => progressCount() > atPause + 2);

    r.stdin.write('+');
    const up = Number((config.learningRate * RATE_STEP).toPrecision(6));
    await until(() => events.some((e) => e.type === 'learning-rate' && e.learningRate === up));
    await until(() => {
      const last = events.filter((e) => e.type === 'progress').at(-1);
      return last?.type === 'progress' && last.learningRate === up;
    });
    r.stdin.write('-');
    const down = Number((up / RATE_STEP).toPrecision(6));
    await until(() => events.some((e) => e.type === 'learning-rate' && e.learningRate === down));
    await until(() => text(r).includes(`α is now ${down}`) || text(r).includes(`base ${down}`));
  });
});
