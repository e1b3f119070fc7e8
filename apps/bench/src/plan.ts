import type { PeerName } from './protocol.js';

/** Runs to time: the first `warmup` are dropped, the median is taken over `measured`. */
export interface Repeats {
  readonly warmup: number;
  readonly measured: number;
}

/** How much work each peer does per task. The cpu backend of tfjs is slow: it does less. */
export interface Plan {
  /**
   * Child runs per peer for full batch, epochs and inference, in rounds (every peer once, then
   * again). This VM alternates between fast and slow phases of about a second (steps 1.6× apart,
   * not shown as steal time); in rounds such a phase falls on every peer alike, where one run per
   * peer could put one peer wholly in a slow phase. Each run does the warm-up and
   * ⌈measured / rounds⌉ timed repetitions.
   */
  readonly rounds: number;
  /** Full-batch iterations. */
  readonly fullBatch: Readonly<Record<PeerName, Repeats>>;
  /** Epochs of mini-batch SGD. */
  readonly epoch: Readonly<Record<PeerName, Repeats>>;
  /** Fresh processes timed from data in memory to the end of the first step. */
  readonly firstStep: number;
  /** Most epochs a peer may take to reach the targets; null: the task is skipped. */
  readonly toAccuracy: Readonly<Record<PeerName, number>> | null;
  /** Fresh runs per peer to time to the targets, in rounds (every peer once, then again). */
  readonly toAccuracyRuns: number;
  /** Passes over the 10,000 test images. */
  readonly inference: Readonly<Record<PeerName, Repeats>>;
  /** Epochs of ours' `fast` preset that make the weights every peer predicts with. */
  readonly inferenceTrainEpochs: number;
  /** Whether to measure peak RSS of full training runs. */
  readonly rss: boolean;
  /** API load: seconds per autocannon run and connections. */
  readonly api: { readonly seconds: number; readonly connections: number };
  /** Per peer child process, before it is killed. */
  readonly timeoutMs: number;
  /** Per child of ours (each takes seconds), before it is killed and run again… */
  readonly oursTimeoutMs: number;
  /** …at most this many more times. */
  readonly oursRetries: number;
}

const r = (warmup: number, measured: number): Repeats => ({ warmup, measured });

/** The full run: a few minutes on a 2-core machine. */
export const FULL_PLAN: Plan = {
  rounds: 3,
  // onnx-web only predicts (`peersOf`): its training entries are never used.
  fullBatch: {
    ours: r(3, 20),
    numpy: r(3, 20),
    'tfjs-wasm': r(2, 10),
    'tfjs-cpu': r(1, 4),
    'onnx-web': r(0, 0),
  },
  epoch: {
    ours: r(1, 4),
    numpy: r(1, 4),
    'tfjs-wasm': r(1, 4),
    'tfjs-cpu': r(1, 2),
    'onnx-web': r(0, 0),
  },
  firstStep: 5,
  toAccuracy: { ours: 12, numpy: 20, 'tfjs-wasm': 20, 'tfjs-cpu': 8, 'onnx-web': 0 },
  toAccuracyRuns: 3,
  inference: {
    ours: r(2, 10),
    numpy: r(2, 10),
    'tfjs-wasm': r(2, 10),
    'tfjs-cpu': r(1, 5),
    'onnx-web': r(2, 10),
  },
  inferenceTrainEpochs: 2,
  rss: true,
  api: { seconds: 10, connections: 10 },
  timeoutMs: 10 * 60_000,
  oursTimeoutMs: 60_000,
  oursRetries: 2,
};

/** `--quick`: a smoke test of the harness (numbers are indicative only). */
export const QUICK_PLAN: Plan = {
  rounds: 1,
  fullBatch: {
    ours: r(1, 2),
    numpy: r(1, 1),
    'tfjs-wasm': r(0, 1),
    'tfjs-cpu': r(0, 1),
    'onnx-web': r(0, 0),
  },
  epoch: {
    ours: r(0, 1),
    numpy: r(0, 1),
    'tfjs-wasm': r(0, 1),
    'tfjs-cpu': r(0, 1),
    'onnx-web': r(0, 0),
  },
  firstStep: 1,
  toAccuracy: null,
  toAccuracyRuns: 1,
  inference: {
    ours: r(1, 3),
    numpy: r(1, 3),
    'tfjs-wasm': r(1, 3),
    'tfjs-cpu': r(1, 2),
    'onnx-web': r(1, 3),
  },
  inferenceTrainEpochs: 1,
  rss: false,
  api: { seconds: 2, connections: 4 },
  timeoutMs: 2 * 60_000,
  oursTimeoutMs: 15_000,
  oursRetries: 2,
};

export const total = (x: Repeats) => x.warmup + x.measured;

/** What one of `rounds` runs does: the warm-up, and its share of the measured repetitions. */
export const perRun = (x: Repeats, rounds: number): Repeats => ({
  warmup: x.warmup,
  measured: Math.ceil(x.measured / Math.max(1, rounds)),
});

/** "20 iterations after 3 warm-up". */
export function describeRepeats(x: Repeats, unit: string): string {
  const plural = unit.endsWith('s') ? `${unit}es` : `${unit}s`;
  const n = `${x.measured} ${x.measured === 1 ? unit : plural}`;
  return x.warmup > 0 ? `${n} after ${x.warmup} warm-up` : `${n}, no warm-up`;
}

/** "3 runs in rounds × 7 iterations after 3 warm-up" (one run: as describeRepeats). */
export function describeRuns(x: Repeats, runs: number, unit: string): string {
  return runs > 1
    ? `${runs} runs in rounds × ${describeRepeats(x, unit)}`
    : describeRepeats(x, unit);
}
