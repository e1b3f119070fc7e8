/** Ours' runs as the bench drives them: the task configs and a loop with a progress event per step. */
import { availableParallelism } from 'node:os';
import {
  type Control,
  resolveConfig,
  type TrainConfig,
  type TrainingData,
  type TrainingEvent,
  type TrainResult,
  trainingLoop,
} from '@mnist/net';
import { WORK } from '../protocol.js';

/** The notes' full-batch iteration (the `seed` preset), N iterations, evaluated once at the end. */
export const fullBatchConfig = (iterations: number, evalEvery = iterations, threads = 0) =>
  resolveConfig({ preset: 'seed', iterations, evalEvery, threads });

/** Mini-batch SGD with the notes' update rule, batch 128 (or `batch`), K epochs, evaluated at the end. */
export const epochConfig = (epochs: number, evalEvery = epochs, batch: number = WORK.epoch.batch) =>
  resolveConfig({
    preset: 'seed',
    batchSize: batch,
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
export function drive(
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

export const threadsOf = (c: TrainConfig) =>
  c.kernel === 'js' ? 1 : c.threads === 0 ? availableParallelism() : c.threads;
