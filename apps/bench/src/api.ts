/**
 * The API load task: autocannon against apps/api's server on 127.0.0.1 — single-image KServe V2
 * infer requests: predictions/s and p50/p99 latency, with the server alone and while it runs a
 * training job. The server serves the same weights as the inference task (uploaded), and its
 * answers over the 10,000 test images are checked against ours' accuracy before any load.
 *
 * It runs only when apps/api provides a server (a `serve` script, `src/server.ts`, the built
 * `dist/server.js`); otherwise it reports "api not available" and measures nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadMnistSplit, MODEL_FORMAT, type ModelMeta, modelToBytes } from '@mnist/net';
import { bind } from '@mnist/tensor';
import autocannon from 'autocannon';
import { trackChild } from './child.js';
import { formatMs, sig3 } from './format.js';
import type { PrepareOutput } from './protocol.js';
import { checkAccuracy, type MetricName, type Row, row } from './results.js';
import { type Context, runPeer } from './run-peer.js';
import { readWeights } from './weights.js';

/** Whether apps/api can be started, and if not, what is missing. */
export function apiAvailability(repoRoot: string): {
  readonly available: boolean;
  readonly reason: string;
} {
  const dir = join(repoRoot, 'apps/api');
  const missing: string[] = [];
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    if (!pkg.scripts?.serve) missing.push('no `serve` script in apps/api/package.json');
  } catch {
    missing.push('no apps/api/package.json');
  }
  if (!existsSync(join(dir, 'src/server.ts'))) missing.push('no apps/api/src/server.ts');
  else if (!existsSync(join(dir, 'dist/server.js')))
    missing.push('apps/api/dist/server.js not built (pnpm --filter @mnist/api build)');
  return missing.length === 0
    ? { available: true, reason: 'apps/api provides a server' }
    : { available: false, reason: `api not available: ${missing.join('; ')}` };
}

const METRICS = ['api-alone', 'api-training'] as const;

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server process, with the tail of its output for error messages. */
interface Server {
  readonly base: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function startApi(ctx: Context, port: number): Promise<Server> {
  const dir = join(ctx.repoRoot, 'apps/api');
  const args = [
    join(dir, 'dist/server.js'),
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--data-dir',
    join(ctx.scratch, 'api'),
  ];
  args.push(
    '--mnist-dir',
    ctx.dataDir,
    '--no-default-model',
    '--no-request-log',
    '--log-level',
    'warn',
  );
  const child = spawn(process.execPath, args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  trackChild(child.pid, child);
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => out.trim().split('\n').slice(-3).join(' | '),
    stop,
  };
}

/** Polls `path` until it answers 200. */
async function waitFor(server: Server, path: string, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null)
      throw new Error(`the server exited (${server.child.exitCode}): ${server.output()}`);
    try {
      if ((await fetch(server.base + path)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > until)
      throw new Error(
        `${path} did not answer 200 within ${timeoutMs / 1000} s: ${server.output()}`,
      );
    await sleep(200);
  }
}

async function request(
  server: Server,
  method: string,
  path: string,
  body?: string | Blob,
  type = 'application/json',
): Promise<unknown> {
  const res = await fetch(server.base + path, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': type } }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text === '' ? null : JSON.parse(text);
}

/** Uploads the weights of the inference task as model `bench`; returns its name. */
async function uploadModel(server: Server, prep: PrepareOutput): Promise<string> {
  const w = readWeights(prep.weights, prep.hidden);
  const H = prep.hidden;
  const params = bind({ W1: ['h', 784], b1: ['h', 1], W2: [10, 'h'], b2: [10, 1] } as const, {
    W1: { data: w.W1, shape: [H, 784] },
    b1: { data: w.b1, shape: [H, 1] },
    W2: { data: w.W2, shape: [10, H] },
    b2: { data: w.b2, shape: [10, 1] },
  });
  const meta: ModelMeta = {
    format: MODEL_FORMAT,
    hidden: H,
    config: { preset: 'fast' },
    trainAccuracy: null,
    testAccuracy: prep.accuracy,
    seed: null,
    dataChecksum: null,
    createdAt: new Date().toISOString(),
  };
  const bytes = modelToBytes({ params, meta });
  await request(
    server,
    'POST',
    '/v1/models?name=bench',
    new Blob([new Uint8Array(bytes)]),
    'application/octet-stream',
  );
  return 'bench';
}

/** The server's accuracy over the 10,000 test images, asked 1,000 images per request. */
async function serverAccuracy(
  server: Server,
  model: string,
  test: { images: Uint8Array; labels: Uint8Array; count: number },
): Promise<number> {
  let correct = 0;
  for (let from = 0; from < test.count; from += 1000) {
    const n = Math.min(1000, test.count - from);
    const data = Array.from(test.images.subarray(from * 784, (from + n) * 784));
    const body = JSON.stringify({
      inputs: [{ name: 'input', shape: [n, 784], datatype: 'UINT8', data }],
    });
    const res = (await request(server, 'POST', `/v2/models/${model}/infer`, body)) as {
      outputs: { name: string; data: number[] }[];
    };
    const labels = res.outputs.find((o) => o.name === 'labels')?.data ?? [];
    for (let j = 0; j < n; j++) if (labels[j] === test.labels[from + j]) correct++;
  }
  return correct / test.count;
}

/** One autocannon run of single-image infer requests. */
async function load(ctx: Context, server: Server, model: string, body: string, label: string) {
  const { seconds, connections } = ctx.plan.api;
  const end = ctx.progress.begin(`${label}: autocannon, ${connections} connections × ${seconds} s`);
  const r = await autocannon({
    url: `${server.base}/v2/models/${model}/infer`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
  });
  end(
    `${sig3(r.requests.average)} req/s, p50 ${formatMs(r.latency.p50)}, p99 ${formatMs(r.latency.p99)}`,
  );
  return r;
}

/** The API rows: measured when the server exists, otherwise marked skipped with the reason. */
export async function api(ctx: Context): Promise<Row[]> {
  const status = apiAvailability(ctx.repoRoot);
  if (!status.available) {
    ctx.progress.note(`api · ${status.reason}`);
    return METRICS.map((metric) =>
      row({ metric, peer: 'ours', status: 'skipped', reason: status.reason }),
    );
  }
  const failed = (reason: string) =>
    METRICS.map((metric) => row({ metric, peer: 'ours', status: 'failed', reason }));
  const prep = await runPeer<PrepareOutput>(
    ctx,
    'prepare',
    'prepare',
    { for: 'inference', dir: ctx.scratch, epochs: ctx.plan.inferenceTrainEpochs },
    'api · prepare: the weights to serve',
  );
  if (!prep.output) return failed(`prepare failed: ${prep.error}`);
  const server = await startApi(ctx, await freePort());
  try {
    const started = ctx.progress.begin(
      'api · start apps/api (dist/server.js) on 127.0.0.1, upload the weights',
    );
    await waitFor(server, '/v2/health/live', 60_000);
    const model = await uploadModel(server, prep.output);
    await waitFor(server, `/v2/models/${model}/ready`, 30_000);
    started('ready');

    const checking = ctx.progress.begin(
      'api · accuracy of the served model over the 10,000 test images',
    );
    const test = await loadMnistSplit('test', { dir: ctx.dataDir });
    const accuracy = await serverAccuracy(server, model, test);
    const check = checkAccuracy(accuracy, prep.output.accuracy, 0.001);
    checking(`${(accuracy * 100).toFixed(2)} % (${check})`);

    const image = Array.from(test.images.subarray(0, 784));
    const body = JSON.stringify({
      inputs: [{ name: 'input', shape: [1, 784], datatype: 'UINT8', data: image }],
    });
    const common = { accuracy, reference: prep.output.accuracy, tolerance: 0.001, check };
    const rowOf = (
      metric: MetricName,
      r: Awaited<ReturnType<typeof load>>,
      extra: Record<string, unknown>,
      note = '',
    ): Row => {
      const bad = r.errors + r.timeouts + r.non2xx;
      const work = `p50 ${formatMs(r.latency.p50)}, p99 ${formatMs(r.latency.p99)}; ${ctx.plan.api.connections} connections × ${ctx.plan.api.seconds} s, 1 UINT8 image per request${bad ? `; ${bad} errors/non-2xx` : ''}${note}`;
      const info = {
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        meanMs: r.latency.mean,
        requests: r.requests.total,
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        ...extra,
      };
      if (r['2xx'] === 0)
        return row({
          metric,
          peer: 'ours',
          status: 'failed',
          reason: `no successful request: ${work}`,
          info,
        });
      return row({
        metric,
        peer: 'ours',
        status: 'ok',
        value: r.requests.average,
        samples: [r.requests.average],
        work,
        ...common,
        info,
      });
    };

    const alone = await load(ctx, server, model, body, 'api · alone');
    const rows = [rowOf('api-alone', alone, {})];

    const starting = ctx.progress.begin(
      'api · start a training job (fast preset, 100 epochs) in the server',
    );
    const job = (await request(
      server,
      'POST',
      '/v1/trainings',
      JSON.stringify({ name: 'bench-training', config: { preset: 'fast', epochs: 100 } }),
    )) as { id: string };
    const jobStatus = async () =>
      ((await request(server, 'GET', `/v1/trainings/${job.id}`)) as { status: string }).status;
    const until = performance.now() + 60_000;
    let before = await jobStatus();
    while (before !== 'running' && performance.now() < until) {
      await sleep(200);
      before = await jobStatus();
    }
    starting(before);
    if (before !== 'running') {
      rows.push(
        row({
          metric: 'api-training',
          peer: 'ours',
          status: 'failed',
          reason: `the training job did not start (status ${before})`,
        }),
      );
      return rows;
    }
    const during = await load(ctx, server, model, body, 'api · during training');
    const after = await jobStatus();
    await request(server, 'POST', `/v1/trainings/${job.id}/cancel`).catch(() => null);
    const note =
      after === 'running'
        ? '; a training job ran throughout'
        : `; the training job was ${after} at the end`;
    rows.push(rowOf('api-training', during, { jobStatusAfter: after }, note));
    return rows;
  } catch (e) {
    return failed((e as Error).message);
  } finally {
    await server.stop();
  }
}
