/**
 * The names the harness and its child processes share: peers, tasks, and what a child prints.
 * Every peer runs in its own process and prints one JSON object (a `PeerOutput`) on stdout.
 */

/** The systems measured. `ours` is the trainer of packages/net, through its public interface. */
export const PEERS = ['ours', 'numpy', 'tfjs-wasm', 'tfjs-cpu', 'onnx-web'] as const;
export type PeerName = (typeof PEERS)[number];

/** The peers that train (every one but onnx-web, which runs ours' exported ONNX model). */
const TRAINERS = PEERS.filter((p) => p !== 'onnx-web');

/**
 * The tasks, in the order they run, each with the peers that take part in it (a peer is left
 * out of the others). `to-accuracy` gives two rows (85 % and 92 %). onnx-web runs ours'
 * exported ONNX model (`modelToOnnx`), so it only predicts.
 */
const TASK_PEERS = {
  'full-batch': TRAINERS,
  epoch: TRAINERS,
  'first-step': TRAINERS,
  'to-accuracy': TRAINERS,
  inference: PEERS,
  rss: TRAINERS,
  api: TRAINERS,
  'api-abuse': TRAINERS,
} as const satisfies Record<string, readonly PeerName[]>;
export type TaskName = keyof typeof TASK_PEERS;
export const TASKS = Object.keys(TASK_PEERS) as readonly TaskName[];

/** The peers that take part in `task`. */
export const peersOf = (task: TaskName): readonly PeerName[] => TASK_PEERS[task];

/** The tasks `peer` takes part in, in the order they run. */
export const tasksOf = (peer: PeerName): TaskName[] =>
  TASKS.filter((t) => peersOf(t).includes(peer));

/** What a peer child process prints for one task (numpy's script prints the same fields). */
export interface PeerOutput {
  readonly peer: string;
  readonly task: string;
  /** Library version (numpy, tfjs) or `null`. */
  readonly version?: string | null;
  /** One duration per iteration, epoch or repeat, warm-up included (the harness drops it). */
  readonly times_ms?: readonly number[];
  /** Test accuracy (0…1) of the weights at the end of the measured work. */
  readonly test_accuracy?: number;
  /** to-accuracy: milliseconds from the first step until each target (key: "0.85") was seen. */
  readonly reached_ms?: Readonly<Record<string, number>>;
  /** to-accuracy: epochs run. */
  readonly epochs?: number;
  /** inference: images classified per repeat. */
  readonly images?: number;
  /** Free-form facts about the run (backend, threads, setup time). */
  readonly info?: Readonly<Record<string, unknown>>;
}

/** What the `prepare` step of ours.js prints: shared weights and ours' reference accuracies. */
export interface PrepareOutput {
  readonly task: 'full-batch' | 'epoch' | 'inference';
  /** Float32 file: W1 (H×784), b1 (H), W2 (10×H), b2 (10), little-endian, row-major. */
  readonly weights: string;
  readonly hidden: number;
  /** Ours' test accuracy after K iterations (full-batch) or K epochs (epoch), key K. */
  readonly accuracyAt: Readonly<Record<string, number>>;
  /** inference: the test accuracy of the weights written. */
  readonly accuracy: number | null;
}

/** The training settings every peer uses for a task (the notes' network, hidden 10). */
export const WORK = {
  fullBatch: { hidden: 10, init: 'uniform', learningRate: 0.1 },
  epoch: { hidden: 10, init: 'he', learningRate: 0.1, batch: 128 },
  /** The smaller batches of the epoch task (ours and numpy only). */
  epochSmall: { batches: [64, 32] },
  toAccuracy: { hidden: 10, batch: 64, learningRate: 0.003, targets: [0.85, 0.92] },
} as const;

/** Parses a child's stdout: the last line that holds a JSON object. */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    const s = line.trim();
    if (s.startsWith('{') && s.endsWith('}')) return JSON.parse(s) as T;
  }
  throw new Error(`no JSON object in the output: ${JSON.stringify(stdout.slice(-200))}`);
}
