import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  checkConfig,
  PRESETS,
  type PresetName,
  resolveConfig,
  scheduledRate,
} from './config.js';

/** The ConfigError thrown by `f`, failing the test when there is none. */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, got none');
}

describe('resolveConfig: presets', () => {
  it('defaults to the notes’ own run (seed): full batch, α 0.1, 500 iterations, uniform init', () => {
    const c = resolveConfig();
    expect(c).toEqual(PRESETS.seed);
    expect(c).toMatchObject({
      preset: 'seed',
      hidden: 10,
      init: 'uniform',
      optimizer: 'sgd',
      learningRate: 0.1,
      batchSize: 'full',
      iterations: 500,
    });
  });

  it.each(Object.keys(PRESETS) as PresetName[])('preset %s resolves to itself', (name) => {
    expect(resolveConfig({ preset: name })).toEqual(PRESETS[name]);
    expect(PRESETS[name].preset).toBe(name);
  });

  it('fast and wide are mini-batch Adam runs; wide is 784-128-10', () => {
    expect(PRESETS.fast).toMatchObject({ optimizer: 'adam', hidden: 10 });
    expect(PRESETS.wide).toMatchObject({ optimizer: 'adam', hidden: 128 });
    expect(typeof PRESETS.fast.batchSize).toBe('number');
    expect(typeof PRESETS.wide.batchSize).toBe('number');
  });
});

describe('resolveConfig: overrides', () => {
  it('puts overrides on top of the chosen preset and keeps the rest', () => {
    const c = resolveConfig({
      preset: 'fast',
      hidden: 32,
      learningRate: 0.01,
      epochs: 3,
      limit: 3000,
      seed: 7,
    });
    expect(c).toEqual({
      ...PRESETS.fast,
      hidden: 32,
      learningRate: 0.01,
      epochs: 3,
      limit: 3000,
      seed: 7,
    });
  });

  it('ignores overrides that are undefined (unset flags)', () => {
    expect(resolveConfig({ preset: 'wide', hidden: undefined, seed: undefined })).toEqual(
      PRESETS.wide,
    );
  });

  it('accepts the edges of every range', () => {
    const low = resolveConfig({
      hidden: 1,
      iterations: 1,
      seed: 0,
      validation: 0,
      patience: 0,
      evalEvery: 1,
      limit: 0,
    });
    expect(low).toMatchObject({ hidden: 1, iterations: 1, seed: 0 });
    const high = resolveConfig({
      hidden: 4096,
      learningRate: 100,
      seed: 2 ** 32 - 1,
      limit: 60_000,
      validation: 59_999,
    });
    expect(high).toMatchObject({
      hidden: 4096,
      learningRate: 100,
      seed: 2 ** 32 - 1,
      limit: 60_000,
    });
    expect(resolveConfig({ momentum: 0 }).momentum).toBe(0);
  });

  it('a run takes iterations (full batch) or epochs (mini-batches), from the preset or given', () => {
    expect(resolveConfig({ preset: 'fast', batchSize: 'full', iterations: 5 })).toMatchObject({
      batchSize: 'full',
      iterations: 5,
    });
    expect(resolveConfig({ batchSize: 64, epochs: 2 })).toMatchObject({ batchSize: 64, epochs: 2 });
    // what does not apply keeps the preset's value, and is not used
    expect(resolveConfig({ preset: 'fast' }).iterations).toBe(PRESETS.fast.iterations);
  });

  it('refuses epochs for a full-batch run and iterations for a mini-batch run, naming the conflict', () => {
    const epochs = configError(() => resolveConfig({ epochs: 1 }));
    expect(epochs).toMatchObject({ field: 'epochs', got: '1' });
    expect(epochs.message).toBe(
      'epochs: expected no epochs for a full-batch run (batchSize "full"): give iterations, or a batchSize for mini-batches (the fast and wide presets), got 1',
    );
    const iterations = configError(() => resolveConfig({ preset: 'fast', iterations: 100 }));
    expect(iterations.message).toBe(
      'iterations: expected no iterations for a mini-batch run (batchSize 64): give epochs, or batchSize "full" (the seed preset), got 100',
    );
    // a value out of range is reported as such first
    expect(configError(() => resolveConfig({ epochs: 0 })).message).toBe(
      'epochs: expected an integer in 1..10000, got 0',
    );
  });

  it('does not change the presets', () => {
    const before = JSON.stringify(PRESETS);
    resolveConfig({ preset: 'fast', hidden: 99 });
    expect(JSON.stringify(PRESETS)).toBe(before);
  });
});

describe('resolveConfig: errors name the field, what was expected and what came', () => {
  it.each([
    [{ hidden: 0 }, 'hidden', 'hidden: expected an integer in 1..4096, got 0'],
    [{ hidden: 4097 }, 'hidden', 'hidden: expected an integer in 1..4096, got 4097'],
    [{ hidden: 2.5 }, 'hidden', 'hidden: expected an integer in 1..4096, got 2.5'],
    [{ hidden: 'abc' }, 'hidden', 'hidden: expected an integer in 1..4096, got "abc"'],
    [{ hidden: Number.NaN }, 'hidden', 'hidden: expected an integer in 1..4096, got NaN'],
    [{ learningRate: 0 }, 'learningRate', 'learningRate: expected a number in (0, 100], got 0'],
    [{ learningRate: -1 }, 'learningRate', 'learningRate: expected a number in (0, 100], got -1'],
    [{ learningRate: 101 }, 'learningRate', 'learningRate: expected a number in (0, 100], got 101'],
    [{ learningRate: Number.POSITIVE_INFINITY }, 'learningRate', 'got Infinity'],
    [
      { learningRate: '0.1' },
      'learningRate',
      'learningRate: expected a number in (0, 100], got "0.1"',
    ],
    [{ momentum: 1 }, 'momentum', 'momentum: expected a number in [0, 1), got 1'],
    [{ momentum: -0.1 }, 'momentum', 'momentum: expected a number in [0, 1), got -0.1'],
    [{ init: 'zeros' }, 'init', 'init: expected one of uniform, he, got "zeros"'],
    [
      { optimizer: 'rmsprop' },
      'optimizer',
      'optimizer: expected one of sgd, momentum, adam, got "rmsprop"',
    ],
    [{ schedule: 'step' }, 'schedule', 'schedule: expected one of constant, cosine, got "step"'],
    [{ preset: 'huge' }, 'preset', 'preset: expected one of seed, fast, wide, got "huge"'],
    [{ batchSize: 0 }, 'batchSize', 'batchSize: expected an integer in 1..60000 or "full", got 0'],
    [
      { batchSize: 'half' },
      'batchSize',
      'batchSize: expected an integer in 1..60000 or "full", got "half"',
    ],
    [{ iterations: 0 }, 'iterations', 'iterations: expected an integer in 1..1000000, got 0'],
    [{ preset: 'fast', epochs: 0 }, 'epochs', 'epochs: expected an integer in 1..10000, got 0'],
    [{ seed: -1 }, 'seed', 'seed: expected an integer in 0..4294967295, got -1'],
    [{ seed: 2 ** 32 }, 'seed', 'seed: expected an integer in 0..4294967295, got 4294967296'],
    [
      { validation: 60_000 },
      'validation',
      'validation: expected an integer in 0..59999, got 60000',
    ],
    [{ patience: -1 }, 'patience', 'patience: expected an integer in 0..10000, got -1'],
    [{ evalEvery: 0 }, 'evalEvery', 'evalEvery: expected an integer in 1..1000000, got 0'],
    [{ limit: 60_001 }, 'limit', 'limit: expected an integer in 0..60000, got 60001'],
    [{ kernel: 'gpu' }, 'kernel', 'kernel: expected one of wasm, js, got "gpu"'],
    [{ threads: 17 }, 'threads', 'threads: expected an integer in 0..16, got 17'],
  ] as const)('%o → %s', (overrides, field, message) => {
    const e = configError(() => resolveConfig(overrides as never));
    expect(e.field).toBe(field);
    expect(e.name).toBe('ConfigError');
    expect(e.message).toContain(message);
    expect(e.message).toBe(`${field}: expected ${e.expected}, got ${e.got}`);
  });

  it('refuses an unknown option (a typo never passes silently) and lists the known ones', () => {
    const e = configError(() => resolveConfig({ hiddden: 20 } as never));
    expect(e.field).toBe('hiddden');
    expect(e.message).toMatch(
      /^hiddden: expected one of preset, hidden, .*limit, .*got an unknown option$/,
    );
  });
});

describe('checkConfig: a complete config, as stored', () => {
  it('takes every preset and a changed copy back, fields that do not apply included', () => {
    for (const p of Object.values(PRESETS)) expect(checkConfig({ ...p })).toEqual(p);
    const probe = { ...PRESETS.seed, iterations: 1, learningRate: 1e-30 };
    expect(checkConfig(probe)).toEqual(probe);
  });

  it('checks what applies, names a missing field, and refuses unknown ones', () => {
    expect(() => checkConfig({ ...PRESETS.fast, epochs: 0 })).toThrow(
      'epochs: expected an integer in 1..10000, got 0',
    );
    const { hidden: _, ...noHidden } = PRESETS.fast;
    expect(() => checkConfig(noHidden)).toThrow(
      'hidden: expected an integer in 1..4096, got nothing',
    );
    expect(() => checkConfig({ ...PRESETS.fast, lr: 1 })).toThrow(ConfigError);
  });
});

describe('scheduledRate', () => {
  it('constant keeps α; cosine goes from α to 0 through α/2, and stays at 0 past the end', () => {
    const constant = resolveConfig({ schedule: 'constant' });
    expect(scheduledRate(constant, 0.3, 0)).toBe(0.3);
    expect(scheduledRate(constant, 0.3, 0.7)).toBe(0.3);
    const cosine = resolveConfig({ schedule: 'cosine' });
    expect(scheduledRate(cosine, 0.3, 0)).toBeCloseTo(0.3, 12);
    expect(scheduledRate(cosine, 0.3, 0.5)).toBeCloseTo(0.15, 12);
    expect(scheduledRate(cosine, 0.3, 1)).toBeCloseTo(0, 12);
    expect(scheduledRate(cosine, 0.3, 2)).toBeCloseTo(0, 12);
    let prev = Number.POSITIVE_INFINITY;
    for (let t = 0; t <= 1; t += 0.05) {
      const r = scheduledRate(cosine, 0.3, t);
      expect(r).toBeLessThanOrEqual(prev);
      prev = r;
    }
  });
});
