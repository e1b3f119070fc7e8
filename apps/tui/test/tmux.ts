/**
 * A shell in a real terminal (tmux) for end-to-end tests: type into it with `keys`, read the
 * screen back with `screen`, wait for text by polling (never by timing).
 */
import { execFileSync, spawnSync } from 'node:child_process';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export class Tmux {
  private readonly socket: string;
  constructor(
    name: string,
    readonly columns: number,
    readonly rows: number,
  ) {
    this.socket = `mnist-tui-${name}-${process.pid}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts a bare bash with the prompt `READY$ ` (Ink prints only a last frame when CI is set). */
  async open(env = ''): Promise<void> {
    this.tmux(
      'new-session',
      '-d',
      '-s',
      'e2e',
      '-x',
      String(this.columns),
      '-y',
      String(this.rows),
      `env -u CI -u CONTINUOUS_INTEGRATION ${env} PS1="READY$ " bash --norc --noprofile`,
    );
    await this.waitFor('the shell', (s) => s.includes('READY$'));
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'e2e');
  }

  /** The whole scrollback, wrapped lines joined. */
  history(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'e2e');
  }

  /** Sends keys; a string of several characters arrives at once, as typed fast or pasted. */
  keys(...k: string[]): void {
    this.tmux('send-keys', '-t', 'e2e', ...k);
  }

  /** Runs a command line in the shell. */
  run(line: string): void {
    this.keys('-l', line);
    this.keys('Enter');
  }

  pane(format: string): string {
    return this.tmux('display-message', '-p', '-t', 'e2e', format).trim();
  }

  async waitFor(what: string, cond: (s: string) => boolean, ms = 120_000): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const s = this.screen();
      if (cond(s)) return s;
      if (Date.now() - t0 > ms)
        throw new Error(`tmux: timed out after ${ms} ms waiting for ${what}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Waits for the prompt after a command and gives its exit code (asked with `echo`). */
  async exitCode(): Promise<number> {
    await this.waitFor('the shell prompt', (s) => /READY\$ ?$/.test(s.trimEnd()));
    this.run('echo "rc=$?"');
    const s = await this.waitFor('the exit code', (x) => /^rc=\d+$/m.test(x));
    return Number(/^rc=(\d+)$/m.exec(s)![1]);
  }

  /** Ends whatever a failed test left running in the shell (its children only), then clears. */
  reset(): void {
    if (!hasTmux) return;
    const shell = this.pane('#{pane_pid}');
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', shell], { encoding: 'utf8' })
      .stdout.split('\n')
      .map(Number)
      .filter((pid) => pid > 0);
    for (const pid of children)
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    if (children.length) this.run('reset');
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** The step count shown by the progress panel. */
export const stepOf = (s: string) =>
  Number(/step ([\d,]+)\//.exec(s)?.[1]?.replaceAll(',', '') ?? Number.NaN);
