#!/usr/bin/env node
/**
 * Load test of the built server (`pnpm --filter @mnist/api build` first) with autocannon (from
 * apps/bench): KServe V2 inference of one real MNIST test image, alone and while a training job
 * runs, and of a batch of 64. The server runs in its own process, so the load generator does not
 * share its event loop. Prints a table and writes reports/bench.json.
 *
 *   node scripts/bench.mjs [--duration 10] [--connections 10]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnistSplit } from '@mnist/net';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const here = fileURLToPath(new URL('.', import.meta.url));

let autocannon;
try {
  autocannon = createRequire(join(here, '../../bench/package.json'))('autocannon');
} catch {
  throw new Error('autocannon not found: it is installed in apps/bench (pnpm install at the root)');
}

function startServer(dataDir) {
  const child = spawn(
    process.execPath,
    [
      join(here, '../dist/server.js'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--no-default-model',
      '--no-request-log',
      '--train-threads',
      '1',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

const json = async (res) => {
  if (!res.ok) throw new Error(`${res.url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
};
const post = (url, body) =>
  fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

async function waitForJob(url, id, statuses) {
  for (;;) {
    const job = await json(await fetch(`${url}/v1/trainings/${id}`));
    if (statuses.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function load(url, body, title) {
  const r = await autocannon({
    url: `${url}/v2/models/mnist/infer`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration,
  });
  const row = {
    scenario: title,
    requestsPerSecond: Math.round(r.requests.average),
    latencyMs: {
      p50: r.latency.p50,
      p99: r.latency.p99,
      average: Math.round(r.latency.average * 100) / 100,
      max: r.latency.max,
    },
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
  console.log(
    `${title}: ${row.requestsPerSecond} req/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms (${row.non2xx} non-2xx, ${row.errors} errors)`,
  );
  return row;
}

const dir = mkdtempSync(join(tmpdir(), 'mnist-api-bench-'));
const { child, url } = await startServer(dir);
try {
  console.log(
    `server ${url}; ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), ${connections} connections, ${duration} s per run`,
  );
  console.log('training the model to serve (preset fast, 1 thread)…');
  const model = await json(await post(`${url}/v1/trainings`, { config: { preset: 'fast' } }));
  const trained = await waitForJob(url, model.id, ['completed', 'failed']);
  if (trained.status !== 'completed') throw new Error(`training failed: ${trained.error}`);

  const test = await loadMnistSplit('test');
  const single = JSON.stringify({
    inputs: [
      {
        name: 'input',
        shape: [1, 784],
        datatype: 'UINT8',
        data: Array.from(test.images.subarray(0, 784)),
      },
    ],
  });
  const batch = JSON.stringify({
    inputs: [
      {
        name: 'input',
        shape: [64, 784],
        datatype: 'UINT8',
        data: Array.from(test.images.subarray(0, 64 * 784)),
      },
    ],
  });

  const results = [];
  results.push(await load(url, single, 'infer 1 image, idle server'));
  const job = await json(
    await post(`${url}/v1/trainings`, {
      name: 'bench-background',
      config: { preset: 'fast', epochs: 200 },
    }),
  );
  await waitForJob(url, job.id, ['running']);
  await new Promise((r) => setTimeout(r, 1000)); // past data loading: the run is stepping
  results.push(await load(url, single, 'infer 1 image, while a job trains'));
  const during = await json(await fetch(`${url}/v1/trainings/${job.id}`));
  if (during.status !== 'running')
    throw new Error(`the background job was ${during.status} before the run ended`);
  const stepsPerSecond = during.progress
    ? Math.round(during.progress.step / (during.progress.elapsedMs / 1000))
    : null;
  await post(`${url}/v1/trainings/${job.id}/cancel`, undefined);
  results.push(await load(url, batch, 'infer 64 images, idle server'));

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? null,
    connections,
    durationSeconds: duration,
    trainingStepsPerSecondDuringLoad: stepsPerSecond,
    results,
  };
  mkdirSync(join(here, '../reports'), { recursive: true });
  writeFileSync(join(here, '../reports/bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    '\n| scenario | req/s | images/s | p50 ms | p99 ms | mean ms |\n|---|---|---|---|---|---|',
  );
  for (const r of results) {
    const images = r.scenario.includes('64') ? 64 : 1;
    console.log(
      `| ${r.scenario} | ${r.requestsPerSecond} | ${r.requestsPerSecond * images} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ${r.latencyMs.average} |`,
    );
  }
  console.log(
    `\ntraining during load: ${stepsPerSecond ?? '?'} steps/s; report in reports/bench.json`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
