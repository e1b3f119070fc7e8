#!/usr/bin/env node
/**
 * The TensorFlow.js peer: the notes' equations by hand with tf ops (tfjs-net.ts), on the wasm
 * backend (its .wasm files read from the installed package, nothing downloaded) or the pure-JS
 * `cpu` backend, in a process of its own:
 *
 *   node dist/peers/tfjs.js <task> '{"backend":"wasm", …}'
 *
 * Tasks: full-batch, epoch, to-accuracy, inference. Prints one JSON object on stdout, with the
 * same fields as the numpy peer.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initParams, snapshotOf, type TrainingData, type WeightsSnapshot } from '@mnist/net';
import { Rng } from '@mnist/tensor';
import * as tf from '@tensorflow/tfjs-core';
// The two backends this peer runs on; importing one registers it with tfjs-core.
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { type PeerOutput, WORK } from '../protocol.js';
import { readWeights } from '../weights.js';
import { childOptions, emit, intOption, loadTrainingData, runMain, stringOption } from './data.js';
import {
  accuracy,
  adamStep,
  predictLabels,
  sgdStep,
  type TfParams,
  toVariables,
} from './tfjs-net.js';

/** The folder holding tfjs-backend-wasm's .wasm files, inside the installed package. */
export function wasmDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return `${join(dirname(pkg), 'dist')}/`;
}

async function useBackend(name: string): Promise<Record<string, unknown>> {
  if (name !== 'wasm' && name !== 'cpu')
    throw new Error(`backend: expected wasm or cpu, got ${JSON.stringify(name)}`);
  if (name === 'wasm') setWasmPaths(wasmDir());
  if (!(await tf.setBackend(name)))
    throw new Error(`tfjs: the ${name} backend failed to initialise`);
  await tf.ready();
  const info: Record<string, unknown> = { backend: tf.getBackend(), tfjs: tf.version_core };
  if (name === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    info.threads = threaded ? 'wasm threads' : 1;
  } else info.threads = 1;
  return info;
}

/** The notes' layout on the device: X (784, m) in [0, 1], one example per column; Y one-hot (10, m). */
function columns(pixels: Uint8Array, labels: Uint8Array, count: number) {
  const x = new Float32Array(784 * count);
  for (let j = 0; j < count; j++) {
    for (let k = 0; k < 784; k++) x[k * count + j] = pixels[j * 784 + k]! / 255;
  }
  const y = new Float32Array(10 * count);
  for (let j = 0; j < count; j++) y[labels[j]! * count + j] = 1;
  return { X: tf.tensor2d(x, [784, count]), Y: tf.tensor2d(y, [10, count]) };
}

/** The test set on the device: X (784, 10000) and the labels on the host. */
function testSet(data: TrainingData) {
  const { X, Y } = columns(data.test.pixels, data.test.labels, data.test.count);
  Y.dispose();
  return { Xte: X, yte: data.test.labels };
}

/** The training images on the host, one scaled row of 784 per image, for batching. */
interface HostRows {
  readonly rows: Float32Array; // (m, 784)
  readonly labels: Uint8Array; // (m)
  readonly m: number;
}

function hostRows(data: TrainingData): HostRows {
  const rows = new Float32Array(data.train.pixels.length);
  for (let i = 0; i < rows.length; i++) rows[i] = data.train.pixels[i]! / 255;
  return { rows, labels: data.train.labels, m: data.train.count };
}

/**
 * One shuffled epoch, `batch` examples at a time (the last batch may be smaller): the batch is
 * gathered on the host (much faster than tf.gather on these backends) and enters as the notes'
 * X (784, b) and Y (10, b).
 */
function epochOf(
  h: HostRows,
  order: Int32Array,
  batch: number,
  step: (X: tf.Tensor2D, Y: tf.Tensor2D) => void,
): void {
  for (let from = 0; from < h.m; from += batch) {
    const b = Math.min(h.m, from + batch) - from;
    const xb = new Float32Array(b * 784); // (b, 784)
    const yb = new Float32Array(10 * b); //  (10, b)
    for (let j = 0; j < b; j++) {
      const e = order[from + j]!;
      xb.set(h.rows.subarray(e * 784, (e + 1) * 784), j * 784);
      yb[h.labels[e]! * b + j] = 1;
    }
    tf.tidy(() => step(tf.transpose(tf.tensor2d(xb, [b, 784])), tf.tensor2d(yb, [10, b])));
  }
}

/** Waits for the step to be done: the wasm and cpu kernels run eagerly, a read makes sure. */
const settle = (p: TfParams) => p.b2.dataSync();

/** `n` timed runs of `run` on `p`, each settled before its clock stops: the durations in ms. */
function timed(n: number, p: TfParams, run: () => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    run();
    settle(p);
    times.push(performance.now() - t);
  }
  return times;
}

const heInit = (hidden: number, seed: number): WeightsSnapshot =>
  snapshotOf(initParams(hidden, 'he', new Rng(seed)));

runMain('tfjs', async () => {
  const [task, raw] = process.argv.slice(2);
  const opts = childOptions(raw, 'tfjs');
  const backend = typeof opts.backend === 'string' ? opts.backend : 'wasm';
  const info = await useBackend(backend);
  const data = await loadTrainingData(typeof opts.dataDir === 'string' ? opts.dataDir : undefined);
  const hidden = intOption(opts, 'hidden', 10);
  const rng = new Rng(intOption(opts, 'seed', 1));
  const peer = `tfjs-${backend}`;
  const out = (fields: Partial<PeerOutput>): void =>
    emit({ peer, task, version: tf.version_core, ...fields, info: { ...info, ...fields.info } });

  if (task === 'full-batch') {
    // The notes' iteration over all 60,000 images, from the weights ours starts from.
    const { Xte, yte } = testSet(data);
    const { X, Y } = columns(data.train.pixels, data.train.labels, data.train.count);
    const p = toVariables(readWeights(stringOption(opts, 'init'), hidden));
    const times = timed(intOption(opts, 'iterations', 3), p, () =>
      sgdStep(p, X, Y, WORK.fullBatch.learningRate),
    );
    return out({ times_ms: times, test_accuracy: accuracy(p, Xte, yte) });
  }
  if (task === 'epoch') {
    // Mini-batch SGD, batch 128, the notes' update rule, a fresh seeded order every epoch.
    const { Xte, yte } = testSet(data);
    const h = hostRows(data);
    const p = toVariables(readWeights(stringOption(opts, 'init'), hidden));
    const order = Int32Array.from({ length: h.m }, (_, i) => i);
    const times = timed(intOption(opts, 'epochs', 1), p, () => {
      rng.shuffle(order);
      epochOf(h, order, WORK.epoch.batch, (X, Y) => sgdStep(p, X, Y, WORK.epoch.learningRate));
    });
    return out({ times_ms: times, test_accuracy: accuracy(p, Xte, yte) });
  }
  if (task === 'to-accuracy') {
    // Best preset of this peer: tf.train.adam (α 0.003), batch 64, He init; checked after each epoch.
    const { Xte, yte } = testSet(data);
    const h = hostRows(data);
    const p = toVariables(heInit(hidden, intOption(opts, 'seed', 1)));
    const adam = tf.train.adam(WORK.toAccuracy.learningRate, 0.9, 0.999, 1e-8);
    const targets = (opts.targets as number[] | undefined) ?? [...WORK.toAccuracy.targets];
    const maxEpochs = intOption(opts, 'maxEpochs', 20);
    const order = Int32Array.from({ length: h.m }, (_, i) => i);
    const reached: Record<string, number> = {};
    let acc = Number.NaN;
    let epochs = 0;
    const t0 = performance.now();
    while (epochs < maxEpochs && !targets.every((t) => String(t) in reached)) {
      rng.shuffle(order);
      epochOf(h, order, WORK.toAccuracy.batch, (X, Y) => adamStep(p, X, Y, adam));
      epochs++;
      acc = accuracy(p, Xte, yte);
      for (const target of targets) {
        if (acc >= target && !(String(target) in reached))
          reached[String(target)] = performance.now() - t0;
      }
    }
    return out({ reached_ms: reached, test_accuracy: acc, epochs, info: { maxEpochs } });
  }
  if (task === 'inference') {
    // Forward over the 10,000 test images with ours' trained weights, labels read back.
    const { Xte, yte } = testSet(data);
    const p = toVariables(readWeights(stringOption(opts, 'weights'), hidden));
    const times: number[] = [];
    let labels: Int32Array = new Int32Array(0);
    for (let r = 0; r < intOption(opts, 'repeats', 5); r++) {
      const t = performance.now();
      labels = predictLabels(p, Xte);
      times.push(performance.now() - t);
    }
    let correct = 0;
    for (let j = 0; j < labels.length; j++) if (labels[j] === yte[j]) correct++;
    return out({ times_ms: times, images: labels.length, test_accuracy: correct / labels.length });
  }
  throw new Error(
    `unknown task ${JSON.stringify(task)}; expected full-batch, epoch, to-accuracy or inference`,
  );
});
