/**
 * The trainer's worker thread: loads the data, runs the training loop, and obeys commands
 * between steps. Long runs of steps are cut into slices of ~25 ms so that commands (pause,
 * stop, a new learning rate) are handled promptly.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { loadMnist } from '../data/mnist.js';
import { snapshotOf, transferList } from '../model/weights.js';
import type { Control } from '../train/loop.js';
import { trainingLoop } from '../train/loop.js';
import type { Command, WorkerInput, WorkerMessage } from './protocol.js';

const port = parentPort!;
const input = workerData as WorkerInput;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

const control: Control = { stop: false, learningRate: null };
let paused = false;
let wake: (() => void) | null = null;
/** Time spent paused, so that elapsed time, examples/s and the ETA count running time only. */
let pausedMs = 0;
let pausedAt = 0;
const runningClock = () =>
  performance.now() - pausedMs - (paused ? performance.now() - pausedAt : 0);

port.on('message', (c: Command) => {
  if (c.type === 'pause' && !paused) {
    paused = true;
    pausedAt = performance.now();
    post({ type: 'event', event: { type: 'paused' } });
  } else if (c.type === 'resume' && paused) {
    paused = false;
    pausedMs += performance.now() - pausedAt;
    post({ type: 'event', event: { type: 'resumed' } });
  } else if (c.type === 'stop') {
    control.stop = true;
    if (paused) pausedMs += performance.now() - pausedAt;
    paused = false;
  } else if (c.type === 'learning-rate') {
    control.learningRate = c.learningRate;
  }
  wake?.();
});

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const untilWoken = () =>
  new Promise<void>((resolve) => {
    wake = () => {
      wake = null;
      resolve();
    };
  });

async function main(): Promise<void> {
  const { train, test } = await loadMnist(
    input.dataDir === undefined ? {} : { dir: input.dataDir },
  );
  const dataChecksum = createHash('sha256').update(train.images).update(train.labels).digest('hex');
  const loop = trainingLoop(
    input.config,
    {
      train: { pixels: train.images, labels: train.labels, count: train.count },
      test: { pixels: test.images, labels: test.labels, count: test.count },
    },
    control,
    {
      now: runningClock,
      ...(input.progressIntervalMs === undefined
        ? {}
        : { progressIntervalMs: input.progressIntervalMs }),
      ...(input.resume === undefined ? {} : { resume: input.resume }),
    },
  );
  let slice = performance.now();
  for (;;) {
    const r = loop.next();
    if (r.done) {
      const weights = snapshotOf(r.value.params);
      post({ type: 'weights', weights, dataChecksum }, transferList(weights));
      return;
    }
    if (r.value) post({ type: 'event', event: r.value });
    if (performance.now() - slice > 25 || paused) {
      await tick();
      while (paused && !control.stop) await untilWoken();
      slice = performance.now();
    }
  }
}

main().catch((e: unknown) => {
  post({
    type: 'event',
    event: { type: 'failed', message: e instanceof Error ? e.message : String(e) },
  });
});
