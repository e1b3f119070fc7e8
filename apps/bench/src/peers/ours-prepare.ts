/**
 * Ours' `prepare` step (not timed): the weights every peer starts from (or predicts with), and
 * ours' reference accuracies on the same work, for the accuracy checks.
 */
import { join } from 'node:path';
import {
  checkConfig,
  resolveConfig,
  snapshotOf,
  type TrainConfig,
  type TrainingData,
  type WeightsSnapshot,
} from '@mnist/net';
import { type PrepareOutput, WORK } from '../protocol.js';
import { writeWeights } from '../weights.js';
import { intOption, stringOption } from './data.js';
import { drive, epochConfig, fullBatchConfig } from './ours-drive.js';

/** The weights ours' trainer starts from for `config`: one step with α = 1e-30 changes nothing. */
function initialWeights(config: TrainConfig, data: TrainingData): WeightsSnapshot {
  let snapshot: WeightsSnapshot | null = null;
  const probe = { ...config, learningRate: 1e-30, evalEvery: 1 };
  const oneStep = config.batchSize === 'full' ? { iterations: 1 } : { epochs: 1 };
  drive(checkConfig({ ...probe, ...oneStep }), data, (e) => {
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
export function prepare(data: TrainingData, opts: Record<string, unknown>): PrepareOutput {
  const dir = stringOption(opts, 'dir');
  const task = stringOption(opts, 'for');
  const at = ((opts.at as number[] | undefined) ?? []).filter((k) => Number.isInteger(k) && k > 0);
  const most = Math.max(1, ...at);
  if (task === 'full-batch' || task === 'epoch') {
    const weights = join(dir, `${task}-init.f32`);
    const config =
      task === 'full-batch'
        ? fullBatchConfig(most, 1)
        : epochConfig(most, 1, intOption(opts, 'batch', WORK.epoch.batch));
    writeWeights(weights, initialWeights(config, data));
    const accuracyAt = at.length > 0 ? accuracyCurve(config, data, at) : {};
    return { task, weights, hidden: config.hidden, accuracyAt, accuracy: null };
  }
  if (task === 'inference') {
    const epochs = intOption(opts, 'epochs', 2);
    const config = resolveConfig({ preset: 'fast', epochs, evalEvery: epochs });
    const result = drive(config, data, () => {});
    const weights = join(dir, 'inference-weights.f32');
    writeWeights(weights, snapshotOf(result.params));
    return { task, weights, hidden: config.hidden, accuracyAt: {}, accuracy: result.test.accuracy };
  }
  throw new Error(
    `prepare: unknown task ${JSON.stringify(task)}; expected full-batch, epoch or inference`,
  );
}
