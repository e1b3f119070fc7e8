/**
 * The API load task: autocannon against apps/api's server on 127.0.0.1 with KServe V2 infer
 * requests (UINT8 images): single-image requests (requests/s, p50/p99 latency) with the server
 * alone and while it runs a training job, and 100-image requests (images/s), as JSON and as
 * KServe binary tensor data (the pixels' raw bytes after a JSON header, binary outputs). The server serves
 * the same weights as the inference task (uploaded), and its answers over the 10,000 test images
 * are checked against ours' accuracy before any load. The server's side is in api-server.ts.
 *
 * It runs only when apps/api provides a server (a `serve` script, `src/server.ts`, the built
 * `dist/server.js`); otherwise it reports "api not available" and measures nothing.
 */
import { loadMnistSplit } from '@mnist/net';
import autocannon from 'autocannon';
import { oneClientRow } from './api-latency.js';
import {
  apiAvailability,
  inferenceModel,
  request,
  type Server,
  serverAccuracy,
  sleep,
  startApi,
  uploadModel,
  waitFor,
} from './api-server.js';
import { formatMs, sig3 } from './format.js';
import type { PrepareOutput } from './protocol.js';
import { checkAccuracy, type MetricName, type Row, row } from './results.js';
import { type Context, runPeer } from './run-peer.js';

export { apiAvailability } from './api-server.js';

const METRICS = [
  'api-alone',
  'api-training',
  'api-p99-alone',
  'api-p99-training',
  'api-batch',
  'api-batch-binary',
] as const satisfies readonly MetricName[];

/** Images per request of the batch run. */
export const API_BATCH = 100;

/** A KServe V2 infer body: `n` UINT8 test images from `from`. */
function inferBody(images: Uint8Array, n: number): string {
  const data = Array.from(images.subarray(0, n * 784));
  return JSON.stringify({ inputs: [{ name: 'input', shape: [n, 784], datatype: 'UINT8', data }] });
}

/** The same request as binary tensor data: the JSON header, then the images' bytes; binary outputs. */
function binaryBody(
  images: Uint8Array,
  n: number,
): { body: Buffer; headers: Record<string, string> } {
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        {
          name: 'input',
          shape: [n, 784],
          datatype: 'UINT8',
          parameters: { binary_data_size: n * 784 },
        },
      ],
      parameters: { binary_data_output: true },
    }),
  );
  return {
    body: Buffer.concat([header, images.subarray(0, n * 784)]),
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    },
  };
}

type Load = Awaited<ReturnType<typeof autocannon>>;

/** One autocannon run of infer requests with `body`. */
async function load(
  ctx: Context,
  server: Server,
  model: string,
  body: string | { body: Buffer; headers: Record<string, string> },
  label: string,
) {
  const { seconds, connections } = ctx.plan.api;
  const end = ctx.progress.begin(`${label}: autocannon, ${connections} connections × ${seconds} s`);
  const r = await autocannon({
    url: `${server.base}/v2/models/${model}/infer`,
    method: 'POST',
    ...(typeof body === 'string'
      ? { headers: { 'content-type': 'application/json' }, body }
      : { headers: body.headers, body: body.body }),
    connections,
    duration: seconds,
  });
  end(
    `${sig3(r.requests.average)} req/s, p50 ${formatMs(r.latency.p50)}, p99 ${formatMs(r.latency.p99)}`,
  );
  return r;
}

/** The row of one load run: throughput (req/s or images/s), its latencies in the work text. */
function rowsOf(
  ctx: Context,
  r: Load,
  o: {
    readonly throughput: MetricName;
    readonly images: number;
    readonly common: object;
    readonly extra?: Record<string, unknown>;
    readonly note?: string;
  },
): Row[] {
  const bad = r.errors + r.timeouts + r.non2xx;
  const per = o.images === 1 ? '1 UINT8 image' : `${o.images} UINT8 images`;
  const work = `p50 ${formatMs(r.latency.p50)}, p99 ${formatMs(r.latency.p99)}; ${ctx.plan.api.connections} connections × ${ctx.plan.api.seconds} s, ${per} per request${bad ? `; ${bad} errors/non-2xx` : ''}${o.note ?? ''}`;
  const info = {
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: r.latency.mean,
    requestsPerSecond: r.requests.average,
    imagesPerRequest: o.images,
    requests: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    ...o.extra,
  };
  const metric = o.throughput;
  if (r['2xx'] === 0)
    return [
      row({
        metric,
        peer: 'ours',
        status: 'failed',
        reason: `no successful request: ${work}`,
        info,
      }),
    ];
  const value = r.requests.average * o.images;
  return [
    row({ metric, peer: 'ours', status: 'ok', value, samples: [value], work, ...o.common, info }),
  ];
}

/** Starts a training job in the server and waits until it runs; its id, or why not. */
async function startJob(ctx: Context, server: Server): Promise<{ id: string } | { error: string }> {
  const starting = ctx.progress.begin(
    'api · start a training job (fast preset, 1000 epochs; cancelled after the runs) in the server',
  );
  const job = (await request(
    server,
    'POST',
    '/v1/trainings',
    JSON.stringify({ name: 'bench-training', config: { preset: 'fast', epochs: 1000 } }),
  )) as { id: string };
  const until = performance.now() + 60_000;
  let status = await jobStatus(server, job.id);
  while (status !== 'running' && performance.now() < until) {
    await sleep(200);
    status = await jobStatus(server, job.id);
  }
  starting(status);
  return status === 'running'
    ? { id: job.id }
    : { error: `the training job did not start (status ${status})` };
}

const jobStatus = async (server: Server, id: string) =>
  ((await request(server, 'GET', `/v1/trainings/${id}`)) as { status: string }).status;

/** The API rows: measured when the server exists, otherwise marked skipped with the reason. */
export async function api(ctx: Context): Promise<Row[]> {
  const status = apiAvailability(ctx.repoRoot);
  if (!status.available) {
    ctx.progress.note(`api · ${status.reason}`);
    return METRICS.map((metric) =>
      row({ metric, peer: 'ours', status: 'skipped', reason: status.reason }),
    );
  }
  const failed = (reason: string, metrics: readonly MetricName[] = METRICS) =>
    metrics.map((metric) => row({ metric, peer: 'ours', status: 'failed', reason }));
  const prep = await runPeer<PrepareOutput>(
    ctx,
    'prepare',
    'prepare',
    { for: 'inference', dir: ctx.scratch, epochs: ctx.plan.inferenceTrainEpochs },
    'api · prepare: the weights to serve',
  );
  if (!prep.output) return failed(`prepare failed: ${prep.error}`);
  const server = await startApi(ctx);
  const rows: Row[] = [];
  try {
    const started = ctx.progress.begin(
      'api · start apps/api (dist/server.js) on 127.0.0.1, upload the weights',
    );
    await waitFor(server, '/v2/health/live', 60_000);
    const model = await uploadModel(server, inferenceModel(prep.output));
    await waitFor(server, `/v2/models/${model}/ready`, 30_000);
    started('ready');

    const checking = ctx.progress.begin(
      'api · accuracy of the served model over the 10,000 test images',
    );
    const test = await loadMnistSplit('test', { dir: ctx.dataDir });
    const accuracy = await serverAccuracy(server, model, test);
    const check = checkAccuracy(accuracy, prep.output.accuracy, 0.001);
    checking(`${(accuracy * 100).toFixed(2)} % (${check})`);
    const common = { accuracy, reference: prep.output.accuracy, tolerance: 0.001, check };

    const single = inferBody(test.images, 1);
    const inferUrl = `${server.base}/v2/models/${model}/infer`;
    const alone = await load(ctx, server, model, single, 'api · 1 image, alone');
    rows.push(
      ...rowsOf(ctx, alone, { throughput: 'api-alone', images: 1, common }),
      await oneClientRow(ctx, inferUrl, single, 'api-p99-alone', 'api · 1 image, alone', common),
    );
    const batch = await load(
      ctx,
      server,
      model,
      inferBody(test.images, API_BATCH),
      `api · ${API_BATCH} images, alone`,
    );
    rows.push(...rowsOf(ctx, batch, { throughput: 'api-batch', images: API_BATCH, common }));
    const binary = await load(
      ctx,
      server,
      model,
      binaryBody(test.images, API_BATCH),
      `api · ${API_BATCH} images as binary tensor data, alone`,
    );
    rows.push(
      ...rowsOf(ctx, binary, {
        throughput: 'api-batch-binary',
        images: API_BATCH,
        common,
        note: '; KServe binary tensor data in and out',
      }),
    );

    const job = await startJob(ctx, server);
    if ('error' in job)
      return [...rows, ...failed(job.error, ['api-training', 'api-p99-training'])];
    const during = await load(ctx, server, model, single, 'api · 1 image, during training');
    const quietDuring = await oneClientRow(
      ctx,
      inferUrl,
      single,
      'api-p99-training',
      'api · 1 image, during training',
      common,
    );
    const after = await jobStatus(server, job.id);
    await request(server, 'POST', `/v1/trainings/${job.id}/cancel`).catch(() => null);
    const note =
      after === 'running'
        ? '; a training job ran throughout'
        : `; the training job was ${after} at the end`;
    rows.push(
      ...rowsOf(ctx, during, {
        throughput: 'api-training',
        images: 1,
        common,
        extra: { jobStatusAfter: after },
        note,
      }),
      { ...quietDuring, work: `${quietDuring.work}${note}` },
    );
    return rows;
  } catch (e) {
    const done = new Set(rows.map((r) => r.metric));
    return [
      ...rows,
      ...failed(
        (e as Error).message,
        METRICS.filter((m) => !done.has(m)),
      ),
    ];
  } finally {
    await server.stop();
  }
}
