/**
 * The tasks over whole training runs: time to 85 % and 92 % test accuracy with each system's
 * best preset, and the peak resident memory of a full training run, each in its own process.
 */
import { join } from 'node:path';
import { type PeerName, type PeerOutput, WORK } from './protocol.js';
import { type Row, row } from './results.js';
import {
  type Context,
  describeExit,
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

/** Time to 85 % and 92 % test accuracy, checked after every epoch, with each system's best preset. */
export async function toAccuracy(ctx: Context, runs: ToAccuracyRuns): Promise<Row[]> {
  const metrics = ['to-85', 'to-92'] as const;
  const limits = ctx.plan.toAccuracy;
  if (limits === null)
    return ctx.peers.flatMap((p) => notRun(metrics, p, 'skipped', 'skipped by --quick'));
  const rows: Row[] = [];
  for (const peer of ctx.peers) {
    const skip = unavailable(ctx, peer);
    if (skip) {
      rows.push(...notRun(metrics, peer, 'skipped', skip));
      continue;
    }
    const run = await runToAccuracy(ctx, peer, limits[peer], 'to-accuracy');
    runs.set(peer, run);
    const out = run.output;
    for (const [i, metric] of metrics.entries()) {
      const target = WORK.toAccuracy.targets[i]!;
      const work = `${PRESET_OF[peer]}; test set checked after each epoch (≤ ${limits[peer]} epochs)`;
      if (out === null) {
        rows.push(row({ metric, peer, status: 'failed', reason: run.error, work }));
        continue;
      }
      const ms = out.reached_ms?.[String(target)];
      const accuracy = out.test_accuracy ?? null;
      const info = { version: out.version ?? null, epochs: out.epochs ?? null, ...out.info };
      if (ms === undefined) {
        const reason = `${target * 100} % not reached in ${out.epochs ?? '?'} epochs (final ${accuracy === null ? '?' : (accuracy * 100).toFixed(2)} %)`;
        rows.push(row({ metric, peer, status: 'failed', reason, work, accuracy, info }));
        continue;
      }
      rows.push(
        row({
          metric,
          peer,
          status: 'ok',
          value: ms,
          samples: [ms],
          work,
          accuracy,
          check: 'ok',
          peakRssMb: peakMb(run.child),
          info,
        }),
      );
    }
  }
  return rows;
}

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
