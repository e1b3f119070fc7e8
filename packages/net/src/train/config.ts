import {
  type AppliesTo,
  CONFIG_FIELD_NAMES,
  CONFIG_FIELDS,
  ConfigError,
  type ConfigField,
  checkField,
  PRESET_NAMES,
  type PresetName,
  showValue,
  type ValueOf,
} from './fields.js';

export type { PresetName };
export { ConfigError };

type Fields = typeof CONFIG_FIELDS;

/**
 * Everything that decides a training run (one field per row of CONFIG_FIELDS, where each is
 * documented). Same config and seed: bit-identical weights.
 */
export type TrainConfig = {
  readonly [K in ConfigField]: ValueOf<Fields[K]['kind']>;
};

/** The presets, read from the field table. `seed` is the notes' own run. */
export const PRESETS: Readonly<Record<PresetName, TrainConfig>> = Object.fromEntries(
  PRESET_NAMES.map((p) => [
    p,
    Object.fromEntries(CONFIG_FIELD_NAMES.map((f) => [f, CONFIG_FIELDS[f].presets[p]])),
  ]),
) as Record<PresetName, TrainConfig>;

/**
 * A field that was given but does not apply to the run (epochs of a full-batch run, iterations of
 * a mini-batch one): refused, so `{"epochs": 1}` never silently runs the seed preset's 500
 * full-batch iterations.
 */
function conflict(f: ConfigField, value: unknown, batchSize: number | 'full'): ConfigError {
  const full = batchSize === 'full';
  const other = full ? 'iterations' : 'epochs';
  return new ConfigError(
    f,
    full
      ? `no ${f} for a full-batch run (batchSize "full"): give ${other}, or a batchSize for mini-batches (the fast and wide presets)`
      : `no ${f} for a mini-batch run (batchSize ${batchSize}): give ${other}, or batchSize "full" (the seed preset)`,
    showValue(value),
  );
}

/**
 * A full config: the named preset (default `seed`) with `overrides` on top, every field checked
 * against the field table. Unknown fields are refused, so a typo never passes silently, and so is
 * a field given that does not apply to the run (see `conflict`).
 */
export function resolveConfig(
  overrides: Partial<Record<keyof TrainConfig, unknown>> = {},
): TrainConfig {
  refuseUnknown(overrides);
  const given = Object.fromEntries(
    Object.entries(overrides).filter(([, v]) => v !== undefined),
  ) as Partial<Record<ConfigField, unknown>>;
  const presetError = checkField('preset', given.preset ?? 'seed');
  if (presetError) throw presetError;
  const config = { ...PRESETS[(given.preset ?? 'seed') as PresetName], ...given };
  const batchSize = config.batchSize as number | 'full';
  const batchError = checkField('batchSize', batchSize);
  if (batchError) throw batchError;
  for (const f of CONFIG_FIELD_NAMES) {
    if (f in given && !applies(f, batchSize))
      throw checkField(f, given[f]) ?? conflict(f, given[f], batchSize);
  }
  return checkConfig(config);
}

/**
 * Checks a complete config (a stored one, or a preset with changes): every field present and in
 * range. A field that does not apply to the run (the epochs of a full-batch run) is not checked:
 * it keeps whatever it holds and is not used.
 */
export function checkConfig(config: Readonly<Record<string, unknown>>): TrainConfig {
  refuseUnknown(config);
  const batchSize = config.batchSize as number | 'full';
  for (const f of CONFIG_FIELD_NAMES) {
    if (!applies(f, batchSize)) continue;
    const error = checkField(f, config[f]);
    if (error) throw error;
  }
  return { ...config } as TrainConfig;
}

function refuseUnknown(config: object): void {
  for (const key of Object.keys(config)) {
    if (!Object.hasOwn(CONFIG_FIELDS, key))
      throw new ConfigError(key, `one of ${CONFIG_FIELD_NAMES.join(', ')}`, 'an unknown option');
  }
}

/** Whether field `f` is used by a run of batch size `batchSize` (epochs: mini-batch runs only). */
export function applies(f: ConfigField, batchSize: unknown): boolean {
  const to = (CONFIG_FIELDS[f] as { appliesTo?: AppliesTo }).appliesTo ?? 'any';
  return to === 'any' || (to === 'full-batch') === (batchSize === 'full');
}

/** α at `progress` (0…1) of the run, for base rate `alpha`. */
export function scheduledRate(config: TrainConfig, alpha: number, progress: number): number {
  if (config.schedule === 'cosine')
    return alpha * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  return alpha;
}
