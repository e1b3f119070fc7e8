/**
 * The tasks over a fixed amount of work (full-batch iterations, SGD epochs, inference passes). Each runs ours and every peer on the same work, one child process each,
 * and turns their outputs into rows: median, samples, and the accuracy check against ours.
 */
import { describeRepeats, type Repeats, total } from './plan.js';
import { type PeerName, type PeerOutput, type PrepareOutput, WORK } from './protocol.js';
import { checkAccuracy, type MetricName, measured, type Row, row } from './results.js';
import { type Context, type PeerRun, peakMb, runPeer, unavailable } from './run-peer.js';
import { afterWarmup } from './stats.js';

/**
 * Largest accepted |peer accuracy − ours| on the same work. Full batch and inference start from
 * the very same weights (one iteration more or less already moves the accuracy by about a
 * point); an SGD epoch differs by its shuffled order, so a few points are allowed.
 */
export const TOLERANCE = { fullBatch: 0.005, epoch: 0.03, inference: 0.001 } as const;

/** A row from a timed run: the median after warm-up, the accuracy and its check. */
export function timedRow(
  metric: MetricName,
  peer: PeerName,
  run: PeerRun<PeerOutput>,
  repeats: Repeats,
  work: string,
  check: { reference: number | null; tolerance: number },
  toValue: (ms: number, out: PeerOutput) => number = (ms) => ms,
): Row {
  const peakRssMb = peakMb(run.child);
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
  const samples = afterWarmup(times, repeats.warmup).map((ms) => toValue(ms, out));
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
      wallMs: Math.round(run.child?.wallMs ?? 0),
      attempts: run.attempts ?? 1,
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

/** One timed child run of `peer` and its row, or why it did not run. */
async function timed(
  ctx: Context,
  prep: PeerRun<PrepareOutput>,
  metric: MetricName,
  peer: PeerName,
  task: 'full-batch' | 'epoch',
  extra: Record<string, number>,
  repeats: Repeats,
  tolerance: number,
): Promise<Row> {
  const skip = unavailable(ctx, peer);
  if (skip) return notRun([metric], peer, 'skipped', skip)[0]!;
  if (!prep.output) return notRun([metric], peer, 'failed', `prepare failed: ${prep.error}`)[0]!;
  const n = total(repeats);
  const unit = task === 'full-batch' ? 'iteration' : 'epoch';
  const count = task === 'full-batch' ? { iterations: n } : { epochs: n };
  // Peers other than ours start from ours' initial weights (the `init` file) and take the batch.
  const batch = task === 'epoch' ? { batch: WORK.epoch.batch } : {};
  const opts =
    peer === 'ours'
      ? { ...count, ...extra }
      : { ...count, ...batch, ...extra, init: prep.output.weights };
  const what = Object.entries(extra)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const run = await runPeer<PeerOutput>(
    ctx,
    peer,
    task,
    opts,
    `${metric} · ${peer}: ${n} ${unit}${n === 1 ? '' : 's'}${what ? ` (${what})` : ''}`,
  );
  const reference = prep.output.accuracyAt[String(n)] ?? null;
  return timedRow(metric, peer, run, repeats, describeRepeats(repeats, unit), {
    reference,
    tolerance,
  });
}

/**
 * The notes' full-batch iteration over all 60,000 images, from the same uniform init for all:
 * each peer as its users run it, then ours and numpy on one thread.
 */
export async function fullBatch(ctx: Context): Promise<Row[]> {
  const counts = [...new Set(ctx.peers.map((p) => total(ctx.plan.fullBatch[p])))];
  const prep = await prepare(
    ctx,
    'full-batch',
    { at: counts },
    "full-batch · prepare: shared init, ours' accuracy curve",
  );
  const rows: Row[] = [];
  const tol = TOLERANCE.fullBatch;
  for (const peer of ctx.peers)
    rows.push(
      await timed(ctx, prep, 'full-batch', peer, 'full-batch', {}, ctx.plan.fullBatch[peer], tol),
    );
  for (const peer of ctx.peers.filter((p) => CORE_PEERS.includes(p)))
    rows.push(
      await timed(
        ctx,
        prep,
        'full-batch-1t',
        peer,
        'full-batch',
        { threads: 1 },
        ctx.plan.fullBatch[peer],
        tol,
      ),
    );
  return rows;
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
    const counts = [...new Set(peers.map((p) => total(ctx.plan.epoch[p])))];
    const prep = await prepare(
      ctx,
      'epoch',
      { at: counts, batch },
      `epoch (batch ${batch}) · prepare: shared init, ours' accuracy per epoch`,
    );
    const metric: MetricName =
      batch === WORK.epoch.batch ? 'epoch' : (`epoch-${batch}` as MetricName);
    for (const peer of peers)
      rows.push(
        await timed(
          ctx,
          prep,
          metric,
          peer,
          'epoch',
          { batch },
          ctx.plan.epoch[peer],
          TOLERANCE.epoch,
        ),
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
  const rows: Row[] = [];
  for (const peer of ctx.peers) {
    const skip = unavailable(ctx, peer);
    if (skip) rows.push(...notRun(['inference'], peer, 'skipped', skip));
    else if (!prep.output)
      rows.push(...notRun(['inference'], peer, 'failed', `prepare failed: ${prep.error}`));
    else {
      const repeats = ctx.plan.inference[peer];
      const n = total(repeats);
      const opts = { repeats: n, weights: prep.output.weights };
      const run = await runPeer<PeerOutput>(
        ctx,
        peer,
        'inference',
        opts,
        `inference · ${peer}: ${n} passes`,
      );
      const work = `${describeRepeats(repeats, 'pass')} over the 10,000 test images`;
      const check = { reference: prep.output.accuracy, tolerance: TOLERANCE.inference };
      rows.push(
        timedRow(
          'inference',
          peer,
          run,
          repeats,
          work,
          check,
          (ms, out) => ((out.images ?? 10_000) / ms) * 1000,
        ),
      );
    }
  }
  return rows;
}
