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
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMnistDir, initParams, MODEL_FORMAT, modelToBytes } from '@mnist/net';
import { Rng } from '@mnist/tensor';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
};

/** The server's resident memory in MB (Linux /proc; null elsewhere). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Scrapes /metrics: the event-loop delay p99 (ms) since the previous scrape, and open streams. */
async function scrape(base: string): Promise<{ loopP99Ms: number; streams: number | null }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const p99 =
    /^nodejs_eventloop_delay_seconds\{quantile="0\.99"\} (\S+)/m.exec(text) ??
    /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? (\S+)/m.exec(text);
  const streams = /^mnist_sse_clients(?:\{[^}]*\})? (\S+)/m.exec(text);
  return {
    loopP99Ms: p99 ? Number(p99[1]) * 1000 : Number.NaN,
    streams: streams ? Number(streams[1]) : null,
  };
}

async function startServer(repoRoot: string, mnistDir: string, dataDir: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(repoRoot, 'apps/api/dist/server.js'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--mnist-dir',
      mnistDir,
      '--no-default-model',
      '--no-request-log',
      '--max-streams',
      '200',
      '--train-threads',
      '1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const base = await new Promise<string>((resolveUrl, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`api exited (${code}): ${out.slice(-500)}`)));
  });
  return { child, base, output: () => out };
}

async function post(
  base: string,
  path: string,
  body: string | Blob,
  type: string,
): Promise<unknown> {
  const res = await fetch(base + path, { method: 'POST', body, headers: { 'content-type': type } });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Sequential single-image infer requests for `ms`; latencies in ms (failures counted apart). */
async function inferLoop(base: string, ms: number, failures: { count: number }): Promise<number[]> {
  const body = JSON.stringify({
    inputs: [{ name: 'input', shape: [1, 784], datatype: 'UINT8', data: new Array(784).fill(7) }],
  });
  const times: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const t0 = performance.now();
    const res = await fetch(`${base}/v2/models/abuse/infer`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    }).catch(() => null);
    await res?.arrayBuffer();
    if (res?.status === 200) times.push(performance.now() - t0);
    else failures.count++;
  }
  return times;
}

/** A client that never reads its SSE stream. */
function nonReader(base: string, path: string): Socket {
  const url = new URL(base);
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => {});
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
  socket.pause(); // never read: the kernel buffers fill, then the server's
  return socket;
}

/** Runs the three phases against a fresh server; `phaseMs` bounds each. */
export async function apiAbuse(
  o: { repoRoot: string; mnistDir?: string; phaseMs?: number; log?: (line: string) => void } = {
    repoRoot: resolve(fileURLToPath(new URL('../../..', import.meta.url))),
  },
): Promise<AbuseReport> {
  const phaseMs = o.phaseMs ?? 20_000;
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const dataDir = mkdtempSync(join(tmpdir(), 'mnist-api-abuse-'));
  const server = await startServer(o.repoRoot, o.mnistDir ?? defaultMnistDir(), dataDir);
  const pid = server.child.pid!;
  const sockets: Socket[] = [];
  try {
    const { base } = server;
    const model = modelToBytes({
      params: initParams(10, 'he', new Rng(1)),
      meta: {
        format: MODEL_FORMAT,
        hidden: 10,
        config: { preset: 'fast' },
        trainAccuracy: null,
        testAccuracy: null,
        seed: 1,
        dataChecksum: null,
        createdAt: new Date(0).toISOString(),
      },
    });
    await post(base, '/v1/models?name=abuse', new Blob([model]), 'application/octet-stream');
    const job = (await post(
      base,
      '/v1/trainings',
      JSON.stringify({
        name: 'abuse-4096',
        config: { preset: 'fast', hidden: 4096, limit: 500, epochs: 1000, batchSize: 64 },
      }),
      'application/json',
    )) as { id: string };
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
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
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
