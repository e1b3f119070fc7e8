/**
 * The trainer's real worker thread (the built `dist/trainer/worker.js`: run
 * `pnpm --filter @mnist/net build` first; CI's test task depends on the build).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mnistExamples } from '../../test/mnist.js';
import { predict } from '../model/predict.js';
import { ConfigError, resolveConfig } from '../train/config.js';
import type { TrainingEvent } from '../train/events.js';
import type { Examples } from '../train/examples.js';
import { startTraining, type TrainerOptions, type TrainingRun } from './trainer.js';

const built = existsSync(fileURLToPath(new URL('../../dist/trainer/worker.js', import.meta.url)));
if (!built)
  throw new Error(
    'trainer.test: dist/trainer/worker.js is missing; run `pnpm --filter @mnist/net build` first',
  );

type Of<T extends TrainingEvent['type']> = Extract<TrainingEvent, { type: T }>;

/** A started run with every event it emits recorded. */
function start(options: TrainerOptions) {
  const run = startTraining({ progressIntervalMs: 10, ...options });
  const events: TrainingEvent[] = [];
  run.on('event', (e) => events.push(e));
  runs.push(run);
  const of = <T extends TrainingEvent['type']>(type: T) =>
    events.filter((e): e is Of<T> => e.type === type);
  return { run, events, of };
}

/** The next event (from now on) that satisfies `match`. */
function next<T extends TrainingEvent['type']>(
  run: TrainingRun,
  type: T,
  timeoutMs = 10_000,
): Promise<Of<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      run.off('event', on);
      const last = JSON.stringify(run.lastEvent, (k, v) => (k === 'params' ? undefined : v))?.slice(
        0,
        300,
      );
      reject(
        new Error(
          `no ${type} event within ${timeoutMs} ms (state ${run.state}, last event ${last})`,
        ),
      );
    }, timeoutMs);
    const on = (e: TrainingEvent) => {
      if (e.type !== type) return;
      clearTimeout(timer);
      run.off('event', on);
      resolve(e as Of<T>);
    };
    run.on('event', on);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const runs: TrainingRun[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) if (r.state !== 'done' && r.state !== 'failed') await r.kill();
});

let test: Examples;
beforeAll(async () => {
  test = (await mnistExamples()).test;
});

function accuracy(params: Parameters<typeof predict>[0]): number {
  const { labels } = predict(params, { uint8: test.pixels });
  let correct = 0;
  for (let j = 0; j < test.count; j++) if (labels[j] === test.labels[j]) correct++;
  return correct / test.count;
}

/** A run long enough to steer: 2,000 images, many epochs. */
const longConfig = resolveConfig({ preset: 'fast', limit: 2000, epochs: 500 });

describe('startTraining (worker thread)', () => {
  it('finishes a small run; result gives a model of the right shapes whose accuracy is the done event’s', async () => {
    const { run, events, of } = start({
      config: resolveConfig({ preset: 'fast', limit: 2000, epochs: 2 }),
    });
    expect(run.state).toBe('starting');
    const { model, summary } = await run.result;
    expect(run.state).toBe('done');
    expect(events[0]?.type).toBe('start');
    const done = of('done');
    expect(done).toHaveLength(1);
    expect(events.at(-1)).toBe(done[0]);
    expect(run.lastEvent).toBe(done[0]);
    expect(summary).toEqual(done[0]!.result);
    expect(summary).toMatchObject({ reason: 'completed', epoch: 2 });
    expect(of('evaluation').map((e) => e.epoch)).toEqual([1, 2]);

    const p = model.params;
    expect(p.W1.shape).toEqual([10, 784]);
    expect(p.b1.shape).toEqual([10, 1]);
    expect(p.W2.shape).toEqual([10, 10]);
    expect(p.b2.shape).toEqual([10, 1]);
    expect(model.meta).toMatchObject({
      hidden: 10,
      testAccuracy: summary.test.accuracy,
      trainAccuracy: summary.train.accuracy,
      seed: 1,
    });
    expect(model.meta.dataChecksum).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.test.count).toBe(10_000);
    expect(summary.test.accuracy).toBeGreaterThan(0.5);
    // The weights that came back are the ones that were measured: predict() on the 10,000
    // test images agrees with the worker's figure (up to near-ties decided in float32).
    expect(Math.abs(accuracy(p) - summary.test.accuracy)).toBeLessThanOrEqual(0.002);
  });

  it('events() yields every event in order and ends after done', async () => {
    const { run } = start({
      config: resolveConfig({ preset: 'fast', limit: 1000, epochs: 1, hidden: 4 }),
    });
    const seen: TrainingEvent[] = [];
    for await (const e of run.events()) seen.push(e);
    expect(seen[0]?.type).toBe('start');
    expect(seen.at(-1)?.type).toBe('done');
    expect(seen.filter((e) => e.type === 'evaluation')).toHaveLength(1);
    await expect(run.result).resolves.toBeDefined();
  });

  it('pause() stops progress until resume(); stop() then ends with reason stopped', async () => {
    const { run, events } = start({ config: longConfig });
    await next(run, 'progress');
    const paused = next(run, 'paused');
    run.pause();
    await paused;
    expect(run.state).toBe('paused');
    const at = events.length;
    await sleep(300);
    expect(events.slice(at).filter((e) => e.type === 'progress')).toEqual([]);
    const lastStep = events.findLast((e): e is Of<'progress'> => e.type === 'progress')!.step;

    const resumed = next(run, 'resumed');
    run.resume();
    await resumed;
    expect(run.state).toBe('running');
    const after = await next(run, 'progress');
    expect(after.step).toBeGreaterThan(lastStep);

    run.stop();
    expect(run.state).toBe('stopping');
    const { summary } = await run.result;
    expect(summary.reason).toBe('stopped');
    expect(summary.step).toBeLessThan(summary.totalSteps);
  });

  it('setLearningRate() is reported and used from the next step on', async () => {
    const { run, of } = start({ config: longConfig });
    await next(run, 'progress');
    expect(() => run.setLearningRate(0)).toThrow(ConfigError);
    expect(() => run.setLearningRate(Number.NaN)).toThrow(
      'learningRate: expected a number in (0, 100], got NaN',
    );
    expect(() => run.setLearningRate(101)).toThrow(
      'learningRate: expected a number in (0, 100], got 101',
    );
    const changed = next(run, 'learning-rate');
    run.setLearningRate(0.5);
    expect((await changed).learningRate).toBe(0.5);
    const p = await next(run, 'progress');
    // Cosine schedule over 500 epochs: just after the start α is ~the new base rate.
    expect(p.learningRate).toBeGreaterThan(0.45);
    expect(p.learningRate).toBeLessThanOrEqual(0.5);
    run.stop();
    await run.result;
    const [change] = of('learning-rate');
    expect(change).toMatchObject({ type: 'learning-rate', learningRate: 0.5 });
    expect(change!.previous).toBe(longConfig.learningRate);
    // the model remembers it: the stored config and its changes reproduce the run
    const { model, summary } = await run.result;
    expect(model.meta.learningRateChanges).toEqual([
      { step: change!.step, from: longConfig.learningRate, to: 0.5 },
    ]);
    expect(model.meta.step).toBe(summary.step);
  });

  it('time spent paused counts in neither elapsed time, nor examples per second, nor the ETA', async () => {
    const { run, events } = start({ config: longConfig });
    await next(run, 'progress');
    const paused = next(run, 'paused');
    run.pause();
    await paused;
    const before = events.findLast((e): e is Of<'progress'> => e.type === 'progress')!;
    await sleep(3000);
    const resumed = next(run, 'resumed');
    run.resume();
    await resumed;
    const after = await next(run, 'progress');
    // 3 s of pause; one report interval (10 ms) of running time between the two reports,
    // with a wide margin for a busy machine
    expect(after.elapsedMs - before.elapsedMs).toBeLessThan(2000);
    run.stop();
    await run.result;
  });

  it('stop() ends with done (reason stopped) and a usable model', async () => {
    const { run, events } = start({ config: longConfig });
    await next(run, 'progress');
    run.stop();
    const { model, summary } = await run.result;
    expect(summary.reason).toBe('stopped');
    expect(events.at(-1)).toMatchObject({ type: 'done', result: { reason: 'stopped' } });
    expect(model.params.W1.shape).toEqual([10, 784]);
    expect(model.params.W1.data.every(Number.isFinite)).toBe(true);
    const out = predict(model.params, { uint8: test.pixels.subarray(0, 784 * 20) });
    expect(out.count).toBe(20);
    for (let j = 0; j < 20; j++) {
      const row = out.probabilities.subarray(j * 10, j * 10 + 10);
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    }
    // Stopped after a few steps, so how good it is depends on timing; but it is the model
    // the worker measured.
    expect(Math.abs(accuracy(model.params) - summary.test.accuracy)).toBeLessThanOrEqual(0.002);
    run.stop(); // after done: a no-op, not an error
    run.pause();
  });

  it('a bad dataDir: result rejects with a message naming the missing files', async () => {
    const { run, of } = start({ config: longConfig, dataDir: '/nonexistent/mnist' });
    // The four files are looked for at once: whichever is missed first is named.
    await expect(run.result).rejects.toThrow(
      /^\/nonexistent\/mnist: no MNIST file found, expected one of (train|t10k)-(images-idx3|labels-idx1)-ubyte,/,
    );
    expect(run.state).toBe('failed');
    expect(of('failed')).toHaveLength(1);
    expect(of('failed')[0]!.message).toMatch(/no MNIST file found/);
  });
});
