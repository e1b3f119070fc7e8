import { describe, expect, it } from 'vitest';
import { BenchUsageError, HELP, parseBenchArgs } from './args.js';
import { PEERS, TASKS } from './protocol.js';

describe('parseBenchArgs', () => {
  it('defaults to every peer and task, full mode, default folder', () => {
    expect(parseBenchArgs([])).toEqual({
      quick: false,
      peers: PEERS,
      tasks: TASKS,
      out: null,
      help: false,
    });
  });

  it('reads --quick, --out and --help / -h', () => {
    expect(parseBenchArgs(['--quick', '--out', 'tmp/r'])).toMatchObject({
      quick: true,
      out: 'tmp/r',
    });
    expect(parseBenchArgs(['--help']).help).toBe(true);
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });

  it('keeps the listed peers in the canonical order, once each', () => {
    expect(parseBenchArgs(['--peers', 'tfjs-cpu, ours,ours']).peers).toEqual(['ours', 'tfjs-cpu']);
    expect(parseBenchArgs(['--peers=numpy']).peers).toEqual(['numpy']);
  });

  it('keeps the listed tasks in the order they run', () => {
    expect(parseBenchArgs(['--tasks', 'inference,full-batch']).tasks).toEqual([
      'full-batch',
      'inference',
    ]);
  });

  it('refuses an unknown peer, naming the flag and the choices', () => {
    expect(() => parseBenchArgs(['--peers', 'ours,torch'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--peers', 'ours,torch'])).toThrow(
      '--peers: unknown "torch"; expected some of ours, numpy, tfjs-wasm, tfjs-cpu',
    );
  });

  it('refuses an unknown task and an empty list', () => {
    expect(() => parseBenchArgs(['--tasks', 'epochs'])).toThrow('--tasks: unknown "epochs"');
    expect(() => parseBenchArgs(['--tasks', ','])).toThrow(
      '--tasks: expected a comma-separated list',
    );
  });

  it('refuses unknown flags and positionals', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['numpy'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--out'])).toThrow(BenchUsageError);
  });

  it('documents every flag, peer and task in --help', () => {
    for (const word of ['--quick', '--peers', '--tasks', '--out', '--help', ...PEERS, ...TASKS])
      expect(HELP).toContain(word);
  });
});
