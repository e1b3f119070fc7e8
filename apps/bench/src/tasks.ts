/**
 * The tasks over a fixed amount of work (full-batch iterations, SGD epochs, inference passes).
 * Each runs ours and every peer on the same work, `plan.rounds` child processes each in rounds,
 * and turns their outputs into rows: median over all runs' samples, and the accuracy check
 * against ours.
 */
import { describeRuns, perRun, type Repeats, total } from './plan.js';
import { type PeerName, type PeerOutput, type PrepareOutput, WORK } from './protocol.js';
import { checkAccuracy, type MetricName, measured, type Row, row } from './results.js';
import { type Context, inRounds, type PeerRun, peakMb, runPeer, unavailable } from './run-peer.js';
import { afterWarmup } from './stats.js';

/**
 * Largest accepted |peer accuracy − ours| on the same work. Full batch and inference start from
 * the very same weights (one iteration more or less already moves the accuracy by about a
 * point); an SGD epoch differs by its shuffled order, so a few points are allowed.
 */
export const TOLERANCE = { fullBatch: 0.005, epoch: 0.03, inference: 0.001 } as const;

/**
 * A row from a peer's timed runs (each `repeats`): the median over every run's samples after its
 * warm-up, the last run's accuracy and its check.
 */
export function timedRow(
  metric: MetricName,
  peer: PeerName,
  runs: readonly PeerRun<PeerOutput>[],
  repeats: Repeats,
  work: string,
  check: { reference: number | null; tolerance: number },
  toValue: (ms: number, out: PeerOutput) => number = (ms) => ms,
): Row {
  const peakRssMb = Math.max(0, ...runs.map((run) => peakMb(run.child) ?? 0)) || null;
  const samples: number[] = [];
  for (const run of runs) {
    if (run.output === null)
      return row({ metric, peer, status: 'failed', reason: run.error, work, peakRssMb });
    const out = run.output;
    const times = out.times_ms ?? [];
    if (times.length < total(repeats)) {
      return row({
        metric,
        peer,
        status: 'failed',
        reason: `expected ${total(repeats)} timings, got ${times.length}`,
        work,
        peakRssMb,
      });
    }
    samples.push(...afterWarmup(times, repeats.warmup).map((ms) => toValue(ms, out)));
  }
  const out = runs.at(-1)!.output!;
  const accuracy = out.test_accuracy ?? null;
  return measured({
    metric,
    peer,
    samples,
    warmup: repeats.warmup,
    work,
    accuracy,
    reference: check.reference,
    tolerance: check.tolerance,
    check: checkAccuracy(accuracy, check.reference, check.tolerance),
    peakRssMb,
    info: {
      version: out.version ?? null,
      ...out.info,
      runs: runs.length,
      wallMs: Math.round(runs.reduce((a, run) => a + (run.child?.wallMs ?? 0), 0)),
      attempts: runs.reduce((a, run) => a + (run.attempts ?? 1), 0),
    },
  });
}

/** Rows saying that `peer` did not run `metrics`, and why. */
export function notRun(
  metrics: readonly MetricName[],
  peer: PeerName,
  status: 'skipped' | 'failed',
  reason: string | null,
): Row[] {
  return metrics.map((metric) => row({ metric, peer, status, reason }));
}

/** The not-timed step of ours.js that writes the shared weights and ours' reference accuracies. */
function prepare(ctx: Context, task: PrepareOutput['task'], opts: object, label: string) {
  return runPeer<PrepareOutput>(
    ctx,
    'prepare',
    'prepare',
    { for: task, dir: ctx.scratch, ...opts },
    label,
  );
}

/** Peers that run the one-thread and small-batch rows (the kernels' efficiency, ours vs numpy). */
export const CORE_PEERS: readonly PeerName[] = ['ours', 'numpy'];

/** One peer's child run of a timed task: what to run, and how it is described. */
interface TimedRun {
  readonly task: 'full-batch' | 'epoch' | 'inference';
  readonly opts: Record<string, unknown>;
  readonly label: string;
}

/**
 * Runs `spec(peer)` for every available peer `plan.rounds` times, in rounds, and makes each
 * peer's row from all its runs; `prep` failing fails every row.
 */
async function timedRows(
  ctx: Context,
  metric: MetricName,
  peers: readonly PeerName[],
  prepError: string | null,
  spec: (peer: PeerName) => TimedRun,
  rowOf: (peer: PeerName, runs: readonly PeerRun<PeerOutput>[]) => Row,
): Promise<Row[]> {
  const ready = prepError === null ? peers.filter((peer) => !unavailable(ctx, peer)) : [];
  const runs = await inRounds(ready, ctx.plan.rounds, (peer, of) => {
    const { task, opts, label } = spec(peer);
    return runPeer<PeerOutput>(ctx, peer, task, opts, `${label}${of}`);
  });
  return peers.map((peer) => {
    const skip = unavailable(ctx, peer);
    if (skip) return notRun([metric], peer, 'skipped', skip)[0]!;
    if (prepError !== null)
      return notRun([metric], peer, 'failed', `prepare failed: ${prepError}`)[0]!;
    return rowOf(peer, runs.get(peer)!);
  });
}

/** Full-batch iterations or SGD epochs of each peer, in rounds, and their rows. */
async function timed(
  ctx: Context,
  prep: PeerRun<PrepareOutput>,
  metric: MetricName,
  peers: readonly PeerName[],
  task: 'full-batch' | 'epoch',
  extra: Record<string, number>,
  plan: Readonly<Record<PeerName, Repeats>>,
  tolerance: number,
): Promise<Row[]> {
  const unit = task === 'full-batch' ? 'iteration' : 'epoch';
  const repeats = (peer: PeerName) => perRun(plan[peer], ctx.plan.rounds);
  const what = Object.entries(extra)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return timedRows(
    ctx,
    metric,
    peers,
    prep.output ? null : prep.error,
    (peer) => {
      const n = total(repeats(peer));
      const count = task === 'full-batch' ? { iterations: n } : { epochs: n };
      // Peers other than ours start from ours' initial weights (the `init` file) and take the batch.
      const batch = task === 'epoch' ? { batch: WORK.epoch.batch } : {};
      const opts =
        peer === 'ours'
          ? { ...count, ...extra }
          : { ...count, ...batch, ...extra, init: prep.output!.weights };
      const label = `${metric} · ${peer}: ${n} ${unit}${n === 1 ? '' : 's'}${what ? ` (${what})` : ''}`;
      return { task, opts, label };
    },
    (peer, runs) => {
      const r = repeats(peer);
      const reference = prep.output!.accuracyAt[String(total(r))] ?? null;
      return timedRow(metric, peer, runs, r, describeRuns(r, runs.length, unit), {
        reference,
        tolerance,
      });
    },
  );
}

/** The iteration (or epoch) counts prepare must give ours' accuracy at: one run's, per peer. */
const countsOf = (ctx: Context, peers: readonly PeerName[], plan: Record<PeerName, Repeats>) => [
  ...new Set(peers.map((p) => total(perRun(plan[p], ctx.plan.rounds)))),
];

/**
 * The notes' full-batch iteration over all 60,000 images, from the same uniform init for all:
 * each peer as its users run it, then ours and numpy on one thread.
 */
export async function fullBatch(ctx: Context): Promise<Row[]> {
  const prep = await prepare(
    ctx,
    'full-batch',
    { at: countsOf(ctx, ctx.peers, ctx.plan.fullBatch) },
    "full-batch · prepare: shared init, ours' accuracy curve",
  );
  const tol = TOLERANCE.fullBatch;
  const plan = ctx.plan.fullBatch;
  const core = ctx.peers.filter((p) => CORE_PEERS.includes(p));
  return [
    ...(await timed(ctx, prep, 'full-batch', ctx.peers, 'full-batch', {}, plan, tol)),
    ...(await timed(ctx, prep, 'full-batch-1t', core, 'full-batch', { threads: 1 }, plan, tol)),
  ];
}

/**
 * Epochs of mini-batch SGD with the notes' update, from the same He init for all: batch 128
 * for every peer, then batches 64 and 32 for ours and numpy.
 */
export async function epoch(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  const batches = [WORK.epoch.batch, ...WORK.epochSmall.batches];
  for (const batch of batches) {
    const peers =
      batch === WORK.epoch.batch ? ctx.peers : ctx.peers.filter((p) => CORE_PEERS.includes(p));
    if (peers.length === 0) continue;
    const prep = await prepare(
      ctx,
      'epoch',
      { at: countsOf(ctx, peers, ctx.plan.epoch), batch },
      `epoch (batch ${batch}) · prepare: shared init, ours' accuracy per epoch`,
    );
    const metric: MetricName =
      batch === WORK.epoch.batch ? 'epoch' : (`epoch-${batch}` as MetricName);
    const plan = ctx.plan.epoch;
    rows.push(
      ...(await timed(ctx, prep, metric, peers, 'epoch', { batch }, plan, TOLERANCE.epoch)),
    );
  }
  return rows;
}

/** Images per second over the 10,000 test images, every peer with the same trained weights. */
export async function inference(ctx: Context): Promise<Row[]> {
  const epochs = ctx.plan.inferenceTrainEpochs;
  const prep = await prepare(
    ctx,
    'inference',
    { epochs },
    `inference · prepare: ours' fast preset, ${epochs} epoch(s), for the weights`,
  );
  const repeats = (peer: PeerName) => perRun(ctx.plan.inference[peer], ctx.plan.rounds);
  return timedRows(
    ctx,
    'inference',
    ctx.peers,
    prep.output ? null : prep.error,
    (peer) => {
      const n = total(repeats(peer));
      const opts = { repeats: n, weights: prep.output!.weights };
      return { task: 'inference', opts, label: `inference · ${peer}: ${n} passes` };
    },
    (peer, runs) => {
      const r = repeats(peer);
      const work = `${describeRuns(r, runs.length, 'pass')} over the 10,000 test images`;
      const check = { reference: prep.output!.accuracy, tolerance: TOLERANCE.inference };
      const rate = (ms: number, out: PeerOutput) => ((out.images ?? 10_000) / ms) * 1000;
      return timedRow('inference', peer, runs, r, work, check, rate);
    },
  );
}
