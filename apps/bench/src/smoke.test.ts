import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results } from './results.js';

// Runs the built harness end to end, ours only, in --quick mode: CI exercises every moving part
// (child processes, events, shared weights, reports) without asserting anything about speed.

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function bench(args: string[], timeout: number) {
  if (!existsSync(main))
    throw new Error(`${main} is missing: build the bench first (pnpm --filter @mnist/bench build)`);
  return spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    timeout,
    env: { ...process.env, INIT_CWD: out },
  });
}

describe('pnpm bench', () => {
  it('--help prints the flags and exits 0', () => {
    const r = bench(['--help'], 120_000);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--peers LIST');
  });

  it('a bad flag exits 2 and says why', () => {
    const r = bench(['--peers', 'torch'], 120_000);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--peers: unknown "torch"');
  });

  // Every task but the API load (it starts apps/api, which has its own tests; the full run covers it).
  it('--quick --peers ours runs the tasks of ours and writes the reports', {
    timeout: 150_000,
  }, () => {
    const tasks = 'full-batch,epoch,to-accuracy,inference,rss';
    const r = bench(['--quick', '--peers', 'ours', '--tasks', tasks, '--out', 'results'], 140_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('full-batch · ours'); // progress on stderr
    expect(r.stdout).toContain('full-batch iteration, 60,000 images');

    // A quick run has its own folder and leaves latest/ (the last full run) alone.
    expect(existsSync(join(out, 'results', 'latest'))).toBe(false);
    const runs = readdirSync(join(out, 'results'));
    expect(runs).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-quick$/)]);
    const run = join(out, 'results', runs[0]!);
    for (const f of ['results.json', 'report.md', 'ratios.svg'])
      expect(existsSync(join(run, f)), f).toBe(true);
    const results = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as Results;
    expect(results.quick).toBe(true);
    const status = Object.fromEntries(results.rows.map((x) => [x.metric, x.status]));
    expect(status).toMatchObject({
      'full-batch': 'ok',
      epoch: 'ok',
      inference: 'ok',
      'to-85': 'skipped',
      'to-92': 'skipped',
      rss: 'skipped',
    });
    for (const x of results.rows.filter((x) => x.status === 'ok')) {
      expect(x.value, x.metric).toBeGreaterThan(0);
      expect(x.check, `${x.metric}: ours agrees with its own reference run`).toBe('ok');
    }
    expect(results.machine.cores).toBeGreaterThan(0);
  });
});
