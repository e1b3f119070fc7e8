import { describe, expect, it } from 'vitest';
import {
  CONFIG,
  evaluation,
  knownMetrics,
  progress,
  start,
  stripeWeights,
} from '../test-support/fake.js';
import { type Action, reduce, weightsOf } from './reducer.js';
import { type DashboardState, hasUnsavedModel, initialState, isFinished, stepOf } from './state.js';

const run = (actions: Action[], s: DashboardState = initialState()) => actions.reduce(reduce, s);
const ev = (
  event: Parameters<typeof reduce>[1] extends infer A
    ? A extends { type: 'event'; event: infer E }
      ? E
      : never
    : never,
): Action => ({ type: 'event', event });

describe('reduce: training events', () => {
  it('start sets the config, data and α', () => {
    const s = run([ev(start())]);
    expect(s.status).toBe('running');
    expect(s.config).toEqual(CONFIG);
    expect(s.totalSteps).toBe(1000);
    expect(s.baseRate).toBe(CONFIG.learningRate);
  });
  it('progress events grow the loss and accuracy series by step', () => {
    const s = run([ev(start()), ev(progress(10, 2)), ev(progress(20, 1.5, { accuracy: 0.5 }))]);
    expect(s.loss).toEqual([
      { x: 10, y: 2 },
      { x: 20, y: 1.5 },
    ]);
    expect(s.trainAccuracy.at(-1)).toEqual({ x: 20, y: 0.5 });
    expect(s.progress?.step).toBe(20);
    expect(stepOf(s)).toBe(20);
  });
  it('ignores repeated steps (a server replaying events after a reconnect)', () => {
    const s = run([
      ev(progress(10, 2)),
      ev(progress(10, 2)),
      ev(progress(5, 9)),
      ev(evaluation(10)),
      ev(evaluation(10)),
    ]);
    expect(s.loss).toHaveLength(1);
    expect(s.testAccuracy).toHaveLength(1);
  });
  it('evaluation keeps the metrics and the weights it carries', () => {
    const w = stripeWeights();
    const s = run([ev(start()), ev(evaluation(250, w))]);
    expect(s.evaluation?.test).toEqual(knownMetrics());
    expect(s.weights).toEqual(w);
    expect(s.weights?.W1).toBe(w.W1); // typed arrays are used as they come, not copied
    expect(s.weightsStep).toBe(250);
    expect(s.testAccuracy).toEqual([{ x: 250, y: knownMetrics().accuracy }]);
    // an evaluation without weights keeps the previous ones
    expect(run([ev(evaluation(500))], s).weights).toBe(s.weights);
  });
  it('pause, resume, learning rate, done and failed', () => {
    let s = run([ev(start()), ev({ type: 'paused' })]);
    expect(s.status).toBe('paused');
    s = run([ev({ type: 'resumed' }), ev({ type: 'learning-rate', learningRate: 0.01 })], s);
    expect(s.status).toBe('running');
    expect(s.baseRate).toBe(0.01);
    expect(s.notice?.text).toBe('α is now 0.01');
    const m = knownMetrics();
    const done = run(
      [
        ev({
          type: 'done',
          result: {
            step: 1000,
            totalSteps: 1000,
            epoch: 4,
            iteration: 1000,
            elapsedMs: 1,
            reason: 'completed',
            config: CONFIG,
            train: m,
            test: m,
            validation: null,
          },
        }),
      ],
      s,
    );
    expect(done.status).toBe('done');
    expect(isFinished(done)).toBe(true);
    expect(stepOf(done)).toBe(1000);
    const failed = run([ev({ type: 'failed', message: 'disk full' })], s);
    expect([failed.status, failed.error]).toEqual(['failed', 'disk full']);
  });
  it('weightsOf accepts typed arrays and JSON arrays, and refuses wrong sizes', () => {
    const w = stripeWeights(2);
    const json = {
      hidden: 2,
      W1: Array.from(w.W1),
      b1: [0, 0],
      W2: Array.from(w.W2),
      b2: Array(10).fill(0),
    };
    expect(weightsOf({ ...evaluation(1), params: json } as never)?.W1).toEqual(w.W1);
    expect(weightsOf({ ...evaluation(1), params: { ...json, b1: [0] } } as never)).toBeNull();
    expect(weightsOf(evaluation(1))).toBeNull();
  });
});

describe('reduce: saving and quitting', () => {
  it('a model is unsaved until saved at the current step', () => {
    let s = run([ev(start()), ev(progress(10, 1))]);
    expect(hasUnsavedModel(s)).toBe(true);
    s = run([{ type: 'saving' }, { type: 'saved', path: 'm.safetensors', step: 10 }], s);
    expect(s.saving).toBe(false);
    expect(hasUnsavedModel(s)).toBe(false);
    expect(hasUnsavedModel(run([ev(progress(20, 1))], s))).toBe(true);
    expect(hasUnsavedModel(initialState())).toBe(false);
  });
});

describe('reduce: server jobs (attach mode)', () => {
  it('maps job statuses and takes the job’s config', () => {
    const s = run([{ type: 'job', status: 'running', config: CONFIG }], initialState('connecting'));
    expect(s.status).toBe('running');
    expect(s.baseRate).toBe(CONFIG.learningRate);
    expect(run([{ type: 'job', status: 'completed' }], s).status).toBe('done');
    expect(run([{ type: 'job', status: 'cancelled' }], s).status).toBe('cancelled');
  });
  it('turns read-only when the server refuses control', () => {
    const s = run([{ type: 'control', allowed: false, reason: 'HTTP 403' }]);
    expect(s.control).toEqual({ allowed: false, reason: 'HTTP 403' });
    expect(s.notice?.text).toContain('read-only');
  });
  it('shows connection troubles', () => {
    expect(run([{ type: 'connection', state: 'lost', message: 'retrying' }]).notice).toEqual({
      text: 'retrying',
      tone: 'bad',
    });
    expect(
      run([{ type: 'connection', state: 'connected' }], initialState('connecting')).status,
    ).toBe('starting');
  });
});

describe('reduce: what the viewer changes', () => {
  const ui = (a: Extract<Action, { type: 'ui' }>['ui'], s = initialState()) =>
    reduce(s, { type: 'ui', ui: a }).ui;
  it('zooms a panel, the focused one, and back', () => {
    expect(ui({ kind: 'zoom', panel: 'confusion' }).zoom).toBe('confusion');
    const zoomed = reduce(initialState(), { type: 'ui', ui: { kind: 'zoom', panel: 'samples' } });
    expect(ui({ kind: 'zoom', panel: 'samples' }, zoomed).zoom).toBeNull();
    expect(ui({ kind: 'zoom', panel: null }, zoomed).zoom).toBeNull();
    expect(ui({ kind: 'zoom', panel: 'focused' }).zoom).toBe('loss');
  });
  it('moves the focus around the panels', () => {
    expect(ui({ kind: 'focus', delta: 1 }).focus).toBe('accuracy');
    expect(ui({ kind: 'focus', delta: -2 }).focus).toBe('units');
  });
  it('pages within the list and clamps smoothing', () => {
    expect(ui({ kind: 'samples', delta: 1, pageSize: 4, total: 10 }).sampleOffset).toBe(4);
    expect(ui({ kind: 'samples', delta: 5, pageSize: 4, total: 10 }).sampleOffset).toBe(8);
    expect(ui({ kind: 'samples', delta: -1, pageSize: 4, total: 10 }).sampleOffset).toBe(0);
    expect(ui({ kind: 'units', delta: 1, pageSize: 10, total: 10 }).unitOffset).toBe(0);
    expect(ui({ kind: 'smoothing', delta: 99 }).smoothing).toBe(6);
    expect(ui({ kind: 'smoothing', delta: -99 }).smoothing).toBe(0);
  });
  it('toggles help, mistakes-only and questions', () => {
    expect(ui({ kind: 'help' }).help).toBe(true);
    expect(ui({ kind: 'misclassified' }).misclassifiedOnly).toBe(true);
    expect(ui({ kind: 'confirm', what: 'quit' }).confirm).toBe('quit');
  });
});
