/** Steering that never loses a key: bursts, α built on the requested value, whole prompts at 80×24. */
import { loadMnistSplit } from '@mnist/net';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { RATE_STEP } from '../keys.js';
import { initialState } from '../state/state.js';
import { DashboardStore } from '../state/store.js';
import {
  CONFIG,
  evaluation,
  FakeSource,
  knownMetrics,
  progress,
  start,
  stripeWeights,
} from '../test-support/fake.js';
import { text } from '../test-support/frame.js';
import { Dashboard } from './Dashboard.js';

const split = await loadMnistSplit('test');
const testSet = { images: split.images, labels: split.labels, count: split.count };
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function setup(size = { columns: 80, rows: 24 }, kind: 'local' | 'attach' = 'local') {
  const source = new FakeSource(kind);
  const store = new DashboardStore(initialState(), { fps: 1000 });
  source.start(store.dispatch);
  source.emit(start());
  for (let i = 1; i <= 20; i++) source.emit(progress(i * 10, 2 / i));
  source.emit(evaluation(200, stripeWeights()));
  store.flush();
  const r = render(
    <Dashboard
      source={source}
      store={store}
      test={testSet}
      mode="none"
      out="/a/rather/long/folder/name/for/the/model/file/that/does/not/fit/fast.safetensors"
      size={size}
    />,
  );
  unmount = r.unmount;
  const press = async (k: string) => {
    r.stdin.write(k);
    await tick();
  };
  return { source, store, r, press };
}

const alpha = CONFIG.learningRate;
const steps = (n: number) => Number((alpha * RATE_STEP ** n).toPrecision(6));

describe('Dashboard: keys that arrive together', () => {
  it('takes `+++` in one input as three steps of α, each on the last requested value', async () => {
    const { source, store, press, r } = setup();
    source.emit({ type: 'paused' });
    store.flush();
    await press('+++');
    const rates = source.calls.filter((c) => c.startsWith('rate'));
    expect(rates).toEqual([
      `rate ${Number((alpha * RATE_STEP).toPrecision(6))}`,
      `rate ${Number((Number((alpha * RATE_STEP).toPrecision(6)) * RATE_STEP).toPrecision(6))}`,
      expect.stringMatching(/^rate /),
    ]);
    const last = Number(rates[2]!.slice(5));
    expect(last).toBeCloseTo(steps(3), 8);
    // shown at once, while paused, as pending until the trainer confirms it
    expect(text(r)).toContain(`base ${Number(last.toPrecision(3))} (pending, was ${alpha})`);
    source.emit({ type: 'learning-rate', learningRate: last, step: 200, previous: alpha });
    store.flush();
    await tick();
    expect(text(r)).not.toContain('pending');
    expect(store.getState().rateChanges).toEqual([{ step: 200, from: alpha, to: last }]);
  });

  it('pages twice for `nn` and goes back for `b`', async () => {
    const { store, press } = setup({ columns: 120, rows: 40 });
    const before = store.getState().ui.sampleOffset;
    await press('nn');
    const twice = store.getState().ui.sampleOffset;
    expect(twice).toBeGreaterThan(before);
    await press('b');
    const once = store.getState().ui.sampleOffset;
    expect(once).toBeGreaterThan(before);
    expect(once).toBeLessThan(twice);
  });

  it('refuses an α outside the configured range, saying why', async () => {
    const { source, store, press, r } = setup();
    source.emit({ type: 'learning-rate', learningRate: 99, step: 200, previous: alpha });
    store.flush();
    await press('+');
    expect(source.calls.filter((c) => c.startsWith('rate'))).toEqual([]);
    expect(text(r)).toContain('learningRate: expected a number in (0, 100], got 123.75');
  });
});

describe('Dashboard at 80×24: nothing cut mid-word', () => {
  it('shows every key of the help whole', async () => {
    const { press, r } = setup();
    await press('?');
    const lines = text(r).split('\n');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(23);
    const frame = text(r);
    expect(frame).not.toContain('…');
    expect(frame).toContain('q    quit (asks first if the model is not saved); also Ctrl-C');
    expect(frame).toContain('0 or esc: all panels');
  });

  it('asks before quitting with every answer visible', async () => {
    const { press, r } = setup();
    await press('q');
    const frame = text(r);
    expect(frame).toContain('Quit without saving?');
    expect(frame).toContain('y quit · s save and quit · n stay');
    expect(frame).not.toContain('…');
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
  });

  it('shows a long saved path whole, on lines of its own', async () => {
    const { store, r } = setup();
    const path = '/a/rather/long/folder/name/for/the/model/file/that/does/not/fit/fast.safetensors';
    store.dispatchNow({ type: 'saved', path, step: 200 });
    await tick();
    const frame = text(r);
    expect(frame.replace(/\s+/g, '')).toContain(`saved${path}`);
    expect(frame).not.toContain('…');
  });
});

describe('Dashboard: state that must not mislead', () => {
  it('says DISCONNECTED, not RUNNING, with no ETA once the server stops answering', async () => {
    const { source, store, r } = setup({ columns: 120, rows: 40 }, 'attach');
    expect(text(r)).toContain('RUNNING');
    source.dispatch({
      type: 'connection',
      state: 'lost',
      message: 'connection lost (fetch failed)',
    });
    store.flush();
    await tick();
    const frame = text(r);
    expect(frame).toContain('DISCONNECTED');
    expect(frame).not.toContain('RUNNING');
    expect(frame).toContain('ETA –');
    source.dispatch({ type: 'connection', state: 'connected' });
    source.emit(progress(300, 0.1));
    store.flush();
    await tick();
    expect(text(r)).toContain('RUNNING');
  });

  it('opens the end-of-run screen when the run is done: results, worst digits, where files went', async () => {
    const { source, store, r, press } = setup();
    store.dispatchNow({ type: 'record', dir: '/tmp/runs/2026-11-30T20-15-03-fast' });
    const m = knownMetrics();
    source.emit({
      type: 'done',
      result: {
        reason: 'completed',
        step: 1000,
        totalSteps: 1000,
        epoch: 4,
        iteration: 1000,
        elapsedMs: 240_000,
        config: CONFIG,
        train: m,
        test: m,
        validation: null,
      },
    });
    store.flush();
    await tick();
    const frame = text(r);
    expect(frame).toContain('Run complete');
    expect(frame).toContain(`test ${(m.accuracy * 100).toFixed(2)}%`);
    expect(frame).toContain('4m00s of training');
    // the worst class of knownMetrics is 9 (most off-diagonal), most often read as 8
    expect(frame).toMatch(/ 9 +\d+\.\d% right, most often read as 8/);
    expect(frame).toContain('not saved; s saves to');
    expect(frame).toContain('/tmp/runs/2026-11-30T20-15-03-fast');
    await press('e');
    expect(text(r)).toContain('Loss');
  });
});
