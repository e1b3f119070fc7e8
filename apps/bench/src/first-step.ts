/** The start-up tax: time to the first training step in a fresh process, one process per sample. */
import type { PeerOutput } from './protocol.js';
import { measured, type Row, row } from './results.js';
import { type Context, type PeerRun, peakMb, runPeer, unavailable } from './run-peer.js';
import { CORE_PEERS, notRun } from './tasks.js';

/**
 * Time to the first step in a fresh process, from the image bytes in memory: ours' `fast`
 * preset (kernel, threads, compiled module, data into its memory, one step); numpy's float
 * matrix and one Adam step of 64. One child process per sample.
 */
export async function firstStep(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  const n = ctx.plan.firstStep;
  for (const peer of ctx.peers.filter((p) => CORE_PEERS.includes(p))) {
    const skip = unavailable(ctx, peer);
    if (skip) {
      rows.push(...notRun(['first-step'], peer, 'skipped', skip));
      continue;
    }
    const samples: number[] = [];
    let last: PeerRun<PeerOutput> | null = null;
    for (let i = 0; i < n; i++) {
      last = await runPeer<PeerOutput>(
        ctx,
        peer,
        'first-step',
        {},
        `first-step · ${peer}: fresh process ${i + 1}/${n}`,
      );
      const ms = last.output?.times_ms?.[0];
      if (ms === undefined) break;
      samples.push(ms);
    }
    const work = `${n} fresh processes, data bytes in memory → end of step 1`;
    if (samples.length < n || last?.output == null) {
      rows.push(
        row({
          metric: 'first-step',
          peer,
          status: 'failed',
          reason: last?.error ?? 'no timing',
          work,
        }),
      );
      continue;
    }
    rows.push(
      measured({
        metric: 'first-step',
        peer,
        samples,
        work,
        peakRssMb: peakMb(last.child),
        info: { version: last.output.version ?? null, ...last.output.info },
      }),
    );
  }
  return rows;
}
