import type { InitScheme } from '../network/params.js';
import type { OptimizerName } from './optimizer.js';

/** Everything that decides a training run. Same config and seed: bit-identical weights. */
export interface TrainConfig {
  /** The preset this config started from. */
  readonly preset: PresetName;
  /** Hidden width H (W1 is H×784). The notes use 10. */
  readonly hidden: number;
  readonly init: InitScheme;
  readonly optimizer: OptimizerName;
  /** Learning rate α. */
  readonly learningRate: number;
  /** Momentum μ (optimizer `momentum`). */
  readonly momentum: number;
  /** Examples per step; `'full'` is the notes' full-batch gradient descent. */
  readonly batchSize: number | 'full';
  /** Full-batch runs: number of iterations (steps). */
  readonly iterations: number;
  /** Mini-batch runs: number of passes over the training set. */
  readonly epochs: number;
  /** How α changes over the run (times the base α, which can be changed live). */
  readonly schedule: 'constant' | 'cosine';
  readonly seed: number;
  /** Training examples held out for validation and early stopping (0: none). */
  readonly validation: number;
  /** Stop after this many evaluations without a better validation loss (0: never). */
  readonly patience: number;
  /** Evaluate on the test set every this many iterations (full batch) or epochs (mini-batch). */
  readonly evalEvery: number;
  /** Use only the first N training examples (0: all). */
  readonly limit: number;
  /** The training kernel: WebAssembly SIMD (`wasm`, falls back to `js` where unavailable) or plain TypeScript (`js`). */
  readonly kernel: 'wasm' | 'js';
  /** Threads of the wasm kernel; 0: one per core. Same seed and thread count: same weights. */
  readonly threads: number;
}

export type PresetName = 'seed' | 'fast' | 'wide';

/** The presets. `seed` is the notes' own run; the others are faster and more accurate. */
export const PRESETS: Readonly<Record<PresetName, TrainConfig>> = {
  seed: {
    preset: 'seed',
    hidden: 10,
    init: 'uniform',
    optimizer: 'sgd',
    learningRate: 0.1,
    momentum: 0.9,
    batchSize: 'full',
    iterations: 500,
    epochs: 1,
    schedule: 'constant',
    seed: 1,
    validation: 0,
    patience: 0,
    evalEvery: 10,
    limit: 0,
    kernel: 'wasm',
    threads: 0,
  },
  fast: {
    preset: 'fast',
    hidden: 10,
    init: 'he',
    optimizer: 'adam',
    learningRate: 0.003,
    momentum: 0.9,
    batchSize: 64,
    iterations: 0,
    epochs: 12,
    schedule: 'cosine',
    seed: 1,
    validation: 0,
    patience: 0,
    evalEvery: 1,
    limit: 0,
    kernel: 'wasm',
    threads: 0,
  },
  wide: {
    preset: 'wide',
    hidden: 128,
    init: 'he',
    optimizer: 'adam',
    learningRate: 0.002,
    momentum: 0.9,
    batchSize: 128,
    iterations: 0,
    epochs: 15,
    schedule: 'cosine',
    seed: 1,
    validation: 0,
    patience: 0,
    evalEvery: 1,
    limit: 0,
    kernel: 'wasm',
    threads: 0,
  },
};

/** A config that was refused; the message names the field, what was expected and what came. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function int(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new ConfigError(field, `expected an integer in ${min}..${max}, got ${show(v)}`);
  return v;
}

function num(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= min || v > max)
    throw new ConfigError(
      field,
      `expected a number above ${min} and at most ${max}, got ${show(v)}`,
    );
  return v;
}

function fraction(field: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1))
    throw new ConfigError(field, `expected a number in [0, 1), got ${show(v)}`);
  return v;
}

function oneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T))
    throw new ConfigError(field, `expected one of ${allowed.join(', ')}, got ${show(v)}`);
  return v as T;
}

/**
 * A full config: the named preset (default `seed`) with `overrides` on top, every field checked.
 * Unknown fields are refused, so a typo never passes silently.
 */
export function resolveConfig(
  overrides: Partial<Record<keyof TrainConfig, unknown>> = {},
): TrainConfig {
  for (const key of Object.keys(overrides)) {
    if (!(key in PRESETS.seed))
      throw new ConfigError(key, `unknown option; known: ${Object.keys(PRESETS.seed).join(', ')}`);
  }
  const preset = oneOf('preset', overrides.preset ?? 'seed', ['seed', 'fast', 'wide'] as const);
  const o = {
    ...PRESETS[preset],
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  const batchSize = o.batchSize === 'full' ? 'full' : int('batchSize', o.batchSize, 1, 60000);
  return {
    preset,
    hidden: int('hidden', o.hidden, 1, 4096),
    init: oneOf('init', o.init, ['uniform', 'he'] as const),
    optimizer: oneOf('optimizer', o.optimizer, ['sgd', 'momentum', 'adam'] as const),
    learningRate: num('learningRate', o.learningRate, 0, 100),
    momentum: fraction('momentum', o.momentum),
    batchSize,
    iterations: int('iterations', o.iterations, batchSize === 'full' ? 1 : 0, 1_000_000),
    epochs: int('epochs', o.epochs, batchSize === 'full' ? 0 : 1, 10_000),
    schedule: oneOf('schedule', o.schedule, ['constant', 'cosine'] as const),
    seed: int('seed', o.seed, 0, 2 ** 32 - 1),
    validation: int('validation', o.validation, 0, 59_999),
    patience: int('patience', o.patience, 0, 10_000),
    evalEvery: int('evalEvery', o.evalEvery, 1, 1_000_000),
    limit: int('limit', o.limit, 0, 60_000),
    kernel: oneOf('kernel', o.kernel, ['wasm', 'js'] as const),
    threads: int('threads', o.threads, 0, 16),
  };
}

/** α at `progress` (0…1) of the run, for base rate `alpha`. */
export function scheduledRate(config: TrainConfig, alpha: number, progress: number): number {
  if (config.schedule === 'cosine')
    return alpha * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  return alpha;
}
