import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkField, loadMnistSplit } from '@mnist/net';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RATE_STEP } from '../keys.js';
import { stripAnsi } from '../render/color.js';
import { initialState } from '../state/state.js';
import { DashboardStore } from '../state/store.js';
import { evaluation, FakeSource, progress, start, stripeWeights } from '../test-support/fake.js';
import { text } from '../test-support/frame.js';
import { Dashboard } from './Dashboard.js';

const split = await loadMnistSplit('test');
const test = { images: split.images, labels: split.labels, count: split.count };
const dir = await mkdtemp(join(tmpdir(), 'tui-dash-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

/** A dashboard on a fake source that has started and evaluated once. */
function setup(size = { columns: 120, rows: 40 }, kind: 'local' | 'attach' = 'local') {
  const source = new FakeSource(kind);
  const store = new DashboardStore(initialState(), { fps: 1000 });
  source.start(store.dispatch);
  source.emit(start());
  for (let i = 1; i <= 20; i++) source.emit(progress(i * 10, 2 / i));
  source.emit(evaluation(200, stripeWeights()));
  store.flush();
  const out = join(dir, `m${Math.random()}.safetensors`);
  let quit = false;
  const r = render(
    <Dashboard
      source={source}
      store={store}
      test={test}
      mode="none"
      out={out}
      size={size}
      onQuit={() => (quit = true)}
    />,
  );
  unmount = r.unmount;
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await tick();
    }
  };
  return { source, store, r, press, out, quit: () => quit };
}

describe('Dashboard: what the frame shows', () => {
  it('shows every panel at 120×40, with the latest numbers', () => {
    const { r } = setup();
    const frame = text(r);
    for (const title of [
      'Progress',
      'Loss 0.1000',
      'Accuracy',
      'Confusion (test) 90.45%',
      'Test digits',
      'Hidden units (rows of W1) 1–10 of 10',
    ])
      expect(frame).toContain(title);
    expect(frame).toContain('step 200/1,000');
    expect(frame).toMatch(/true 7 → \d +\d+\.\d% [✓✗]/); // test image 0 with a prediction
    expect(frame.split('\n').at(-1)).toMatch(/^q quit {2}p pause {2}\+\/- α {2}\? help {2}s save/);
  });
  it('is never taller than the terminal minus one line, nor wider than it', () => {
    for (const [columns, rows] of [
      [80, 24],
      [120, 40],
      [200, 60],
      [60, 15],
      [40, 10],
      [30, 6],
      [20, 2],
    ] as const) {
      const { r } = setup({ columns, rows });
      const lines = r.lastFrame()!.split('\n');
      expect(lines.length, `${columns}×${rows}`).toBeLessThanOrEqual(rows - 1 || 1);
      for (const l of lines)
        expect([...stripAnsi(l)].length, `${columns}×${rows}: ${l}`).toBeLessThanOrEqual(columns);
      unmount?.();
    }
  });
  it('folds panels on a small terminal and says so', () => {
    const { r } = setup({ columns: 80, rows: 24 });
    const frame = text(r);
    expect(frame).not.toContain('Confusion');
    expect(frame).toContain('Hidden units');
    const tiny = setup({ columns: 30, rows: 8 });
    expect(text(tiny.r)).toContain('terminal too small (30×8)');
  });
});

describe('Dashboard: keys do what the footer says', () => {
  it('p pauses and resumes', async () => {
    const { source, press } = setup();
    await press('p');
    expect(source.calls).toEqual(['pause']);
    source.emit({ type: 'paused' });
    await press('p');
    expect(source.calls).toEqual(['pause', 'resume']);
  });
  it('+ and - change the learning rate from the current base rate', async () => {
    const { source, press } = setup();
    await press('+');
    expect(source.calls).toEqual([`rate ${Number((0.003 * RATE_STEP).toPrecision(6))}`]);
    source.emit({ type: 'learning-rate', learningRate: 0.00375 });
    await press('-');
    expect(source.calls.at(-1)).toBe(`rate ${Number((0.00375 / RATE_STEP).toPrecision(6))}`);
  });
  it('+ stops at the config’s upper bound of α, with the words of the CLI and the API', async () => {
    const { r, source, press } = setup();
    source.emit({ type: 'learning-rate', learningRate: 99 });
    await press('+');
    expect(source.calls).toEqual([]);
    const refused = checkField('learningRate', Number((99 * RATE_STEP).toPrecision(6)));
    expect(refused).not.toBeNull();
    expect(text(r)).toContain(refused!.message.slice(0, 40));
  });
  it('s saves the model now', async () => {
    const { r, press, out } = setup();
    await press('s');
    // the file is written, then the frame says so (poll: a busy machine draws late)
    for (let i = 0; i < 100 && !text(r).includes('saved '); i++) await tick(50);
    expect((await stat(out)).size).toBeGreaterThan(784 * 10 * 4);
    expect(text(r)).toContain('saved');
  });
  it('q asks before discarding an unsaved model; n stays, y quits', async () => {
    const { r, press, source, quit } = setup();
    await press('q');
    expect(text(r).split('\n').at(-1)).toMatch(
      /^Quit without saving\? Trained to step 200, never saved\./,
    );
    await press('n');
    expect(text(r).split('\n').at(-1)).toMatch(/^q quit/);
    await press('q', 'y');
    await tick(50);
    expect(source.calls).toContain('close');
    expect(quit()).toBe(true);
  });
  it('q quits at once once the model is saved, and in attach mode', async () => {
    const saved = setup();
    await saved.press('s');
    await tick(100);
    await saved.press('q');
    await tick(50);
    expect(saved.quit()).toBe(true);
    unmount?.();
    const attached = setup(undefined, 'attach');
    await attached.press('q');
    await tick(50);
    expect(attached.quit()).toBe(true);
  });
  it('? opens the help, 1–6 zoom a panel, esc goes back', async () => {
    const { r, press } = setup();
    await press('?');
    expect(text(r)).toContain('pause or resume training');
    expect(text(r)).toContain('raise or lower the learning rate');
    await press('\x1b');
    await tick(50);
    await press('4');
    const zoomed = text(r);
    expect(zoomed).toContain('Confusion (test)');
    expect(zoomed).not.toContain('Hidden units');
    await press('0');
    expect(text(r)).toContain('Hidden units');
  });
  it('n and b page the test digits; m shows only mistakes', async () => {
    const { r, press } = setup();
    expect(text(r)).toContain('#1–2 of 10000');
    await press('n');
    expect(text(r)).toContain('#3–4 of 10000');
    await press('b');
    expect(text(r)).toContain('#1–2 of 10000');
    await press('m');
    expect(text(r)).toMatch(/mistakes 1–2 of \d+/);
  });
  it('[ and ] change the smoothing', async () => {
    const { r, press } = setup();
    expect(text(r)).toContain('(smooth 0.6)');
    await press(']');
    expect(text(r)).toContain('(smooth 0.8)');
    await press('[', '[', '[', '[');
    expect(text(r)).toContain('(smooth 0)');
  });
  it('x asks, then stops the run', async () => {
    const { source, press, r } = setup();
    await press('x');
    expect(text(r)).toContain('Stop training now?');
    await press('y');
    expect(source.calls).toContain('stop');
    expect(text(r)).toContain('STOPPING');
  });
  it('steering keys say read-only when the server refuses control', async () => {
    const { source, press, r } = setup(undefined, 'attach');
    source.dispatch({
      type: 'control',
      allowed: false,
      reason: 'the server refused control (403)',
    });
    await press('p');
    expect(source.calls).toEqual([]);
    expect(text(r)).toContain('read-only: the server refused control (403)');
    expect(text(r)).toContain('p pause (read-only)');
  });
});
