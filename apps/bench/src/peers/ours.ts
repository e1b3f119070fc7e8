#!/usr/bin/env node
/**
 * Ours: the trainer of @mnist/net, measured only through its public interface (`trainingLoop`,
 * `resolveConfig`, its events, `predictor`), in a process of its own:
 *
 *   node dist/peers/ours.js <task> '<json options>'
 *
 * Tasks: full-batch, epoch, first-step, to-accuracy, inference (timed), and prepare (not timed: writes the
 * weights every peer starts from, and ours' accuracies on the same work, for the checks).
 * Prints one JSON object on stdout.
 */
import { type Control, paramsOf, predictor, resolveConfig, type TrainingData } from '@mnist/net';
import { type PeerOutput, WORK } from '../protocol.js';
import { readWeights } from '../weights.js';
import { childOptions, emit, intOption, loadTrainingData, runMain, stringOption } from './data.js';
import { drive, epochConfig, fullBatchConfig, threadsOf } from './ours-drive.js';
import { prepare } from './ours-prepare.js';

/**
 * Full batch: the time between consecutive `progress` events (one per step with interval 0);
 * the first step is timed from the `start` event, after the data is attached.
 */
function fullBatch(data: TrainingData, opts: Record<string, unknown>): PeerOutput {
  const iterations = intOption(opts, 'iterations', 10);
  const threads = opts.threads === undefined ? 0 : intOption(opts, 'threads', 1);
  const config = fullBatchConfig(iterations, iterations, threads);
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
  const config = epochConfig(epochs, epochs, intOption(opts, 'batch', WORK.epoch.batch));
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
    info: {
      kernel: config.kernel,
      threads: threadsOf(config),
      batch: config.batchSize,
      stepsPerEpoch,
    },
  };
}

/**
 * Time to the first step in a fresh process: from the image bytes in memory to the end of the
 * first step of the `fast` preset (kernel and threads started, the module compiled, the data
 * moved into the kernel's memory, one step), then the run is stopped.
 */
function firstStep(data: TrainingData): PeerOutput {
  const config = resolveConfig({ preset: 'fast' });
  const control: Control = { stop: false, learningRate: null };
  const t0 = performance.now();
  let ms = Number.NaN;
  let setupMs = Number.NaN;
  drive(
    config,
    data,
    (e, t) => {
      if (e.type === 'start') setupMs = t - t0;
      if (e.type === 'progress' && Number.isNaN(ms)) {
        ms = t - t0;
        control.stop = true;
      }
    },
    control,
  );
  return {
    peer: 'ours',
    task: 'first-step',
    version: null,
    times_ms: [ms],
    info: { preset: 'fast', threads: threadsOf(config), setupMs },
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

/**
 * Inference: a `predictor` (the model laid out once and its helper thread started, outside the
 * timed span, as numpy's weights are loaded outside its), then `run({ uint8 })` over the 10,000
 * test images, `repeats` times.
 */
async function inference(data: TrainingData, opts: Record<string, unknown>): Promise<PeerOutput> {
  const hidden = intOption(opts, 'hidden', 10);
  const repeats = intOption(opts, 'repeats', 5);
  const run = predictor(paramsOf(readWeights(stringOption(opts, 'weights'), hidden)));
  await run.ready();
  const images = { uint8: data.test.pixels };
  const times: number[] = [];
  let labels: Uint8Array = new Uint8Array(0);
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    labels = run(images).labels;
    times.push(performance.now() - t);
  }
  const threads = run.lastThreads();
  run.close();
  let correct = 0;
  for (let j = 0; j < labels.length; j++) if (labels[j] === data.test.labels[j]) correct++;
  return {
    peer: 'ours',
    task: 'inference',
    version: null,
    times_ms: times,
    images: data.test.count,
    test_accuracy: correct / data.test.count,
    info: { threads },
  };
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
    case 'first-step':
      return emit(firstStep(data));
    case 'to-accuracy':
      return emit(toAccuracy(data, opts));
    case 'inference':
      return emit(await inference(data, opts));
    case 'prepare':
      return emit(prepare(data, opts));
    default:
      throw new Error(
        `unknown task ${JSON.stringify(task)}; expected full-batch, epoch, first-step, to-accuracy, inference or prepare`,
      );
  }
});
