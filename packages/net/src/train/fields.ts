/**
 * The training config, field by field, defined once: each field's type and range, its default in
 * every preset, its help text and unit. The config check (`resolveConfig`, `checkField`), the
 * command-line flags and their `--help`, the HTTP API's request schema (and so its OpenAPI
 * document) and the dashboard's α bounds are all derived from this table: a change of range is
 * one edit here.
 */

/** The presets, in the order `--help` lists them. `seed` is the notes' own run. */
export const PRESET_NAMES = ['seed', 'fast', 'wide'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A value from a fixed list. */
export interface EnumKind<T extends string = string> {
  readonly type: 'enum';
  readonly values: readonly T[];
}
/** A whole number in [min, max]; with `or`, that word is allowed too (`batchSize: 'full'`). */
export interface IntKind<Or extends string = never> {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
  readonly or?: Or;
}
/** A finite number between min and max; `open` ends exclude the bound. */
export interface NumberKind {
  readonly type: 'number';
  readonly min: number;
  readonly max: number;
  readonly minOpen: boolean;
  readonly maxOpen: boolean;
}
export type FieldKind = EnumKind | IntKind<string> | NumberKind;

/** Runs a field applies to: every run, full-batch runs only, or mini-batch runs only. */
export type AppliesTo = 'any' | 'full-batch' | 'mini-batch';

/** One field of the training config. */
export interface FieldSpec<K extends FieldKind = FieldKind> {
  readonly kind: K;
  /** Its value in each preset. */
  readonly presets: Readonly<Record<PresetName, ValueOf<K>>>;
  /** One line for `--help` and the OpenAPI description. */
  readonly help: string;
  /** The unit of a number (`images`, `steps`), if it has one. */
  readonly unit?: string;
  /** The placeholder of its command-line flag: `--hidden N`. */
  readonly arg: string;
  /** The command-line flag when it is not the kebab-case name, and other spellings of it. */
  readonly flag?: string;
  readonly aliases?: readonly string[];
  /** @default 'any' */
  readonly appliesTo?: AppliesTo;
}

/** The TypeScript type of a field's value. */
export type ValueOf<K> =
  K extends EnumKind<infer T> ? T : K extends IntKind<infer Or> ? number | Or : number;

const oneOf = <const T extends string>(...values: T[]): EnumKind<T> => ({ type: 'enum', values });
const int = (min: number, max: number): IntKind => ({ type: 'int', min, max });
const number = (min: number, max: number, open: '()' | '(]' | '[)' | '[]'): NumberKind => ({
  type: 'number',
  min,
  max,
  minOpen: open[0] === '(',
  maxOpen: open[1] === ')',
});
/** The same value in every preset. */
const all = <const T>(v: T) => ({ seed: v, fast: v, wide: v });
/** A row of the table, its literal types kept (flag names become types), presets checked against its kind. */
const field = <const S extends FieldSpec>(
  spec: S & { readonly presets: Readonly<Record<PresetName, ValueOf<S['kind']>>> },
): S => spec;

/** The table. Its order is the order of `--help`, the API schema and error listings. */
export const CONFIG_FIELDS = {
  preset: field({
    kind: oneOf(...PRESET_NAMES),
    presets: { seed: 'seed', fast: 'fast', wide: 'wide' },
    help: 'seed (the notes: full batch, α 0.1, 500 iterations), fast (Adam, 784-10-10), wide (Adam, 784-128-10)',
    arg: 'NAME',
  }),
  hidden: field({
    kind: int(1, 4096),
    presets: { seed: 10, fast: 10, wide: 128 },
    help: 'hidden width H (W1 is H×784); the notes use 10',
    unit: 'units',
    arg: 'N',
  }),
  init: field({
    kind: oneOf('uniform', 'he'),
    presets: { seed: 'uniform', fast: 'he', wide: 'he' },
    help: 'uniform (the notes: [−0.5, 0.5]) or he',
    arg: 'NAME',
  }),
  optimizer: field({
    kind: oneOf('sgd', 'momentum', 'adam'),
    presets: { seed: 'sgd', fast: 'adam', wide: 'adam' },
    help: "sgd (the notes' rule), momentum or adam",
    arg: 'NAME',
  }),
  learningRate: field({
    kind: number(0, 100, '(]'),
    presets: { seed: 0.1, fast: 0.003, wide: 0.002 },
    help: 'learning rate α',
    arg: 'α',
    flag: 'lr',
    aliases: ['learning-rate'],
  }),
  momentum: field({
    kind: number(0, 1, '[)'),
    presets: all(0.9),
    help: 'momentum μ for --optimizer momentum',
    arg: 'μ',
  }),
  batchSize: field({
    kind: { ...int(1, 60_000), or: 'full' as const },
    presets: { seed: 'full', fast: 64, wide: 128 },
    help: "examples per step; full = the notes' full-batch gradient descent",
    unit: 'images',
    arg: 'N|full',
  }),
  iterations: field({
    kind: int(1, 1_000_000),
    presets: { seed: 500, fast: 0, wide: 0 },
    help: 'steps of a full-batch run',
    unit: 'steps',
    arg: 'N',
    appliesTo: 'full-batch',
  }),
  epochs: field({
    kind: int(1, 10_000),
    presets: { seed: 1, fast: 12, wide: 15 },
    help: 'passes over the data of a mini-batch run',
    unit: 'epochs',
    arg: 'N',
    appliesTo: 'mini-batch',
  }),
  schedule: field({
    kind: oneOf('constant', 'cosine'),
    presets: { seed: 'constant', fast: 'cosine', wide: 'cosine' },
    help: 'learning-rate schedule: constant or cosine',
    arg: 'NAME',
  }),
  seed: field({
    kind: int(0, 2 ** 32 - 1),
    presets: all(1),
    help: 'random seed; the same seed gives bit-identical weights',
    arg: 'N',
  }),
  validation: field({
    kind: int(0, 59_999),
    presets: all(0),
    help: 'hold out the last N training images for validation',
    unit: 'images',
    arg: 'N',
  }),
  patience: field({
    kind: int(0, 10_000),
    presets: all(0),
    help: 'early stopping: evaluations without a better validation loss (0: never)',
    unit: 'evaluations',
    arg: 'N',
  }),
  evalEvery: field({
    kind: int(1, 1_000_000),
    presets: { seed: 10, fast: 1, wide: 1 },
    help: 'evaluate every N iterations (full batch) or epochs',
    arg: 'N',
  }),
  limit: field({
    kind: int(0, 60_000),
    presets: all(0),
    help: 'train on the first N training images only (0: all)',
    unit: 'images',
    arg: 'N',
  }),
  kernel: field({
    kind: oneOf('wasm', 'js'),
    presets: all('wasm'),
    help: 'wasm (SIMD, threads; the default) or js (the plain TypeScript reference)',
    arg: 'NAME',
  }),
  threads: field({
    kind: int(0, 16),
    presets: all(0),
    help: 'threads of the wasm kernel; 0 = one per core',
    unit: 'threads',
    arg: 'N',
  }),
} as const;

export type ConfigField = keyof typeof CONFIG_FIELDS;

type Kebab<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `-${Lowercase<H>}`}${Kebab<T>}`
  : S;
type FlagOf<F extends ConfigField> = (typeof CONFIG_FIELDS)[F] extends {
  flag: infer X extends string;
}
  ? X
  : Kebab<F>;
type AliasesOf<F extends ConfigField> = (typeof CONFIG_FIELDS)[F] extends {
  aliases: readonly (infer A extends string)[];
}
  ? A
  : never;
/** The command-line flags of the config fields: `hidden`, `lr`, `learning-rate`, `eval-every` … */
export type FieldFlag = { [F in ConfigField]: FlagOf<F> | AliasesOf<F> }[ConfigField];
/** The fields in table order. */
export const CONFIG_FIELD_NAMES = Object.keys(CONFIG_FIELDS) as ConfigField[];

/** A refused value: the field, what was expected and what came, as data and as one line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${field}: expected ${expected}, got ${got}`);
  }
}

/** A short rendering of a value for `got`: `"abc"`, `1.5`, `nothing`, `an array of 3`, `an object`. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 40 ? `${s.slice(0, 37)}..."` : s;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** What a field accepts, in words: `an integer in 1..4096`, `a number in (0, 100]`. */
export function expectedOf(kind: FieldKind): string {
  switch (kind.type) {
    case 'enum':
      return `one of ${kind.values.join(', ')}`;
    case 'int':
      return `an integer in ${kind.min}..${kind.max}${kind.or ? ` or ${JSON.stringify(kind.or)}` : ''}`;
    case 'number':
      return `a number in ${kind.minOpen ? '(' : '['}${kind.min}, ${kind.max}${kind.maxOpen ? ')' : ']'}`;
  }
}

/** Whether `v` is a value of `kind`. */
export function accepts(kind: FieldKind, v: unknown): boolean {
  switch (kind.type) {
    case 'enum':
      return typeof v === 'string' && kind.values.includes(v);
    case 'int':
      return (
        (kind.or !== undefined && v === kind.or) ||
        (typeof v === 'number' && Number.isInteger(v) && v >= kind.min && v <= kind.max)
      );
    case 'number':
      return (
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (kind.minOpen ? v > kind.min : v >= kind.min) &&
        (kind.maxOpen ? v < kind.max : v <= kind.max)
      );
  }
}

/**
 * Checks one field's value against the table: null when it is fine, else the ConfigError every
 * front end shows (`learningRate: expected a number in (0, 100], got 200`).
 *
 * @example
 * const refused = checkField('learningRate', 2 * alpha);
 * if (refused) notice(refused.message);
 */
export function checkField(name: ConfigField, value: unknown): ConfigError | null {
  const kind = CONFIG_FIELDS[name].kind;
  return accepts(kind, value) ? null : new ConfigError(name, expectedOf(kind), showValue(value));
}
