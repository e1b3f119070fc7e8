import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../train/config.js';
import {
  parseTrainFlags,
  TRAIN_FLAGS,
  trainArgsFrom,
  trainFlagsHelp,
  UsageError,
  userCwd,
} from './flags.js';

const EXTRA = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

/** parseTrainFlags then trainArgsFrom, as the CLI does. */
const argsOf = (argv: string[]) => trainArgsFrom(parseTrainFlags(argv, EXTRA));

/** The UsageError thrown by `f`, failing the test when there is none. */
function usageError(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError, got none');
}

describe('trainArgsFrom', () => {
  it('no flags: the seed preset, the default model path under the user’s folder', () => {
    const a = trainArgsFrom({});
    expect(a.config).toEqual(PRESETS.seed);
    expect(a.dataDir).toBeUndefined();
    expect(a.out).toBe(resolve(userCwd(), 'models/seed.safetensors'));
  });

  it('turns flag strings into typed config fields', () => {
    const a = argsOf([
      '--preset',
      'fast',
      '--hidden',
      '32',
      '--lr',
      '0.01',
      '--momentum',
      '.5',
      '--epochs',
      '3',
      '--seed',
      '7',
      '--limit',
      '3000',
      '--validation',
      '500',
      '--patience',
      '2',
      '--eval-every',
      '2',
      '--init',
      'uniform',
      '--optimizer',
      'momentum',
      '--schedule',
      'constant',
      '--batch-size',
      '100',
    ]);
    expect(a.config).toEqual({
      ...PRESETS.fast,
      hidden: 32,
      learningRate: 0.01,
      momentum: 0.5,
      epochs: 3,
      seed: 7,
      limit: 3000,
      validation: 500,
      patience: 2,
      evalEvery: 2,
      init: 'uniform',
      optimizer: 'momentum',
      schedule: 'constant',
      batchSize: 100,
    });
    expect(a.out).toBe(resolve(userCwd(), 'models/fast.safetensors'));
  });

  it('--learning-rate is the same as --lr; exponents are numbers', () => {
    expect(argsOf(['--learning-rate', '3e-3']).config.learningRate).toBe(0.003);
    expect(argsOf(['--lr', '1E-2']).config.learningRate).toBe(0.01);
  });

  it('--batch-size full is the notes’ full-batch descent', () => {
    const a = argsOf(['--preset', 'fast', '--batch-size', 'full', '--iterations', '20']);
    expect(a.config.batchSize).toBe('full');
    expect(a.config.iterations).toBe(20);
  });

  it('resolves --out and --data-dir against the user’s folder; absolute paths stay', () => {
    const a = argsOf(['--out', 'm/x.safetensors', '--data-dir', 'data']);
    expect(a.out).toBe(resolve(userCwd(), 'm/x.safetensors'));
    expect(a.dataDir).toBe(resolve(userCwd(), 'data'));
    expect(argsOf(['--out', '/tmp/a.safetensors']).out).toBe('/tmp/a.safetensors');
  });

  it.each([
    [['--hidden', 'abc'], '--hidden: expected an integer in 1..4096, got "abc"'],
    [['--hidden', '0'], '--hidden: expected an integer in 1..4096, got 0'],
    [['--hidden', '12abc'], '--hidden: expected an integer in 1..4096, got "12abc"'],
    [['--hidden', '2.5'], '--hidden: expected an integer in 1..4096, got 2.5'],
    [['--lr', '0'], '--lr: expected a number in (0, 100], got 0'],
    [['--learning-rate', 'fast'], '--lr: expected a number in (0, 100], got "fast"'],
    [
      ['--batch-size', 'half'],
      '--batch-size: expected an integer in 1..60000 or "full", got "half"',
    ],
    [['--eval-every', '0'], '--eval-every: expected an integer in 1..1000000, got 0'],
    [['--preset', 'huge'], '--preset: expected one of seed, fast, wide, got "huge"'],
    [['--optimizer', 'rmsprop'], '--optimizer: expected one of sgd, momentum, adam, got "rmsprop"'],
    [['--momentum', '1'], '--momentum: expected a number in [0, 1), got 1'],
    [['--seed=-1'], '--seed: expected an integer in 0..4294967295, got -1'],
    [['--limit', '70000'], '--limit: expected an integer in 0..60000, got 70000'],
    [['--epochs', '0'], '--epochs: expected an integer in 1..10000, got 0'],
    [
      ['--epochs', '3'],
      '--epochs: expected no epochs for a full-batch run (batchSize "full"): give iterations, or a batchSize for mini-batches (the fast and wide presets), got 3',
    ],
  ])('%j → %s', (argv, message) => {
    expect(usageError(() => argsOf(argv)).message).toBe(message);
  });
});

describe('parseTrainFlags', () => {
  it('parses every training flag as a string and the extra flags by their type', () => {
    const v = parseTrainFlags(['--hidden', '12', '--json', '-h', '--data-dir', 'd'], EXTRA);
    expect(v).toEqual({ hidden: '12', json: true, help: true, 'data-dir': 'd' });
    expect(parseTrainFlags(['--hidden=12'], EXTRA).hidden).toBe('12');
  });

  it('accepts every flag of TRAIN_FLAGS', () => {
    for (const flag of Object.keys(TRAIN_FLAGS)) {
      expect(parseTrainFlags([`--${flag}`, 'x'], {})).toEqual({ [flag]: 'x' });
    }
  });

  it.each([
    [['--hiden', '12'], /--hiden/],
    [['--json=yes'], /--json/],
    [['extra'], /extra/],
    [['--hidden'], /--hidden/],
    [['--seed', '-1'], /--seed=-/], // a negative value needs --seed=-1, and the message says so
  ])('refuses %j with a UsageError naming what was wrong', (argv, pattern) => {
    const e = usageError(() => parseTrainFlags(argv, EXTRA));
    expect(e.name).toBe('UsageError');
    expect(e.message).toMatch(pattern);
  });

  it('cuts node’s hint about positional arguments from the unknown-option message', () => {
    expect(usageError(() => parseTrainFlags(['--hiden', '12'], EXTRA)).message).toBe(
      "Unknown option '--hiden'",
    );
  });
});

describe('trainFlagsHelp', () => {
  it('documents every flag with its argument, and every preset', () => {
    const help = trainFlagsHelp();
    for (const [flag, def] of Object.entries(TRAIN_FLAGS)) {
      expect(help).toContain(`--${flag} ${def.arg}`);
      expect(help).toContain(def.help);
    }
    for (const name of Object.keys(PRESETS))
      expect(help).toMatch(new RegExp(`^  ${name} +H=`, 'm'));
  });
});
