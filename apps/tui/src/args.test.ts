import { TRAIN_FLAGS, UsageError } from '@mnist/net/cli';
import { describe, expect, it } from 'vitest';
import { helpText, parseDashboardArgs } from './args.js';

describe('parseDashboardArgs', () => {
  it('defaults to the notes’ seed preset at 10 fps', () => {
    const a = parseDashboardArgs([], {});
    expect(a.train.config.preset).toBe('seed');
    expect(a.train.config.batchSize).toBe('full');
    expect(a).toMatchObject({
      attach: null,
      fps: 10,
      color: 'auto',
      plain: false,
      stats: false,
      help: false,
    });
  });
  it('reads the shared training flags', () => {
    const a = parseDashboardArgs(
      [
        '--preset',
        'fast',
        '--hidden',
        '32',
        '--optimizer',
        'momentum',
        '--lr',
        '0.05',
        '--epochs',
        '3',
        '--batch-size',
        '128',
        '--seed',
        '7',
        '--data-dir',
        '/d',
      ],
      {},
    );
    expect(a.train.config).toMatchObject({
      preset: 'fast',
      hidden: 32,
      optimizer: 'momentum',
      learningRate: 0.05,
      epochs: 3,
      batchSize: 128,
      seed: 7,
    });
    expect(a.train.dataDir).toBe('/d');
  });
  it('names the flag and the problem', () => {
    expect(() => parseDashboardArgs(['--hidden', 'abc'], {})).toThrow(UsageError);
    expect(() => parseDashboardArgs(['--hidden', 'abc'], {})).toThrow(
      '--hidden: expected an integer in 1..4096, got "abc"',
    );
    expect(() => parseDashboardArgs(['--fps', '100'], {})).toThrow(
      /--fps: expected a number in 1\.\.30/,
    );
    expect(() => parseDashboardArgs(['--color', 'pink'], {})).toThrow(
      /--color: expected one of auto, none, 16, 256, truecolor/,
    );
    expect(() => parseDashboardArgs(['--bogus'], {})).toThrow(UsageError);
  });
  it('attach mode takes a token from MNIST_API_TOKEN and refuses training flags', () => {
    expect(
      parseDashboardArgs(['--attach', 'http://h/v1/trainings/1'], { MNIST_API_TOKEN: 't' }).token,
    ).toBe('t');
    expect(
      parseDashboardArgs(
        ['--attach', 'http://h/v1/trainings/1', '--token', 'u', '--out', 'm.safetensors'],
        {},
      ).token,
    ).toBe('u');
    expect(() =>
      parseDashboardArgs(['--attach', 'http://h/v1/trainings/1', '--preset', 'fast'], {}),
    ).toThrow(/--preset does not apply/);
    expect(() => parseDashboardArgs(['--token', 'u'], {})).toThrow(/--token is for --attach/);
  });
  it('help lists every training flag and the dashboard flags', () => {
    const help = helpText();
    for (const flag of Object.keys(TRAIN_FLAGS)) expect(help).toContain(`--${flag} `);
    for (const flag of [
      '--attach URL',
      '--fps N',
      '--token TOKEN',
      '--color MODE',
      '--plain',
      '--stats',
    ])
      expect(help).toContain(flag);
  });
});

describe('parseDashboardArgs: runs, compare, resume', () => {
  it('takes several runs after --compare, with commas, or repeated', () => {
    expect(parseDashboardArgs(['--compare', 'a', 'b', '--preset', 'fast'], {}).compare).toEqual([
      'a',
      'b',
    ]);
    expect(parseDashboardArgs(['--compare=a,b', '--compare', 'c'], {}).compare).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(() => parseDashboardArgs(['--compare', '--preset', 'fast'], {})).toThrow(
      '--compare: expected one or more runs',
    );
  });
  it('`runs` lists the records; --resume and --runs are resolved; --resume does not attach', () => {
    const a = parseDashboardArgs(['runs', '--runs', '/tmp/r'], {});
    expect(a.list).toBe(true);
    expect(a.runs).toBe('/tmp/r');
    const r = parseDashboardArgs(['--resume', '/m/fast.safetensors', '--epochs', '3'], {});
    expect(r.resume).toBe('/m/fast.safetensors');
    expect(r.trainValues.epochs).toBe('3');
    expect(() =>
      parseDashboardArgs(['--resume', 'm', '--attach', 'http://h/v1/trainings/1'], {}),
    ).toThrow(/--resume trains here/);
  });
});
