/**
 * The tasks over a fixed amount of work (full-batch iterations, SGD epochs, inference passes). Each runs ours and every peer on the same work, one child process each,
 * and turns their outputs into rows: median, samples, and the accuracy check against ours.
 */
import { describeRepeats, type Repeats, total } from './plan.js';
import { type PeerName, type PeerOutput, type PrepareOutput, WORK } from './protocol.js';
import { checkAccuracy, type MetricName, type Row, row } from './results.js';
import { type Context, type PeerRun, peakMb, runPeer, unavailable } from './run-peer.js';
import { afterWarmup, median } from './stats.js';

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
  return row({
    metric,
    peer,
    status: 'ok',
    value: median(samples),
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

/** The notes' full-batch iteration over all 60,000 images, from the same uniform init for all. */
export async function fullBatch(ctx: Context): Promise<Row[]> {
  const counts = [...new Set(ctx.peers.map((p) => total(ctx.plan.fullBatch[p])))];
  const prep = await prepare(
    ctx,
    'full-batch',
    { at: counts },
    "full-batch · prepare: shared init, ours' accuracy curve",
  );
  const rows: Row[] = [];
  for (const peer of ctx.peers) {
    const skip = unavailable(ctx, peer);
    if (skip) rows.push(...notRun(['full-batch'], peer, 'skipped', skip));
    else if (!prep.output)
      rows.push(...notRun(['full-batch'], peer, 'failed', `prepare failed: ${prep.error}`));
    else {
      const repeats = ctx.plan.fullBatch[peer];
      const n = total(repeats);
      const opts =
        peer === 'ours' ? { iterations: n } : { iterations: n, init: prep.output.weights };
      const run = await runPeer<PeerOutput>(
        ctx,
        peer,
        'full-batch',
        opts,
        `full-batch · ${peer}: ${n} iterations`,
      );
      const reference = prep.output.accuracyAt[String(n)] ?? null;
      rows.push(
        timedRow('full-batch', peer, run, repeats, describeRepeats(repeats, 'iteration'), {
          reference,
          tolerance: TOLERANCE.fullBatch,
        }),
      );
    }
  }
  return rows;
}

/** Epochs of mini-batch SGD, batch 128, the notes' update, from the same He init for all. */
export async function epoch(ctx: Context): Promise<Row[]> {
  const counts = [...new Set(ctx.peers.map((p) => total(ctx.plan.epoch[p])))];
  const prep = await prepare(
    ctx,
    'epoch',
    { at: counts },
    "epoch · prepare: shared init, ours' accuracy per epoch",
  );
  const rows: Row[] = [];
  for (const peer of ctx.peers) {
    const skip = unavailable(ctx, peer);
    if (skip) rows.push(...notRun(['epoch'], peer, 'skipped', skip));
    else if (!prep.output)
      rows.push(...notRun(['epoch'], peer, 'failed', `prepare failed: ${prep.error}`));
    else {
      const repeats = ctx.plan.epoch[peer];
      const n = total(repeats);
      const opts =
        peer === 'ours'
          ? { epochs: n }
          : { epochs: n, batch: WORK.epoch.batch, init: prep.output.weights };
      const run = await runPeer<PeerOutput>(
        ctx,
        peer,
        'epoch',
        opts,
        `epoch · ${peer}: ${n} epoch${n === 1 ? '' : 's'}`,
      );
      const reference = prep.output.accuracyAt[String(n)] ?? null;
      rows.push(
        timedRow('epoch', peer, run, repeats, describeRepeats(repeats, 'epoch'), {
          reference,
          tolerance: TOLERANCE.epoch,
        }),
      );
    }
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
