#!/usr/bin/env node
/**
 * Ours: the trainer of @mnist/net, measured only through its public interface (`trainingLoop`,
 * `resolveConfig`, its events, `predict`), in a process of its own:
 *
 *   node dist/peers/ours.js <task> '<json options>'
 *
 * Tasks: full-batch, epoch, to-accuracy, inference (timed), and prepare (not timed: writes the
 * weights every peer starts from, and ours' accuracies on the same work, for the checks).
 * Prints one JSON object on stdout.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  type Control,
  type ParamsSnapshot,
  predict,
  resolveConfig,
  type TrainConfig,
  type TrainingData,
  type TrainingEvent,
  type TrainResult,
  trainingLoop,
} from '@mnist/net';
import { bind } from '@mnist/tensor';
import { type PeerOutput, type PrepareOutput, WORK } from '../protocol.js';
import { readWeights, writeWeights } from '../weights.js';
import { childOptions, emit, intOption, loadTrainingData, runMain, stringOption } from './data.js';

/** The notes' full-batch iteration (the `seed` preset), N iterations, evaluated once at the end. */
export const fullBatchConfig = (iterations: number, evalEvery = iterations) =>
  resolveConfig({ preset: 'seed', iterations, evalEvery });

/** Mini-batch SGD with the notes' update rule, batch 128, K epochs, evaluated at the end. */
export const epochConfig = (epochs: number, evalEvery = epochs) =>
  resolveConfig({
    preset: 'seed',
    batchSize: WORK.epoch.batch,
    optimizer: 'sgd',
    init: WORK.epoch.init,
    learningRate: WORK.epoch.learningRate,
    epochs,
    evalEvery,
  });

/**
 * Runs a loop to its end with a progress event after every step, passing each event and the
 * time it arrived (performance.now) to `on`. Returns the result.
 */
function drive(
  config: TrainConfig,
  data: TrainingData,
  on: (e: TrainingEvent, t: number) => void,
  control: Control = { stop: false, learningRate: null },
): TrainResult {
  const it = trainingLoop(config, data, control, { progressIntervalMs: 0 });
  for (;;) {
    const r = it.next();
    const t = performance.now();
    if (r.done) return r.value;
    if (r.value) on(r.value, t);
  }
}

const threadsOf = (c: TrainConfig) =>
  c.kernel === 'js' ? 1 : c.threads === 0 ? availableParallelism() : c.threads;

/**
 * Full batch: the time between consecutive `progress` events (one per step with interval 0);
 * the first step is timed from the `start` event, after the data is attached.
 */
function fullBatch(data: TrainingData, opts: Record<string, unknown>): PeerOutput {
  const iterations = intOption(opts, 'iterations', 10);
  const config = fullBatchConfig(iterations);
  const times: number[] = [];
  const t0 = performance.now();
  let setupMs = 0;
  let last = 0;
  const result = drive(config, data, (e, t) => {
    if (e.type === 'start') {
      setupMs = t - t0;
      last = t;
    } else if (e.type === 'progress') {
      times.push(t - last);
      last = t;
    } else if (e.type === 'evaluation') last = t;
  });
  if (times.length !== iterations) {
    throw new Error(
      `full-batch: expected one progress event per step (${iterations}), got ${times.length}`,
    );
  }
  return {
    peer: 'ours',
    task: 'full-batch',
    version: null,
    times_ms: times,
    test_accuracy: result.test.accuracy,
    info: { kernel: config.kernel, threads: threadsOf(config), setupMs },
  };
}

/**
 * One epoch of mini-batch SGD: the time between the progress events that close consecutive
 * epochs (step = k × steps per epoch); the first epoch is timed from the `start` event.
 * Evaluation runs only after the last epoch, outside every timed span.
 */
function epoch(data: TrainingData, opts: Record<string, unknown>): PeerOutput {
  const epochs = intOption(opts, 'epochs', 2);
  const config = epochConfig(epochs);
  const times: number[] = [];
  let stepsPerEpoch = 0;
  let last = 0;
  const result = drive(config, data, (e, t) => {
    if (e.type === 'start') {
      stepsPerEpoch = e.totalSteps / epochs;
      last = t;
    } else if (e.type === 'progress' && e.step % stepsPerEpoch === 0) {
      times.push(t - last);
      last = t;
    }
  });
  if (times.length !== epochs) {
    throw new Error(
      `epoch: expected a progress event at the end of each of ${epochs} epochs, got ${times.length}`,
    );
  }
  return {
    peer: 'ours',
    task: 'epoch',
    version: null,
    times_ms: times,
    test_accuracy: result.test.accuracy,
    info: { kernel: config.kernel, threads: threadsOf(config), stepsPerEpoch },
  };
}

/**
 * Time to accuracy with the `fast` preset: from the `start` event to the first `evaluation`
 * (after each epoch) whose test accuracy reaches each target; the run stops once all are reached.
 */
function toAccuracy(data: TrainingData, opts: Record<string, unknown>): PeerOutput {
  const targets = (opts.targets as number[] | undefined) ?? [...WORK.toAccuracy.targets];
  const config = resolveConfig({ preset: 'fast', evalEvery: 1 });
  const control: Control = { stop: false, learningRate: null };
  const reached: Record<string, number> = {};
  let start = 0;
  let accuracy = Number.NaN;
  let epochs = 0;
  drive(
    config,
    data,
    (e, t) => {
      if (e.type === 'start') start = t;
      if (e.type !== 'evaluation') return;
      accuracy = e.test.accuracy;
      epochs = e.epoch;
      for (const target of targets) {
        if (accuracy >= target && !(String(target) in reached)) reached[String(target)] = t - start;
      }
      if (targets.every((target) => String(target) in reached)) control.stop = true;
    },
    control,
  );
  return {
    peer: 'ours',
    task: 'to-accuracy',
    version: null,
    reached_ms: reached,
    test_accuracy: accuracy,
    epochs,
    info: {
      preset: 'fast',
      optimizer: config.optimizer,
      batch: config.batchSize,
      maxEpochs: config.epochs,
      threads: threadsOf(config),
    },
  };
}

/** Inference: `predict(params, { uint8 })` over the 10,000 test images, `repeats` times. */
async function inference(data: TrainingData, opts: Record<string, unknown>): Promise<PeerOutput> {
  const hidden = intOption(opts, 'hidden', 10);
  const repeats = intOption(opts, 'repeats', 5);
  const w = readWeights(stringOption(opts, 'weights'), hidden);
  const params = bind({ W1: ['h', 784], b1: ['h', 1], W2: [10, 'h'], b2: [10, 1] } as const, {
    W1: { data: w.W1, shape: [hidden, 784] },
    b1: { data: w.b1, shape: [hidden, 1] },
    W2: { data: w.W2, shape: [10, hidden] },
    b2: { data: w.b2, shape: [10, 1] },
  });
  const images = { uint8: data.test.pixels };
  const times: number[] = [];
  let labels: Uint8Array = new Uint8Array(0);
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    labels = predict(params, images).labels;
    times.push(performance.now() - t);
  }
  let correct = 0;
  for (let j = 0; j < labels.length; j++) if (labels[j] === data.test.labels[j]) correct++;
  return {
    peer: 'ours',
    task: 'inference',
    version: null,
    times_ms: times,
    images: data.test.count,
    test_accuracy: correct / data.test.count,
    info: { threads: 1 },
  };
}

/** The weights ours' trainer starts from for `config`: one step with α = 1e-30 changes nothing. */
function initialWeights(config: TrainConfig, data: TrainingData): ParamsSnapshot {
  let snapshot: ParamsSnapshot | null = null;
  const probe = { ...config, learningRate: 1e-30, iterations: 1, epochs: 1, evalEvery: 1 };
  drive(resolveConfig(probe), data, (e) => {
    if (e.type === 'evaluation' && snapshot === null) snapshot = e.params;
  });
  if (snapshot === null) throw new Error('prepare: the probe run gave no evaluation event');
  return snapshot;
}

/** Ours' test accuracy after each count in `at` (iterations or epochs), from one run evaluated at every count. */
function accuracyCurve(
  config: TrainConfig,
  data: TrainingData,
  at: readonly number[],
): Record<string, number> {
  const out: Record<string, number> = {};
  drive(config, data, (e) => {
    if (e.type === 'evaluation' && at.includes(e.epoch)) out[String(e.epoch)] = e.test.accuracy;
  });
  return out;
}

/** Not timed: the weights every peer starts from (or predicts with) and ours' reference accuracies. */
function prepare(data: TrainingData, opts: Record<string, unknown>): PrepareOutput {
  const dir = stringOption(opts, 'dir');
  const task = stringOption(opts, 'for');
  const at = ((opts.at as number[] | undefined) ?? []).filter((k) => Number.isInteger(k) && k > 0);
  const most = Math.max(1, ...at);
  if (task === 'full-batch' || task === 'epoch') {
    const weights = join(dir, `${task}-init.f32`);
    const config = task === 'full-batch' ? fullBatchConfig(most, 1) : epochConfig(most, 1);
    writeWeights(weights, initialWeights(config, data));
    const accuracyAt = at.length > 0 ? accuracyCurve(config, data, at) : {};
    return { task, weights, hidden: config.hidden, accuracyAt, accuracy: null };
  }
  if (task === 'inference') {
    const epochs = intOption(opts, 'epochs', 2);
    const config = resolveConfig({ preset: 'fast', epochs, evalEvery: epochs });
    const result = drive(config, data, () => {});
    const weights = join(dir, 'inference-weights.f32');
    const p = result.params;
    writeWeights(weights, {
      hidden: config.hidden,
      W1: p.W1.data,
      b1: p.b1.data,
      W2: p.W2.data,
      b2: p.b2.data,
    });
    return { task, weights, hidden: config.hidden, accuracyAt: {}, accuracy: result.test.accuracy };
  }
  throw new Error(
    `prepare: unknown task ${JSON.stringify(task)}; expected full-batch, epoch or inference`,
  );
}

runMain('ours', async () => {
  const [task, raw] = process.argv.slice(2);
  const opts = childOptions(raw, 'ours');
  const data = await loadTrainingData(typeof opts.dataDir === 'string' ? opts.dataDir : undefined);
  switch (task) {
    case 'full-batch':
      return emit(fullBatch(data, opts));
    case 'epoch':
      return emit(epoch(data, opts));
    case 'to-accuracy':
      return emit(toAccuracy(data, opts));
    case 'inference':
      return emit(await inference(data, opts));
    case 'prepare':
      return emit(prepare(data, opts));
    default:
      throw new Error(
        `unknown task ${JSON.stringify(task)}; expected full-batch, epoch, to-accuracy, inference or prepare`,
      );
  }
});
