/**
 * The tasks over whole training runs: time to 85 % and 92 % test accuracy with each system's
 * best preset, and the peak resident memory of a full training run, each in its own process.
 */
import { join } from 'node:path';
import { type PeerName, type PeerOutput, WORK } from './protocol.js';
import { measured, type Row, row } from './results.js';
import {
  type Context,
  describeExit,
  inRounds,
  type PeerRun,
  peakMb,
  runCommand,
  runPeer,
  unavailable,
} from './run-peer.js';
import { notRun } from './tasks.js';

/** The to-accuracy run of each peer (its best preset), kept for the RSS task. */
export type ToAccuracyRuns = Map<PeerName, PeerRun<PeerOutput>>;

function runToAccuracy(
  ctx: Context,
  peer: PeerName,
  maxEpochs: number,
  why: string,
): Promise<PeerRun<PeerOutput>> {
  const targets = [...WORK.toAccuracy.targets];
  const opts = peer === 'numpy' ? { targets, max_epochs: maxEpochs } : { targets, maxEpochs };
  return runPeer<PeerOutput>(
    ctx,
    peer,
    'to-accuracy',
    opts,
    `${why} · ${peer}: best preset, ≤ ${maxEpochs} epochs`,
  );
}

const PRESET_OF: Record<PeerName, string> = {
  ours: '`fast` preset: Adam α 0.003 (cosine), batch 64, He init',
  numpy: 'Adam α 0.003, batch 64, He init (numpy_peer.py)',
  'tfjs-wasm': 'tf.train.adam α 0.003, batch 64, He init',
  'tfjs-cpu': 'tf.train.adam α 0.003, batch 64, He init',
  'onnx-web': 'inference only',
};

/**
 * Time to 85 % and 92 % test accuracy, checked after every epoch, with each system's best preset:
 * `plan.toAccuracyRuns` fresh runs per peer, in rounds (every peer once, then again), so that a
 * slow minute of the machine falls on every peer alike. The median is over the runs; a target
 * counts as reached only when every run reached it.
 */
export async function toAccuracy(ctx: Context, runs: ToAccuracyRuns): Promise<Row[]> {
  const metrics = ['to-85', 'to-92'] as const;
  const limits = ctx.plan.toAccuracy;
  if (limits === null)
    return ctx.peers.flatMap((p) => notRun(metrics, p, 'skipped', 'skipped by --quick'));
  const peers = ctx.peers.filter((peer) => !unavailable(ctx, peer));
  const all = await inRounds(peers, ctx.plan.toAccuracyRuns, async (peer, of) => {
    const run = await runToAccuracy(ctx, peer, limits[peer], `to-accuracy${of}`);
    if (!runs.has(peer)) runs.set(peer, run);
    return run;
  });
  const rows: Row[] = [];
  for (const peer of ctx.peers) {
    const skip = unavailable(ctx, peer);
    if (skip) rows.push(...notRun(metrics, peer, 'skipped', skip));
    else rows.push(...metrics.map((metric, i) => targetRow(ctx, peer, metric, i, all.get(peer)!)));
  }
  return rows;
}

/** One peer's row for one target, from all its runs. */
function targetRow(
  ctx: Context,
  peer: PeerName,
  metric: 'to-85' | 'to-92',
  i: number,
  runs: readonly PeerRun<PeerOutput>[],
): Row {
  const target = WORK.toAccuracy.targets[i]!;
  const limit = ctx.plan.toAccuracy?.[peer] ?? 0;
  const times = runs.length > 1 ? `, ${runs.length} fresh runs` : '';
  const work = `${PRESET_OF[peer]}; test set checked after each epoch (≤ ${limit} epochs)${times}`;
  const failed = runs.find((r) => r.output === null);
  if (failed) return row({ metric, peer, status: 'failed', reason: failed.error, work });
  const outs = runs.map((r) => r.output!);
  const last = outs[outs.length - 1]!;
  const accuracy = last.test_accuracy ?? null;
  const info = {
    version: last.version ?? null,
    epochs: outs.map((o) => o.epochs ?? null),
    ...last.info,
  };
  const missed = outs.find((o) => o.reached_ms?.[String(target)] === undefined);
  if (missed) {
    const final = missed.test_accuracy == null ? '?' : (missed.test_accuracy * 100).toFixed(2);
    const reason = `${target * 100} % not reached in ${missed.epochs ?? '?'} epochs (final ${final} %)`;
    return row({ metric, peer, status: 'failed', reason, work, accuracy, info });
  }
  const samples = outs.map((o) => o.reached_ms![String(target)]!);
  return measured({
    metric,
    peer,
    samples,
    work,
    accuracy,
    check: 'ok',
    peakRssMb: largest(runs.map((r) => peakMb(r.child))),
    info,
  });
}

/** The largest of the values that are known; null when none is. */
const largest = (xs: readonly (number | null)[]): number | null => {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? Math.max(...known) : null;
};

/** `test 93.75%` from the training command's last line. */
export function parseCliAccuracy(stdout: string): number | null {
  const m = /test\s+([\d.]+)\s*%/.exec(stdout);
  return m ? Number(m[1]) / 100 : null;
}

/** What one peer's full run gave the RSS task: the peak (null when it failed or was unreadable). */
interface RssRun {
  readonly mb: number | null;
  /** Whether the run itself ended well (its peak may still be missing). */
  readonly done: boolean;
  /** What went wrong, when something did; without it a missing peak says so. */
  readonly failure: string | null;
  readonly work: string;
  readonly accuracy: number | null;
  readonly info: Readonly<Record<string, unknown>>;
}

/** The rss row of one peer's run: its peak in MB, or why there is none. */
function rssRow(peer: PeerName, run: RssRun): Row {
  const { mb, done, failure, work, accuracy, info } = run;
  if (!done || mb === null) {
    const reason = failure ?? 'peak RSS could not be read on this machine';
    return row({ metric: 'rss', peer, status: 'failed', reason, work });
  }
  return row({ metric: 'rss', peer, status: 'ok', value: mb, samples: [mb], work, accuracy, info });
}

/** Ours: the training command (`mnist-train --preset fast`, 12 epochs) in its own process. */
async function oursRss(ctx: Context): Promise<RssRun> {
  const cli = join(ctx.repoRoot, 'packages/net/dist/cli/train.js');
  const args = [
    cli,
    '--preset',
    'fast',
    '--quiet',
    '--out',
    join(ctx.scratch, 'rss-fast.safetensors'),
  ];
  const label = 'rss · ours: mnist-train --preset fast --quiet (its own process)';
  const { child, attempts } = await runCommand(ctx, label, process.execPath, args, {
    cwd: ctx.repoRoot,
    ours: true,
  });
  const failure = child.timedOut
    ? `timed out (${attempts} attempts)`
    : child.code !== 0
      ? describeExit(child)
      : null;
  return {
    mb: peakMb(child),
    done: child.code === 0,
    failure,
    work: 'mnist-train --preset fast (12 epochs, worker thread), whole process',
    accuracy: parseCliAccuracy(child.stdout),
    info: { method: child.rssMethod, wallMs: Math.round(child.wallMs), attempts },
  };
}

/** A peer: its to-accuracy run (run now if the to-accuracy task did not already). */
async function peerRss(ctx: Context, peer: PeerName, runs: ToAccuracyRuns): Promise<RssRun> {
  const run =
    runs.get(peer) ?? (await runToAccuracy(ctx, peer, ctx.plan.toAccuracy?.[peer] ?? 20, 'rss'));
  return {
    mb: peakMb(run.child),
    done: run.output !== null,
    failure: run.error,
    work: `its to-accuracy run (${PRESET_OF[peer]}, ${run.output?.epochs ?? '?'} epochs), whole process`,
    accuracy: run.output?.test_accuracy ?? null,
    info: { method: run.child?.rssMethod ?? null },
  };
}

/**
 * Peak RSS of a full training run, each in its own process: ours is the training command
 * (`mnist-train --preset fast`, 12 epochs); a peer's is its to-accuracy run (run now if the
 * to-accuracy task did not already).
 */
export async function rss(ctx: Context, runs: ToAccuracyRuns): Promise<Row[]> {
  if (!ctx.plan.rss)
    return ctx.peers.flatMap((p) => notRun(['rss'], p, 'skipped', 'skipped by --quick'));
  const rows: Row[] = [];
  for (const peer of ctx.peers) {
    const skip = unavailable(ctx, peer);
    if (skip) rows.push(...notRun(['rss'], peer, 'skipped', skip));
    else
      rows.push(
        rssRow(peer, peer === 'ours' ? await oursRss(ctx) : await peerRss(ctx, peer, runs)),
      );
  }
  return rows;
}
