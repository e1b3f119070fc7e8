/**
 * A real server on a loopback port: training while predictions are answered, the event stream
 * over HTTP (ordered, resumable), graceful shutdown, and a kill -9 mid-training followed by a
 * restart (the built `dist/server.js` in a child process).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelFromBytes } from '@mnist/net';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/serve.js';
import {
  jsonOf,
  kserveBody,
  mnistTest,
  randomModelBytes,
  readSse,
  SLOW,
  type SseMessage,
  TINY,
  tempDir,
  waitFor,
} from './helpers.js';

const TOKEN = 'server-test';
const auth = { authorization: `Bearer ${TOKEN}` };
/** About two seconds of training on 2,000 images, with four evaluations. */
const MEDIUM = {
  preset: 'fast',
  batchSize: 'full',
  limit: 2000,
  iterations: 150,
  kernel: 'js',
  evalEvery: 50,
} as const;

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...auth },
  });
const ids = (ms: SseMessage[]) => ms.map((m) => Number(m.id));
const increasing = (xs: number[]) => xs.every((v, i) => i === 0 || v > xs[i - 1]!);

describe('in-process server on a loopback port', () => {
  let server: RunningServer;
  let dir: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    dir = tempDir();
    server = await startServer({
      api: {
        dataDir: dir.path,
        token: TOKEN,
        logger: silentLogger,
        trainThreads: 1,
        heartbeatMs: 100,
        progressIntervalMs: 50,
      },
      port: 0,
      defaultModel: false,
    });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('listens on 127.0.0.1', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('trains while concurrent predictions are answered; the stream is ordered and resumable', async () => {
    const first = await jsonOf(post(`${server.url}/v1/trainings`, { config: TINY }));
    await waitFor(async () =>
      (await jsonOf(fetch(`${server.url}/v1/trainings/${first.id}`))).status === 'completed'
        ? true
        : undefined,
    );

    const job = await jsonOf(post(`${server.url}/v1/trainings`, { config: MEDIUM }));
    const watcher = fetch(`${server.url}/v1/trainings/${job.id}/events`).then((r) =>
      readSse(r.body!, () => false, 80_000),
    );
    // A second client drops after a few events and resumes with Last-Event-ID.
    const early = await readSse(
      (await fetch(`${server.url}/v1/trainings/${job.id}/events`)).body!,
      (ms) => ms.length >= 3,
    );
    const lastSeen = early.messages.at(-1)!.id!;

    const { images } = await mnistTest(8);
    let answered = 0;
    const versions = new Set<string>();
    const client = async () => {
      for (let i = 0; ; i++) {
        const status = (await jsonOf(fetch(`${server.url}/v1/trainings/${job.id}`))).status;
        const res = await fetch(`${server.url}/v2/models/mnist/infer`, {
          method: 'POST',
          body: JSON.stringify(kserveBody(images.subarray((i % 8) * 784, (i % 8) * 784 + 784))),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(200);
        const body = await jsonOf(res);
        versions.add(body.model_version);
        const p = body.outputs[0].data as number[];
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4); // never a torn model
        answered++;
        if (status === 'completed' || status === 'failed') return;
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    expect(answered).toBeGreaterThan(20);
    expect([...versions].every((v) => v === '1' || v === '2')).toBe(true);

    const all = await watcher;
    expect(all.ended).toBe(true);
    expect(all.messages[0]!.event).toBe('snapshot');
    expect(increasing(ids(all.messages))).toBe(true);
    expect(all.messages.filter((m) => m.event === 'evaluation').length).toBe(3);
    expect(all.messages.slice(-2).map((m) => m.event)).toEqual(['done', 'status']);
    expect(all.comments).toContain(': ping');

    const resumed = await readSse(
      (
        await fetch(`${server.url}/v1/trainings/${job.id}/events`, {
          headers: { 'last-event-id': lastSeen },
        })
      ).body!,
    );
    expect(resumed.ended).toBe(true);
    expect(resumed.messages[0]!.event).not.toBe('snapshot');
    expect(Number(resumed.messages[0]!.id)).toBeGreaterThan(Number(lastSeen));
    expect(increasing(ids(resumed.messages))).toBe(true);
    const nonProgress = (ms: SseMessage[]) =>
      ms.filter((m) => m.event !== 'progress' && Number(m.id) > Number(lastSeen)).map((m) => m.id);
    expect(nonProgress(resumed.messages)).toEqual(nonProgress(all.messages));

    const model = await jsonOf(fetch(`${server.url}/v1/models/mnist`));
    expect(model).toMatchObject({ version: 2, jobId: job.id });
  }, 90_000); // generous: the suite must pass while both cores are busy with other work

  it('shuts down gracefully: ready turns 503, streams end, running jobs are interrupted', async () => {
    const job = await jsonOf(post(`${server.url}/v1/trainings`, { config: SLOW }));
    await waitFor(() => (server.api.jobs.get(job.id)!.status === 'running' ? true : undefined));
    const stream = readSse(
      (await fetch(`${server.url}/v1/trainings/${job.id}/events`)).body!,
      () => false,
      20_000,
    );
    const t0 = Date.now();
    await server.close();
    expect(Date.now() - t0).toBeLessThan(5000);
    const read = await stream;
    expect(read.ended).toBe(true);
    expect(read.messages.at(-1)).toMatchObject({
      event: 'status',
      data: '{"type":"status","status":"interrupted"}',
    });
    const db = new Database(join(dir.path, 'mnist-api.db'), { readonly: true });
    expect(db.prepare('SELECT status FROM jobs WHERE id = ?').get(job.id)).toEqual({
      status: 'interrupted',
    });
    db.close();
    await expect(fetch(`${server.url}/v2/health/live`)).rejects.toThrow();
  });
});

const SERVER_JS = fileURLToPath(new URL('../dist/server.js', import.meta.url));

/** Starts `dist/server.js`; resolves with its URL once it listens. */
function spawnServer(
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  if (!existsSync(SERVER_JS))
    throw new Error(`${SERVER_JS} is missing: run \`pnpm --filter @mnist/api build\` first`);
  const child = spawn(
    process.execPath,
    [
      SERVER_JS,
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--token',
      TOKEN,
      '--no-default-model',
      '--train-threads',
      '1',
      '--no-request-log',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) resolve({ child, url: m[1]!, exited });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before listening:\n${out}`)),
    );
  });
}

describe('kill -9 mid-training, then restart', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('leaves the database consistent and every finished model loadable', async () => {
    const a = await spawnServer(dir.path);
    const tiny = await jsonOf(post(`${a.url}/v1/trainings`, { config: TINY }));
    await waitFor(async () =>
      (await jsonOf(fetch(`${a.url}/v1/trainings/${tiny.id}`))).status === 'completed'
        ? true
        : undefined,
    );
    const uploaded = await fetch(`${a.url}/v1/models?name=uploaded`, {
      method: 'POST',
      body: randomModelBytes(16, 5),
      headers: { 'content-type': 'application/octet-stream', ...auth },
    });
    expect(uploaded.status).toBe(201);
    const slow = await jsonOf(post(`${a.url}/v1/trainings`, { config: SLOW }));
    await readSse((await fetch(`${a.url}/v1/trainings/${slow.id}/events`)).body!, (ms) =>
      ms.some((m) => m.event === 'progress'),
    );
    a.child.kill('SIGKILL');
    expect(await a.exited).toBeNull();

    const b = await spawnServer(dir.path);
    try {
      const job = await jsonOf(fetch(`${b.url}/v1/trainings/${slow.id}`));
      expect(job).toMatchObject({
        status: 'interrupted',
        error: 'the server stopped while this job was running',
        modelId: null,
      });
      expect((await jsonOf(fetch(`${b.url}/v1/trainings/${tiny.id}`))).status).toBe('completed');

      const { models } = await jsonOf(fetch(`${b.url}/v1/models`));
      expect(models.map((m: { name: string }) => m.name).sort()).toEqual(['mnist', 'uploaded']);
      const { images } = await mnistTest(2);
      for (const m of models) {
        const bytes = new Uint8Array(
          await (await fetch(`${b.url}${m.links.weights}`)).arrayBuffer(),
        );
        expect(modelFromBytes(bytes).meta.hidden).toBe(m.hidden);
        const res = await fetch(`${b.url}${m.links.infer}`, {
          method: 'POST',
          body: JSON.stringify(kserveBody(images)),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(200);
      }
      const snapshot = await readSse(
        (await fetch(`${b.url}/v1/trainings/${slow.id}/events`)).body!,
      );
      expect(snapshot.ended).toBe(true);
      expect(JSON.parse(snapshot.messages[0]!.data).job.status).toBe('interrupted');

      const db = new Database(join(dir.path, 'mnist-api.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(
        db.prepare("SELECT count(*) AS n FROM jobs WHERE status IN ('running', 'paused')").get(),
      ).toEqual({ n: 0 });
      const rows = (db.prepare('SELECT id FROM models ORDER BY id').all() as { id: string }[]).map(
        (r) => `${r.id}.safetensors`,
      );
      db.close();
      expect(readdirSync(join(dir.path, 'models')).sort()).toEqual(rows);
    } finally {
      b.child.kill('SIGTERM');
      expect(await b.exited).toBe(0);
    }
  });
});
