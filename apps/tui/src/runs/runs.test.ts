import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, reduce } from '../state/reducer.js';
import { type DashboardState, initialState } from '../state/state.js';
import { CONFIG, evaluation, knownMetrics, progress, start } from '../test-support/fake.js';
import { EVENT_COLUMNS, EVENT_HEADER, parseEvents, type RunInfo } from './format.js';
import { runsTable } from './list.js';
import { compareRunOf, historyOf, readRun, resolveRun, runOfModel } from './read.js';
import { RunRecorder } from './record.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tui-runs-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Feeds actions through the reducer and a recorder, as the dashboard does. */
function record(actions: Action[], at: Date, end = true) {
  const r = RunRecorder.create(root, { source: 'local', preset: 'fast' }, at);
  let s: DashboardState = initialState();
  for (const a of actions) {
    s = reduce(s, a);
    r.observe(a, s);
  }
  if (end) r.close(s, new Date(at.getTime() + 60_000));
  return { dir: r.dir, state: s };
}
const e = (event: Extract<Action, { type: 'event' }>['event']): Action => ({
  type: 'event',
  event,
});

const done = (step: number): Action =>
  e({
    type: 'done',
    result: {
      reason: 'completed',
      step,
      totalSteps: step,
      epoch: 4,
      iteration: step,
      elapsedMs: 12_345,
      config: CONFIG,
      train: knownMetrics(),
      test: knownMetrics(),
      validation: null,
    },
  });

describe('run records', () => {
  it('writes every progress report, evaluation and α change as CSV rows, and run.json', async () => {
    const { dir, state } = record(
      [
        e(start()),
        e(progress(10, 2.1)),
        e(progress(10, 2.1)), // a repeated report (reconnect) is kept once
        e(progress(20, 1.5)),
        e({ type: 'learning-rate', learningRate: 0.00375, step: 20, previous: 0.003 }),
        e(progress(30, 1.2, { learningRate: 0.00375 })),
        e(evaluation(30)),
        { type: 'saved', path: '/models/fast.safetensors', step: 30 },
        done(30),
      ],
      new Date('2026-11-30T20:15:03Z'),
    );
    expect(basename(dir)).toBe('2026-11-30T20-15-03-fast');
    const csv = await readFile(join(dir, 'events.csv'), 'utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(EVENT_HEADER);
    expect(lines[0]!.split(',')).toEqual(Object.keys(EVENT_COLUMNS));
    expect(lines.slice(1)).toEqual([
      'progress,10,1,100,2.1,0.9,,,0.003,',
      'progress,20,1,200,1.5,0.9,,,0.003,',
      'alpha,20,,,,,,,0.00375,0.003',
      'progress,30,1,300,1.2,0.9,,,0.00375,',
      // knownMetrics: loss 0.5 and the same accuracy on both sets
      `evaluation,30,1,300,0.5,${state.evaluation!.train.accuracy},0.5,${state.evaluation!.test.accuracy},,`,
    ]);
    const info = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunInfo;
    expect(info).toMatchObject({
      format: 'mnist-ts-run/1',
      id: '2026-11-30T20-15-03-fast',
      source: 'local',
      status: 'done',
      preset: 'fast',
      hidden: CONFIG.hidden,
      learningRate: CONFIG.learningRate,
      model: { path: '/models/fast.safetensors', step: 30 },
      final: { reason: 'completed', step: 30, elapsedMs: 12_345 },
      learningRateChanges: [{ step: 20, from: 0.003, to: 0.00375 }],
      endedAt: '2026-11-30T20:16:03.000Z',
    });
    expect(info.config).toEqual(CONFIG);
  });

  it('reads back what it wrote: compare curves, resume history, the model’s run, the list', () => {
    const { dir } = record(
      [
        e(start()),
        e(progress(10, 2)),
        e(progress(20, 1)),
        e(evaluation(20)),
        e(progress(30, 0.5)),
        e(evaluation(30)),
        { type: 'saved', path: '/models/b.safetensors', step: 30 },
        done(30),
      ],
      new Date('2026-11-30T21:00:00Z'),
    );
    const run = readRun(dir);
    const c = compareRunOf(run);
    expect(c.label).toBe('2026-11-30T21-00-00-fast');
    expect(c.loss).toEqual([
      { x: 10, y: 2 },
      { x: 20, y: 1 },
      { x: 30, y: 0.5 },
    ]);
    expect(c.testAccuracy.map((p) => p.x)).toEqual([20, 30]);
    const h = historyOf(run, 20);
    expect(h.loss.map((p) => p.x)).toEqual([10, 20]);
    expect(h.testAccuracy.map((p) => p.x)).toEqual([20]);
    expect(runOfModel(root, '/models/b.safetensors', 30)).toBe(dir);
    expect(runOfModel(root, '/models/b.safetensors', 31)).toBeNull();
    expect(resolveRun(root, 'last')).toBe(dir);
    expect(resolveRun(root, '21-00-00')).toBe(dir);
    expect(resolveRun(root, dir)).toBe(dir);
    expect(() => resolveRun(root, '2026')).toThrow(/matches 2 runs/);
    expect(() => resolveRun(root, 'nothing-like-it')).toThrow(/no run "nothing-like-it"/);
    const table = runsTable(root).split('\n');
    expect(table[0]).toMatch(/^run +date +preset +hidden +α +test acc +time +status$/);
    expect(table[1]).toMatch(
      /^2026-11-30T20-15-03-fast {2}2026-11-30 20:15 {2}fast +10 {2}0\.003 \(1× changed\) +90\.45% {2}12\.3s +done$/,
    );
    expect(table).toHaveLength(3);
  });

  it('records a run left before its end as interrupted', () => {
    const { dir } = record([e(start()), e(progress(10, 2))], new Date('2026-11-30T22:00:00Z'));
    expect(readRun(dir).info.status).toBe('interrupted');
  });

  it('refuses a damaged events.csv, naming the file and line', () => {
    expect(() => parseEvents(`${EVENT_HEADER}\nprogress,1,2\n`, 'x/events.csv')).toThrow(
      'x/events.csv: line 2 has 3 cells, expected 10',
    );
    expect(() => parseEvents('a,b\n', 'x/events.csv')).toThrow(
      /x\/events.csv: expected the header/,
    );
  });
});
