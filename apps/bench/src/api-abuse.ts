/**
 * The `api-abuse` task: apps/api's server (dist/server.js on 127.0.0.1) under the abuse of
 * issue 12, with its resident memory and event-loop delay (p99, from its /metrics, which reports
 * each scrape's interval) measured in each phase:
 *
 *   1. alone, while it trains a hidden-4096 job (evaluations every epoch);
 *   2. with 50 SSE clients on that job that never read (memory growth over phase 1);
 *   3. single-image KServe infer p50/p99, alone and while 2 clients send 4 MB nested JSON bodies.
 *
 * All load stays on 127.0.0.1, bounded in count (50 sockets, 2 abusers) and time (~20 s a phase).
 * Runs standalone too: `node apps/bench/dist/api-abuse.js` prints the report as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMnistDir, initParams } from '@mnist/net';
import { Rng } from '@mnist/tensor';
import { inferLoop, nonReader, quantile, rssMb, scrape } from './abuse-probes.js';
import { request, sleep, startApi, uploadModel, waitFor } from './api-server.js';
import { benchModel } from './weights.js';

export interface AbuseReport {
  readonly rssMb: {
    readonly training: number;
    readonly nonReaders: number;
    readonly growth: number;
  };
  readonly loopP99Ms: {
    readonly training: number;
    readonly nonReaders: number;
    readonly inferAlone: number;
    readonly nestedJson: number;
  };
  readonly inferMs: {
    readonly alone: { readonly p50: number; readonly p99: number; readonly n: number };
    readonly nestedJson: { readonly p50: number; readonly p99: number; readonly n: number };
  };
  /** Single-image requests that did not get 200, alone and beside the nested bodies. */
  readonly inferFailures: { readonly alone: number; readonly nestedJson: number };
  /** Answers the 4 MB nested bodies got (status: count). */
  readonly nestedAnswers: Readonly<Record<string, number>>;
  /** SSE streams still open at the end of phase 2 (the rest were dropped). */
  readonly streamsOpen: number | null;
  /** Evaluations of the hidden-4096 job by the end of phase 2 (each took a 13 MB weight snapshot). */
  readonly evaluations: number;
  readonly phaseSeconds: number;
}

/** Runs the three phases against a fresh server; `phaseMs` bounds each. */
export async function apiAbuse(
  o: { repoRoot: string; mnistDir?: string; phaseMs?: number; log?: (line: string) => void } = {
    repoRoot: resolve(fileURLToPath(new URL('../../..', import.meta.url))),
  },
): Promise<AbuseReport> {
  const phaseMs = o.phaseMs ?? 20_000;
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const scratch = mkdtempSync(join(tmpdir(), 'mnist-api-abuse-'));
  const dataDir = o.mnistDir ?? defaultMnistDir();
  const extra = ['--max-streams', '200', '--train-threads', '1'];
  const server = await startApi({ repoRoot: o.repoRoot, scratch, dataDir }, extra);
  const pid = server.child.pid!;
  const sockets: Socket[] = [];
  try {
    const { base } = server;
    await waitFor(server, '/v2/health/live', 60_000);
    await uploadModel(server, benchModel(initParams(10, 'he', new Rng(1))), 'abuse');
    const body = {
      name: 'abuse-4096',
      config: { preset: 'fast', hidden: 4096, limit: 500, epochs: 1000, batchSize: 64 },
    };
    const job = (await request(server, 'POST', '/v1/trainings', JSON.stringify(body))) as {
      id: string;
    };
    // The job's evaluations (each took a 13 MB weight snapshot) are what used to flood streams:
    // let the first one happen before measuring (at most 3 minutes).
    log(`api-abuse: training job ${job.id} (hidden 4096); waiting for its first evaluation`);
    const evaluationsOf = async () =>
      (
        (await (await fetch(`${base}/v1/trainings/${job.id}/metrics`)).json()) as {
          evaluations: unknown[];
        }
      ).evaluations.length;
    for (const until = performance.now() + 180_000; performance.now() < until; await sleep(1000))
      if ((await evaluationsOf()) > 0) break;
    log('api-abuse: phase 1: the job alone');
    await scrape(base); // starts a fresh delay window
    let rssTraining = 0;
    for (const until = performance.now() + phaseMs; performance.now() < until; await sleep(500))
      rssTraining = Math.max(rssTraining, rssMb(pid));
    const training = await scrape(base);

    log('api-abuse: phase 2: 50 SSE clients that never read');
    for (let i = 0; i < 50; i++) sockets.push(nonReader(base, `/v1/trainings/${job.id}/events`));
    let rssReaders = 0;
    for (const until = performance.now() + phaseMs; performance.now() < until; await sleep(500))
      rssReaders = Math.max(rssReaders, rssMb(pid));
    const readers = await scrape(base);
    const evaluations = await evaluationsOf();
    for (const s of sockets) s.destroy();
    await fetch(`${base}/v1/trainings/${job.id}/cancel`, { method: 'POST' });

    log('api-abuse: phase 3: single-image infer alone, then beside 2 senders of 4 MB nested JSON');
    await scrape(base);
    const failed = { alone: { count: 0 }, beside: { count: 0 } };
    const alone = await inferLoop(base, phaseMs / 2, failed.alone);
    const aloneLoop = await scrape(base);
    const nested = `{"inputs":${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}}`; // 4 MB
    const answers: Record<string, number> = {};
    let abusing = true;
    const abuser = async () => {
      while (abusing) {
        const res = await fetch(`${base}/v2/models/abuse/infer`, {
          method: 'POST',
          body: nested,
          headers: { 'content-type': 'application/json' },
        }).catch(() => null);
        await res?.arrayBuffer();
        const key = res ? String(res.status) : 'error';
        answers[key] = (answers[key] ?? 0) + 1;
      }
    };
    const abusers = [abuser(), abuser()];
    await sleep(200);
    const beside = await inferLoop(base, phaseMs / 2, failed.beside);
    const nestedLoop = await scrape(base);
    abusing = false;
    await Promise.all(abusers);

    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      rssMb: {
        training: round(rssTraining),
        nonReaders: round(rssReaders),
        growth: round(rssReaders - rssTraining),
      },
      loopP99Ms: {
        training: round(training.loopP99Ms),
        nonReaders: round(readers.loopP99Ms),
        inferAlone: round(aloneLoop.loopP99Ms),
        nestedJson: round(nestedLoop.loopP99Ms),
      },
      inferMs: {
        alone: {
          p50: round(quantile(alone, 0.5)),
          p99: round(quantile(alone, 0.99)),
          n: alone.length,
        },
        nestedJson: {
          p50: round(quantile(beside, 0.5)),
          p99: round(quantile(beside, 0.99)),
          n: beside.length,
        },
      },
      nestedAnswers: answers,
      inferFailures: { alone: failed.alone.count, nestedJson: failed.beside.count },
      streamsOpen: readers.streams,
      evaluations,
      phaseSeconds: phaseMs / 1000,
    };
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One line for the report's notes. */
export function abuseSummary(r: AbuseReport): string {
  return (
    `api-abuse (noisy, shared machine): RSS ${r.rssMb.training} MB training a hidden-4096 job, ` +
    `${r.rssMb.nonReaders} MB with 50 non-reading SSE clients (+${r.rssMb.growth} MB, ${r.evaluations} evaluations by then); ` +
    `single-image infer p50/p99 ${r.inferMs.alone.p50}/${r.inferMs.alone.p99} ms alone, ` +
    `${r.inferMs.nestedJson.p50}/${r.inferMs.nestedJson.p99} ms beside 2 senders of 4 MB nested JSON ` +
    `(answers ${JSON.stringify(r.nestedAnswers)}; infer failures ${r.inferFailures.alone} alone, ${r.inferFailures.nestedJson} beside); event-loop delay p99 ${r.loopP99Ms.training} ms training, ` +
    `${r.loopP99Ms.nonReaders} ms with non-readers, ${r.loopP99Ms.inferAlone} ms infer alone, ` +
    `${r.loopP99Ms.nestedJson} ms beside nested JSON`
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  apiAbuse().then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n${abuseSummary(r)}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`api-abuse: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
