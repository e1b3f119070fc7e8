/**
 * One run contract: for every field of the config's table, the command line (`pnpm train`,
 * `pnpm start`), the HTTP API and the dashboard's check (`checkField`, which the trainer's
 * `setLearningRate` also uses) accept the same values and refuse the same ones with the same
 * words: the field, what was expected, what came.
 */
import {
  CONFIG_FIELD_NAMES,
  CONFIG_FIELDS,
  ConfigError,
  type ConfigField,
  checkField,
  type FieldSpec,
  resolveConfig,
  startTraining,
} from '@mnist/net';
import { flagOf, parseTrainFlags, trainArgsFrom, UsageError } from '@mnist/net/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonInit, jsonOf, testApp } from '../test/helpers.js';
import { configFrom } from './routes/trainings.js';
import { CreateTraining } from './schemas/trainings.js';

const api = testApp({ token: 'tok' });
afterAll(() => api.done());
const auth = { authorization: 'Bearer tok' };

/** Values at and just past each end of a field's range, and of the wrong type. */
function samples(spec: FieldSpec): { good: unknown[]; bad: unknown[] } {
  const k = spec.kind;
  if (k.type === 'enum') return { good: [...k.values], bad: ['bogus', 5] };
  if (k.type === 'int')
    return {
      good: [k.min, k.max, ...(k.or ? [k.or] : [])],
      bad: [k.min - 1, k.max + 1, k.min + 0.5, 'abc'],
    };
  const mid = (k.min + k.max) / 2;
  return {
    good: [mid, ...(k.minOpen ? [] : [k.min]), ...(k.maxOpen ? [] : [k.max])],
    bad: [k.minOpen ? k.min : k.min - 1, k.maxOpen ? k.max : k.max + 1, 'abc'],
  };
}

/** The other fields a value of `field` needs to apply (epochs: a mini-batch run). */
const context = (field: ConfigField): Record<string, unknown> =>
  field === 'epochs' ? { preset: 'fast' } : {};

const cliFlags = (overrides: Record<string, unknown>) =>
  Object.entries(overrides).map(([f, v]) => `--${flagOf(f as ConfigField)}=${String(v)}`);

/** What the command line says about `overrides`: the refused config, or the config. */
function viaCli(overrides: Record<string, unknown>) {
  try {
    return trainArgsFrom(parseTrainFlags(cliFlags(overrides), {})).config;
  } catch (e) {
    if (!(e instanceof UsageError) || !e.config) throw e;
    const { field, expected, got } = e.config;
    expect(e.message).toBe(`--${flagOf(field as ConfigField)}: expected ${expected}, got ${got}`);
    return { field, expected, got };
  }
}

/** What the API says when starting a job with `overrides`: its field error (a 400). */
async function apiRefusal(overrides: Record<string, unknown>) {
  const res = await api.app.request('/v1/trainings', jsonInit('POST', { config: overrides }, auth));
  expect(res.status).toBe(400);
  const body = await jsonOf(res);
  expect(body.errors).toHaveLength(1);
  const { field, expected, got } = body.errors[0];
  expect(body.detail).toBe(`${field}: expected ${expected}, got ${got}`);
  return { field: field.replace(/^config\./, ''), expected, got };
}

/** What the API makes of `overrides` when it accepts them (the route's own parse and check). */
function apiConfig(overrides: Record<string, unknown>) {
  const parsed = CreateTraining.parse({ config: overrides });
  return configFrom(parsed.config, 1);
}

describe.each(CONFIG_FIELD_NAMES)('%s: one contract', (field) => {
  const spec: FieldSpec = CONFIG_FIELDS[field];
  const { good, bad } = samples(spec);

  it.each(bad)('refuses %j with the same words everywhere', async (value) => {
    const overrides = { ...context(field), [field]: value };
    const dashboard = checkField(field, value);
    expect(dashboard).toBeInstanceOf(ConfigError);
    const expected = { field, expected: dashboard!.expected, got: dashboard!.got };
    expect(viaCli(overrides)).toEqual(expected);
    expect(await apiRefusal(overrides)).toEqual(expected);
  });

  it.each(good)('accepts %j everywhere', (value) => {
    const overrides = { ...context(field), [field]: value };
    expect(checkField(field, value)).toBeNull();
    expect((viaCli(overrides) as Record<string, unknown>)[field]).toBe(value);
    expect((apiConfig(overrides) as Record<string, unknown>)[field]).toBe(value);
  });
});

describe('fields that do not apply to the run', () => {
  it.each([
    [{ epochs: 1 }, 'epochs'],
    [{ preset: 'seed', epochs: 3 }, 'epochs'],
    [{ preset: 'fast', iterations: 100 }, 'iterations'],
    [{ batchSize: 64, iterations: 10 }, 'iterations'],
  ])('%j is refused the same way by the CLI and the API', async (overrides, field) => {
    let refused: ConfigError | null = null;
    try {
      resolveConfig(overrides);
    } catch (e) {
      refused = e as ConfigError;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    const expected = { field, expected: refused!.expected, got: refused!.got };
    expect(viaCli(overrides)).toEqual(expected);
    expect(await apiRefusal(overrides)).toEqual(expected);
  });
});

describe('α while a run goes on: trainer, API control route and dashboard check agree', () => {
  const { good, bad } = samples(CONFIG_FIELDS.learningRate);
  const run = startTraining({
    config: resolveConfig({ preset: 'fast', limit: 1000, epochs: 1, kernel: 'js' }),
  });
  afterAll(() => run.kill());

  it.each([...bad, Number.NaN, Number.POSITIVE_INFINITY])('refuses %j', async (value) => {
    const dashboard = checkField('learningRate', value);
    expect(dashboard).toBeInstanceOf(ConfigError);
    expect(() => run.setLearningRate(value as number)).toThrow(dashboard!.message);
    if (typeof value === 'number' && !Number.isFinite(value)) return; // JSON has no NaN
    const res = await api.app.request(
      '/v1/trainings/job_0000000000aaaaaaaaaa/learning-rate',
      jsonInit('POST', { learningRate: value }, auth),
    );
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).errors).toEqual([
      { field: 'learningRate', in: 'body', expected: dashboard!.expected, got: dashboard!.got },
    ]);
  });

  it.each(good)('accepts %j', async (value) => {
    expect(checkField('learningRate', value)).toBeNull();
    expect(() => run.setLearningRate(value as number)).not.toThrow();
    const res = await api.app.request(
      '/v1/trainings/job_0000000000aaaaaaaaaa/learning-rate',
      jsonInit('POST', { learningRate: value }, auth),
    );
    expect(res.status).toBe(404); // valid body; no such job
  });
});
