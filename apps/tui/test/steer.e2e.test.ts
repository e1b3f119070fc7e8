/**
 * End to end in a real terminal (tmux, 80×24): key bursts, α recorded in the saved model, whole
 * prompts, comparing with an earlier run, resuming a saved model, plain lines on a dumb terminal,
 * SIGTERM. Every wait polls the screen for text: nothing depends on how fast the machine is.
 * The tests share one terminal and run in order (the later ones use the first one's model).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@mnist/net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEvents } from '../src/runs/format.js';
import { tinyFlags } from '../src/test-support/config.js';
import { hasTmux, stepOf, Tmux } from './tmux.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!hasTmux) console.warn('steer.e2e: skipped, tmux is not installed (apt-get install -y tmux)');

let dir = '';
const t = new Tmux('steer', 80, 24);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tui-steer-'));
  if (hasTmux) await t.open();
});
beforeEach(() => t.reset());
afterAll(async () => {
  t.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const runs = () => join(dir, 'runs');
const cmd = (flags: string) => `clear; node ${CLI} ${flags} --runs ${runs()}`;
/** Run record folders, oldest first. */
const records = () => readdirSync(runs()).sort();
const runJson = (id: string) => JSON.parse(readFileSync(join(runs(), id, 'run.json'), 'utf8'));
const alpha3 = 0.003 * 1.25 ** 3; // three presses of + on the fast preset's α 0.003
const FIRST = 'a.safetensors';

describe.skipIf(!hasTmux || !existsSync(CLI))(
  'steering in a real terminal (tmux, 80×24)',
  {
    timeout: 600_000,
  },
  () => {
    it('+++ in one burst is three steps of α, shown while paused; help and quit prompt whole; α in the saved model', async () => {
      const out = join(dir, FIRST);
      t.run(cmd(`${tinyFlags().join(' ')} --out ${out}`));
      await t.waitFor('training', (s) => s.includes('RUNNING') && stepOf(s) > 0);
      t.keys('p');
      await t.waitFor('PAUSED', (s) => s.includes('PAUSED') && s.includes('p resume'));
      t.keys('-l', '+++'); // one write: the dashboard gets the three keys as one input
      const pending = await t.waitFor('the requested α', (s) => s.includes('(pending'));
      expect(pending).toContain(`base ${Number(alpha3.toPrecision(3))} (pending, was 0.003)`);
      expect(pending).toContain('PAUSED');

      t.keys('?');
      const help = await t.waitFor('the help', (s) => s.includes('Help ? or esc closes'));
      for (const line of [
        'p    pause or resume training',
        '+/-  raise or lower the learning rate α (×1.25 or ÷1.25)',
        '0 or esc: all panels',
        'q    quit (asks first if the model is not saved); also Ctrl-C',
        'esc  back to all panels, close this help',
      ])
        expect(help).toContain(line);
      expect(help).not.toContain('…');
      t.keys('Escape');
      await t.waitFor('the panels', (s) => s.includes('Progress paused'));
      t.keys('q');
      const ask = await t.waitFor('the quit question', (s) => s.includes('Quit without saving?'));
      expect(ask).toContain('y quit · s save and quit · n stay');
      for (const l of ask.split('\n').filter((x) => /Quit without|y quit/.test(x)))
        expect(l).not.toContain('…');
      t.keys('n');
      await t.waitFor('the question gone', (s) => !s.includes('Quit without saving?'));

      t.keys('p');
      await t.waitFor('α confirmed', (s) => s.includes('RUNNING') && !s.includes('pending'));
      t.keys('x');
      await t.waitFor('the stop question', (s) => s.includes('Stop training now?'));
      t.keys('y');
      const end = await t.waitFor(
        'the end-of-run screen, saved',
        (s) =>
          s.includes('Run stopped') && /model +a\.safetensors|model +\/.*a\.safetensors/.test(s),
      );
      expect(end).toMatch(/α +0\.003; changed 1×: step [\d,]+ 0\.003→0\.00586/);
      t.keys('q');
      expect(await t.exitCode()).toBe(0);
      expect(t.history()).toMatch(/α changed 1× \(step \d+: 0\.003→0\.00586\)/);

      const model = await loadModel(out);
      expect(model.meta.config.learningRate).toBe(0.003);
      expect(model.meta.learningRateChanges).toHaveLength(1);
      const change = model.meta.learningRateChanges![0]!;
      expect(change.from).toBe(0.003);
      expect(change.to).toBeCloseTo(alpha3, 5);
      expect(model.meta.step).toBeGreaterThanOrEqual(change.step);
      const [id] = records();
      expect(runJson(id!)).toMatchObject({ status: 'done', model: { path: out } });
    });

    it('--compare last shows the live run and the earlier one, each labelled; quitting mid-run exits 130', async () => {
      const [earlier] = records();
      t.run(cmd(`${tinyFlags().join(' ')} --out ${join(dir, 'b.safetensors')} --compare last`));
      const s = await t.waitFor('both labels', (x) => x.includes('━ live') && stepOf(x) > 0);
      expect(s).toContain(`━ ${earlier}`);
      t.keys('q');
      await t.waitFor('the quit question', (x) => x.includes('Quit without saving?'));
      t.keys('y');
      expect(await t.exitCode()).toBe(130);
      expect(runJson(records().at(-1)!).status).toBe('interrupted');
    });

    it('--resume goes on from the saved step, with the earlier curves', async () => {
      const saved = (await loadModel(join(dir, FIRST))).meta.step!;
      const c = join(dir, 'c.safetensors');
      t.run(cmd(`--resume ${join(dir, FIRST)} --epochs 2 --out ${c}`));
      // 2 more epochs of the 2,000 images in batches of 64: 32 steps each
      const end = await t.waitFor('the end-of-run screen', (x) => x.includes('Run complete'));
      expect(end).toContain(`step ${(saved + 64).toLocaleString('en-US')}`);
      t.keys('e');
      const panels = await t.waitFor('the panels', (x) => x.includes('Progress done'));
      expect(panels).toContain(
        `step ${(saved + 64).toLocaleString('en-US')}/${(saved + 64).toLocaleString('en-US')}`,
      );
      // the loss chart starts at step 1: the resumed model's history comes first
      expect(panels).toMatch(/└1─/);
      t.keys('q');
      expect(await t.exitCode()).toBe(0);
      expect((await loadModel(c)).meta.step).toBe(saved + 64);
      const id = records().at(-1)!;
      expect(runJson(id).resumedFrom).toMatchObject({ step: saved, model: join(dir, FIRST) });
      const rows = parseEvents(readFileSync(join(runs(), id, 'events.csv'), 'utf8'));
      expect(rows.find((r) => r.kind === 'progress')!.step).toBeGreaterThan(saved);
    });

    it('TERM=dumb gets plain lines, not the full-screen dashboard', async () => {
      t.run(
        `clear; TERM=dumb node ${CLI} --preset fast --limit 2000 --epochs 2 --kernel js --out ${join(dir, 'd.safetensors')} --runs ${runs()}`,
      );
      expect(await t.exitCode()).toBe(0);
      const h = t.history();
      expect(h).toContain('Training the fast preset: 784→10→10');
      expect(h).toMatch(/^epoch +1 +loss [\d.]+ +train [\d.]+% +test [\d.]+%/m);
      expect(h).toMatch(/^done \(completed\)/m);
      expect(h).not.toContain('MNIST  RUNNING');
    });

    it('SIGTERM ends the dashboard with the terminal restored and a summary', async () => {
      t.run(cmd(`${tinyFlags().join(' ')} --out ${join(dir, 'e.safetensors')}`));
      await t.waitFor('training', (s) => s.includes('RUNNING') && stepOf(s) > 0);
      const shell = t.pane('#{pane_pid}');
      const pid = Number(
        execFileSync('ps', ['-o', 'pid=', '--ppid', shell], { encoding: 'utf8' }).trim(),
      );
      process.kill(pid, 'SIGTERM');
      expect(await t.exitCode()).toBe(143);
      expect(t.history()).toMatch(/fast preset: left at step \d+.*; not saved; run record /);
      expect(t.pane('#{alternate_on}')).toBe('0');
      expect(runJson(records().at(-1)!).status).toBe('interrupted');
    });
  },
);
