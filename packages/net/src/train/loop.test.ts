import { beforeAll, describe, expect, it } from 'vitest';
import { mnistExamples } from '../../test/mnist.js';
import { predict } from '../model/predict.js';
import { checkConfig, resolveConfig, type TrainConfig } from './config.js';
import type { TrainingEvent } from './events.js';
import { type Examples, sliceExamples } from './examples.js';
import { type Control, type LoopOptions, runTraining, type TrainingData } from './loop.js';

type Of<T extends TrainingEvent['type']> = Extract<TrainingEvent, { type: T }>;

let data: TrainingData;
beforeAll(async () => {
  const { train, test } = await mnistExamples();
  data = { train, test: sliceExamples(test, 0, 1000) };
});

/** A fake clock that advances 1 ms every time it is read: runs are reproducible to the event. */
function tickingClock(): () => number {
  let t = 1000;
  return () => ++t;
}

function run(config: TrainConfig, options: LoopOptions = {}, control?: Control) {
  const events: TrainingEvent[] = [];
  const result = runTraining(config, data, (e) => events.push(e), control, options);
  const of = <T extends TrainingEvent['type']>(type: T) =>
    events.filter((e): e is Of<T> => e.type === type);
  return { result, events, of };
}

function accuracy(params: Parameters<typeof predict>[0], ex: Examples): number {
  const { labels } = predict(params, { uint8: ex.pixels });
  let correct = 0;
  for (let j = 0; j < ex.count; j++) if (labels[j] === ex.labels[j]) correct++;
  return correct / ex.count;
}

describe('runTraining on the real MNIST (mini-batch, the fast preset)', () => {
  it('learns: 3 epochs on 3,000 images score well above chance on 1,000 test images', () => {
    // The fast preset's H = 10 reaches only ~0.65–0.78 after 3 short epochs (checked with an
    // independent numpy run of the same recipe); H = 32 gives the headroom for a firm bound.
    const { result } = run(resolveConfig({ preset: 'fast', limit: 3000, epochs: 3, hidden: 32 }));
    expect(result.reason).toBe('completed');
    expect(result.test.count).toBe(1000);
    expect(result.test.accuracy).toBeGreaterThanOrEqual(0.8);
    // The reported accuracy is the model's: predict() on the same images agrees.
    expect(
      Math.abs(accuracy(result.params, sliceExamples(data.test, 0, 1000)) - result.test.accuracy),
    ).toBeLessThanOrEqual(0.002);
  });

  it('reports start, rate-limited progress, one evaluation per epoch, then done', () => {
    const config = resolveConfig({ preset: 'fast', limit: 3000, epochs: 3 });
    const interval = 20;
    const { result, events, of } = run(config, {
      now: tickingClock(),
      progressIntervalMs: interval,
    });
    const stepsPerEpoch = Math.ceil(3000 / 64);

    expect(events[0]).toEqual({
      type: 'start',
      config,
      data: { train: 3000, validation: 0, test: 1000 },
      totalSteps: 3 * stepsPerEpoch,
    });
    expect(events.at(-1)?.type).toBe('done');
    expect(events.filter((e) => e.type === 'start' || e.type === 'done')).toHaveLength(2);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(['start', 'progress', 'evaluation', 'done']),
    );

    const evaluations = of('evaluation');
    expect(evaluations.map((e) => [e.epoch, e.step])).toEqual(
      [1, 2, 3].map((k) => [k, k * stepsPerEpoch]),
    );
    for (const e of evaluations) {
      expect(e.train.count).toBe(3000);
      expect(e.test.count).toBe(1000);
      expect(e.validation).toBeNull();
      expect(e.params.hidden).toBe(10);
      expect(e.params.W1).toHaveLength(10 * 784);
    }
    expect(result.test.accuracy).toBeGreaterThan(0.55); // chance is 0.1
    expect(result.test).toEqual(evaluations.at(-1)!.test);

    // Progress: in step order, finite numbers, and no more often than every `interval` ms of
    // the clock (the last step always reports).
    const progress = of('progress');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeLessThan(result.totalSteps / 5);
    expect(progress.at(-1)!.step).toBe(result.totalSteps);
    expect(progress.at(-1)!.etaMs).toBe(0);
    for (const [i, p] of progress.entries()) {
      expect(Number.isFinite(p.loss) && p.loss > 0).toBe(true);
      expect(p.accuracy).toBeGreaterThanOrEqual(0);
      expect(p.accuracy).toBeLessThanOrEqual(1);
      expect(Number.isFinite(p.etaMs) && p.etaMs >= 0).toBe(true);
      expect(Number.isFinite(p.examplesPerSecond) && p.examplesPerSecond > 0).toBe(true);
      expect(p.learningRate).toBeGreaterThan(0);
      expect(p.learningRate).toBeLessThanOrEqual(config.learningRate);
      expect(p.totalSteps).toBe(result.totalSteps);
      const prev = progress[i - 1];
      if (prev) {
        expect(p.step).toBeGreaterThan(prev.step);
        expect(p.epoch).toBeGreaterThanOrEqual(prev.epoch);
        expect(p.etaMs).toBeLessThanOrEqual(prev.etaMs);
        if (i < progress.length - 1)
          expect(p.elapsedMs - prev.elapsedMs).toBeGreaterThanOrEqual(interval);
      }
    }
    // Every epoch's evaluation comes after that epoch's progress and before the next epoch's.
    const index = (e: TrainingEvent) => events.indexOf(e);
    for (const e of evaluations) {
      for (const p of progress) {
        if (p.step <= e.step) expect(index(p)).toBeLessThan(index(e));
        else expect(index(p)).toBeGreaterThan(index(e));
      }
    }

    const done = events.at(-1) as Of<'done'>;
    const { params: _params, ...summary } = result;
    expect(done.result).toEqual(summary);
    expect(done.result).toMatchObject({ reason: 'completed', step: result.totalSteps, epoch: 3 });
  });

  it('with a zero interval, reports every step; the same clock gives the same events', () => {
    const config = resolveConfig({ preset: 'fast', limit: 640, epochs: 2, hidden: 4 });
    const a = run(config, { now: tickingClock(), progressIntervalMs: 0 });
    expect(a.of('progress').map((p) => p.step)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const b = run(config, { now: tickingClock(), progressIntervalMs: 0 });
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });
});

describe('runTraining on the real MNIST (full batch, the notes’ seed preset)', () => {
  it('30 iterations on 2,000 images: the training loss falls from one evaluation to the next', () => {
    const { result, of } = run(resolveConfig({ preset: 'seed', limit: 2000, iterations: 30 }), {
      now: tickingClock(),
    });
    const evaluations = of('evaluation');
    expect(evaluations.map((e) => e.iteration)).toEqual([10, 20, 30]);
    const losses = evaluations.map((e) => e.train.loss);
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThan(losses[i - 1]!);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! - 0.1);
    // Full batch: `epoch` counts iterations (events.ts, Position).
    expect(result).toMatchObject({ reason: 'completed', step: 30, iteration: 30, epoch: 30 });
    for (const p of of('progress')) {
      expect(p.learningRate).toBe(0.1); // constant schedule
      expect(p.epoch).toBe(p.step); // full batch: the "epoch" of a progress event is the iteration
    }
  });
});

describe('runTraining: early stopping and control', () => {
  it('stops early when the validation loss stops improving, keeping the best weights', () => {
    // Adam with α = 1 jumps every weight by ~1 per step: validation loss soon gets worse.
    const config = resolveConfig({
      preset: 'fast',
      limit: 2000,
      validation: 500,
      patience: 1,
      epochs: 20,
      learningRate: 1,
    });
    const { result, of } = run(config, { now: tickingClock() });
    expect(result.reason).toBe('early-stopped');
    const evaluations = of('evaluation');
    expect(evaluations.length).toBeLessThan(20);
    expect(evaluations.length).toBeGreaterThanOrEqual(2);
    const valLosses = evaluations.map((e) => e.validation!.loss);
    // Patience 1: the last evaluation was no better than the one before it.
    expect(valLosses.at(-1)!).toBeGreaterThanOrEqual(Math.min(...valLosses.slice(0, -1)));
    // The result carries the best weights: its validation loss is the best one seen.
    expect(result.validation!.count).toBe(500);
    expect(result.train.count).toBe(1500);
    expect(result.validation!.loss).toBeCloseTo(Math.min(...valLosses), 10);
    expect(of('done')[0]!.result.reason).toBe('early-stopped');
  });

  it('never stops early without validation data, whatever the patience', () => {
    const config = resolveConfig({
      preset: 'fast',
      limit: 600,
      patience: 1,
      epochs: 4,
      learningRate: 1,
      hidden: 4,
    });
    const { result, of } = run(config, { now: tickingClock() });
    expect(result.reason).toBe('completed');
    expect(of('evaluation')).toHaveLength(4);
  });

  it('control.stop ends the run after the current step with the weights so far', () => {
    const control: Control = { stop: false, learningRate: null };
    const config = resolveConfig({ preset: 'fast', limit: 3000, epochs: 5, hidden: 4 });
    const events: TrainingEvent[] = [];
    const result = runTraining(
      config,
      data,
      (e) => {
        events.push(e);
        if (e.type === 'progress' && e.step >= 10) control.stop = true;
      },
      control,
      { progressIntervalMs: 0, now: tickingClock() },
    );
    expect(result.reason).toBe('stopped');
    expect(result.step).toBe(10);
    expect(events.at(-1)).toMatchObject({ type: 'done', result: { reason: 'stopped', step: 10 } });
    expect(result.params.W1.data.every(Number.isFinite)).toBe(true);
  });

  it('control.learningRate changes α from the next step on and reports it once', () => {
    const control: Control = { stop: false, learningRate: null };
    const config = resolveConfig({
      preset: 'fast',
      limit: 640,
      epochs: 1,
      hidden: 4,
      schedule: 'constant',
    });
    const events: TrainingEvent[] = [];
    runTraining(
      config,
      data,
      (e) => {
        events.push(e);
        if (e.type === 'progress' && e.step === 3) control.learningRate = 0.5;
      },
      control,
      { progressIntervalMs: 0, now: tickingClock() },
    );
    const changes = events.filter((e) => e.type === 'learning-rate');
    // reported with the step it applies from and the base rate before it
    expect(changes).toEqual([
      { type: 'learning-rate', learningRate: 0.5, step: 3, previous: config.learningRate },
    ]);
    expect(control.learningRate).toBeNull();
    const rates = events.flatMap((e) => (e.type === 'progress' ? [[e.step, e.learningRate]] : []));
    expect(rates.filter(([s]) => s! <= 3).every(([, r]) => r === config.learningRate)).toBe(true);
    expect(rates.filter(([s]) => s! > 3).every(([, r]) => r === 0.5)).toBe(true);
  });
});

describe('runTraining: resuming a saved run', () => {
  it('starts from the given weights and counts steps on from the given step', () => {
    const config = resolveConfig({ preset: 'fast', limit: 1280, epochs: 2, hidden: 6 });
    const clock = { progressIntervalMs: 0, now: tickingClock() };
    const first = run(config, clock);
    const p = first.result.params;
    const snapshot = {
      hidden: 6,
      W1: p.W1.data.slice(),
      b1: p.b1.data.slice(),
      W2: p.W2.data.slice(),
      b2: p.b2.data.slice(),
    };
    const resumed = run(config, { ...clock, resume: { params: snapshot, step: 40 } });
    expect(resumed.of('start')[0]!.totalSteps).toBe(40 + 40);
    const steps = resumed.of('progress').map((e) => e.step);
    expect(steps[0]).toBe(41);
    expect(steps.at(-1)).toBe(80);
    expect(resumed.result.step).toBe(80);
    // it goes on from the trained weights: its first loss is the end of the first run's, not a
    // fresh start's
    const fresh = first.of('progress')[0]!.loss;
    const end = first.of('progress').at(-1)!.loss;
    expect(resumed.of('progress')[0]!.loss).toBeLessThan((fresh + end) / 2);
    // a model of another width is refused, naming both widths
    expect(() =>
      run(checkConfig({ ...config, hidden: 7 }), {
        ...clock,
        resume: { params: snapshot, step: 1 },
      }),
    ).toThrow(/resume: the model has 6 hidden units, the config 7/);
  });
});
