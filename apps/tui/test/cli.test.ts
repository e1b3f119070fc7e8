/** The built command (`dist/cli.js`) without a terminal: help, bad flags, missing data, plain progress lines. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyFlags } from '../src/test-support/config.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'tui-cli-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI with stdin and stdout not terminals (pipes), as in CI logs or `| cat`. */
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    // run records go under the user's folder: the test's own
    env: { ...process.env, INIT_CWD: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });

describe.skipIf(!existsSync(CLI))('mnist-dashboard without a terminal', () => {
  it('--help lists the training and dashboard flags (exit 0)', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: pnpm start [flags]');
    expect(r.stdout).toContain('--preset NAME');
    expect(r.stdout).toContain('--attach URL');
    expect(r.stdout).toContain('--fps N');
  });
  it('names a bad flag (exit 2)', () => {
    const r = run(['--hidden', 'lots']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'mnist-dashboard: --hidden: expected an integer in 1..4096, got "lots"\nRun with --help for the flags.\n',
    );
    expect(run(['--attach', 'not a url']).status).toBe(2);
  });
  it('says which data is missing (exit 1)', () => {
    const r = run(['--data-dir', join(dir, 'nowhere'), '--preset', 'fast']);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('no MNIST file found');
    expect(r.stdout + r.stderr).toContain('--data-dir');
  });
  it('prints plain lines, one per epoch, never a redrawn bar, and saves the model', () => {
    const out = join(dir, 'plain.safetensors');
    const flags = tinyFlags().map((f) => (f === '1000' ? '3' : f));
    const r = run([...flags, '--out', out], { FORCE_COLOR: '1' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Training the fast preset: 784→10→10, adam α=0\.003, batch 64, 3 epochs/,
    );
    expect(lines.filter((l) => /^epoch +\d+ +loss/.test(l))).toHaveLength(3);
    expect(lines.at(-3)).toMatch(/^done \(completed\)/);
    expect(lines.at(-2)).toMatch(/^saved .*plain\.safetensors$/);
    // the run's record, under the user's folder (here the test's); a run of the same preset in the
    // same second (the missing-data test above) takes the plain name, so this one may end in -2
    const record = /^run record (runs\/\S+-fast(?:-\d+)?)$/.exec(lines.at(-1)!)?.[1];
    expect(record).toBeDefined();
    const info = JSON.parse(readFileSync(join(dir, record!, 'run.json'), 'utf8'));
    expect(info).toMatchObject({
      status: 'done',
      model: { path: expect.stringMatching(/plain\.safetensors$/) },
    });
    const csv = readFileSync(join(dir, record!, 'events.csv'), 'utf8');
    expect(csv.split('\n').filter((l) => l.startsWith('evaluation,'))).toHaveLength(3);
    expect(r.stdout.includes('\r') || r.stdout.includes('\x1b')).toBe(false);
    expect(existsSync(out)).toBe(true);
  });
});
