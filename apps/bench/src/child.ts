import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the peak resident memory of a child is read. */
export type RssMethod = '/usr/bin/time -v' | '/proc VmHWM';

/** A finished child process. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  /** The last 16 KB of stderr. */
  readonly stderr: string;
  readonly wallMs: number;
  /** Peak RSS in kilobytes (the kernel's high-water mark), or null when it could not be read. */
  readonly peakRssKb: number | null;
  readonly rssMethod: RssMethod | null;
  readonly timedOut: boolean;
}

export interface ChildOptions {
  readonly cwd?: string;
  /** Killed (with its process group) after this long. */
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

let detected: RssMethod | null | undefined;

/** Process groups of the children still running, so that they never outlive the bench. */
const live = new Set<number>();

/** Adds a child started with `detached: true` elsewhere (its own group) to those `killChildren` ends. */
export function trackChild(
  pid: number | undefined,
  onExit: { once(e: 'exit', f: () => void): unknown },
): void {
  if (pid === undefined) return;
  live.add(pid);
  onExit.once('exit', () => live.delete(pid));
}

/** Ends every child still running (and what it started), e.g. when the bench is interrupted. */
export function killChildren(): void {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** The way this machine gives a child's peak RSS: GNU time, else sampling /proc, else none. */
export function rssMethod(): RssMethod | null {
  if (detected !== undefined) return detected;
  if (
    existsSync('/usr/bin/time') &&
    spawnSync('/usr/bin/time', ['-v', 'true'], { stdio: 'ignore' }).status === 0
  ) {
    detected = '/usr/bin/time -v';
  } else if (
    existsSync('/proc/self/status') &&
    readFileSync('/proc/self/status', 'utf8').includes('VmHWM')
  ) {
    detected = '/proc VmHWM';
  } else detected = null;
  return detected;
}

/** `Maximum resident set size (kbytes): N` from GNU time's -v report. */
export function parseTimeReport(text: string): number | null {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}

/** `VmHWM:   123456 kB` from /proc/<pid>/status. */
export function parseVmHwm(text: string): number | null {
  const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) : null;
}

const tail = (s: string, n: number) => (s.length > n ? s.slice(-n) : s);

/**
 * Runs `cmd args…` to its end, capturing stdout and stderr, and reads its peak RSS. The child
 * gets its own process group so that a timeout ends it and anything it started.
 */
export function runChild(
  cmd: string,
  args: readonly string[],
  options: ChildOptions,
): Promise<ChildResult> {
  const method = rssMethod();
  const scratch =
    method === '/usr/bin/time -v' ? mkdtempSync(join(tmpdir(), 'mnist-bench-')) : null;
  const report = scratch ? join(scratch, 'time.txt') : '';
  const [file, argv] = scratch
    ? ['/usr/bin/time', ['-v', '-o', report, cmd, ...args]]
    : [cmd, [...args]];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let peakKb: number | null = null;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = tail(stderr + d, 16_384);
    });
    const sample = () => {
      try {
        const kb = parseVmHwm(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (kb !== null) peakKb = Math.max(peakKb ?? 0, kb);
      } catch {
        // the process has just exited
      }
    };
    const sampler = method === '/proc VmHWM' ? setInterval(sample, 25) : null;
    const killer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, options.timeoutMs);
    const pid = child.pid;
    if (pid !== undefined) live.add(pid);
    const finish = (code: number | null, signal: string | null) => {
      if (pid !== undefined) live.delete(pid);
      clearTimeout(killer);
      if (sampler) clearInterval(sampler);
      let timeReport = '';
      if (scratch) {
        try {
          timeReport = readFileSync(report, 'utf8');
        } catch {
          // time itself was killed
        }
        peakKb = parseTimeReport(timeReport);
        rmSync(scratch, { recursive: true, force: true });
      }
      // GNU time exits with the child's status; a killed child shows as "Command terminated by signal".
      const killedBy = /Command terminated by signal (\d+)/.exec(timeReport);
      resolve({
        code,
        signal: signal ?? (killedBy ? `signal ${killedBy[1]}` : null),
        stdout,
        stderr,
        wallMs: performance.now() - t0,
        peakRssKb: peakKb,
        rssMethod: peakKb === null ? null : method,
        timedOut,
      });
    };
    child.on('error', (e) => {
      stderr += `\n${e.message}`;
      finish(null, null);
    });
    child.on('close', finish);
  });
}
