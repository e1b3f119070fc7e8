/**
 * End to end: the built dashboard in a real terminal (tmux), driven by keys, read back with
 * `capture-pane`. CI installs tmux (Debian's package); without it this test is skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyFlags } from '../src/test-support/config.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux)
  console.warn(
    'tmux.e2e: skipped, tmux is not installed (apt-get install -y tmux; .ci/run installs it in CI)',
  );

const socket = `mnist-tui-e2e-${process.pid}`;
const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'e2e');
/** The shell's whole scrollback with wrapped lines joined (the command line is long: paths). */
const history = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'e2e');
const pane = (format: string) => tmux('display-message', '-p', '-t', 'e2e', format).trim();
const keys = (...k: string[]) => tmux('send-keys', '-t', 'e2e', ...k);
const stepOf = (s: string) =>
  Number(/step ([\d,]+)\//.exec(s)?.[1]?.replaceAll(',', '') ?? Number.NaN);

async function waitFor(what: string, cond: (s: string) => boolean, ms = 30_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const s = screen();
    if (cond(s)) return s;
    if (Date.now() - t0 > ms)
      throw new Error(`tmux.e2e: timed out waiting for ${what}; the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasTmux || !existsSync(CLI))('the dashboard in a real terminal (tmux)', () => {
  let dir = '';
  afterAll(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('trains, pauses, saves, follows a resize, asks before quitting, and gives the terminal back', {
    timeout: 120_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'tui-e2e-'));
    const out = join(dir, 'e2e.safetensors');
    // Ink prints only the last frame when CI is set: the pane's shell runs without it.
    tmux(
      'new-session',
      '-d',
      '-s',
      'e2e',
      '-x',
      '120',
      '-y',
      '40',
      'env -u CI -u CONTINUOUS_INTEGRATION PS1="READY$ " bash --norc --noprofile',
    );
    await waitFor('the shell', (s) => s.includes('READY$'));
    keys(`node ${CLI} ${tinyFlags().join(' ')} --out ${out} --runs ${join(dir, 'runs')}`, 'Enter');

    const first = await waitFor(
      'training to show progress',
      (s) => s.includes('RUNNING') && stepOf(s) > 0,
    );
    expect(first.split('\n')[0]).toMatch(
      /^ MNIST {2}RUNNING {2}fast · 784→10→10 · adam · local worker/,
    );
    const advanced = await waitFor('training to advance', (s) => stepOf(s) > stepOf(first));
    expect(advanced).toContain('Confusion (test)');
    expect(advanced).toContain('Hidden units (rows of W1)');
    expect(pane('#{alternate_on}')).toBe('1');

    keys('p');
    const paused = await waitFor('PAUSED', (s) => s.includes('PAUSED') && s.includes('p resume'));
    await new Promise((r) => setTimeout(r, 600));
    expect(stepOf(screen())).toBe(stepOf(paused));

    keys('s');
    await waitFor('the save', (s) => s.includes('saved'));
    expect(existsSync(out)).toBe(true);

    tmux('resize-window', '-t', 'e2e', '-x', '80', '-y', '24');
    // The terminal cuts the old frame at once; the dashboard then redraws it whole at 80×24.
    const small = await waitFor(
      'the 80×24 layout',
      (s) =>
        s.startsWith(' MNIST') && /^─ 1 Progress paused ─+$/m.test(s) && !s.includes('Confusion'),
    );
    const lines = small.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('Progress'))).toHaveLength(1); // no line drawn twice
    expect(lines[0]).toMatch(/^ MNIST {2}PAUSED/);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(lines.at(-1)).toMatch(/^q quit/);
    expect(lines.length).toBeLessThanOrEqual(23);

    keys('p');
    await waitFor('RUNNING again', (s) => s.includes('RUNNING'));
    keys('q');
    await waitFor('the question', (s) => s.includes('Quit without saving?'));
    keys('y');
    await waitFor('the shell prompt', (s) =>
      /fast preset: left at step \d+[\s\S]*; saved [\s\S]*\nREADY\$$/.test(s.trimEnd()),
    );
    expect(history()).toContain(`node ${CLI}`); // the shell's screen is back, untouched
    expect(pane('#{alternate_on}')).toBe('0');
    expect(pane('#{cursor_flag}')).toBe('1');
    expect(pane('#{pane_current_command}')).toBe('bash');
    // the terminal is out of raw mode: typed text echoes and Enter runs it
    keys('echo back-to-normal', 'Enter');
    await waitFor('the shell to echo', (s) => /^back-to-normal$/m.test(s));
  });
});
