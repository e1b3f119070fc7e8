/**
 * The server under abuse, on a loopback port: early answers that a `Connection: close` client
 * reads whole, deeply nested JSON refused before it is parsed, the cap on event streams, and
 * broken weights files that make one model not ready without touching the others.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/serve.js';
import {
  jsonInit,
  jsonOf,
  kserveBody,
  mnistTest,
  randomModel,
  readSse,
  TINY,
  tempDir,
} from './helpers.js';

/** Sends `head` then `bodyBytes` bytes on a raw socket, reading all the while; resolves with what came back. */
function rawRequest(port: number, head: string, bodyBytes: number) {
  return new Promise<{ response: string; error: string | null }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let error: string | null = null;
    socket.on('data', (d) => {
      response += d.toString('latin1');
    });
    socket.on('error', (e) => {
      error = (e as NodeJS.ErrnoException).code ?? e.message;
    });
    socket.on('close', () => resolve({ response, error }));
    socket.write(head);
    // Like Python's urllib: the whole body is sent, then the answer is read.
    socket.write(Buffer.alloc(bodyBytes, 0x20));
  });
}

describe('a server on a loopback port, under abuse', () => {
  const dir = tempDir();
  const lines: string[] = [];
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      api: {
        dataDir: dir.path,
        token: 'tok',
        bodyLimit: 1024 * 1024,
        maxStreams: 2,
        trainThreads: 1,
        heartbeatMs: 100,
        logger: createLogger('warn', (l) => lines.push(l)),
        logRequests: false,
      },
      port: 0,
      defaultModel: false,
    });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  const head = (path: string, type: string, length: number, extra = '') =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\nConnection: close\r\n${extra}\r\n`;
  const TWO_MB = 2 * 1024 * 1024;

  it.each([
    ['413: over the body limit', '/v1/models/mnist/predict', 'application/json', '', 413],
    [
      '415: not a model file',
      '/v1/models?name=x',
      'text/plain',
      'Authorization: Bearer tok\r\n',
      415,
    ],
    ['401: no token', '/v1/models?name=x', 'application/octet-stream', '', 401],
  ])(
    'Connection: close with a 2 MB body: the client reads the whole %s, no reset',
    async (_what, path, type, extra, status) => {
      for (let i = 0; i < 3; i++) {
        const { response, error } = await rawRequest(
          server.port,
          head(path, type, TWO_MB, extra),
          TWO_MB,
        );
        expect(error).toBeNull();
        expect(response).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
        const body = response.slice(response.indexOf('\r\n\r\n') + 4);
        expect(JSON.parse(body)).toMatchObject({ status });
      }
    },
  );

  it('refuses deeply nested JSON before parsing it, naming the limit', async () => {
    const nested = `{"inputs":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const res = await fetch(`${server.url}/v2/models/mnist/infer`, {
      method: 'POST',
      body: nested,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toMatchObject({
      type: '/problems/malformed-json',
      detail: 'the body nests arrays and objects deeper than 32 levels, the limit',
    });
    // Depth inside strings does not count; a legitimately nested image passes the check.
    const { images } = await mnistTest(1);
    const image = Array.from({ length: 28 }, (_, r) =>
      Array.from(images.subarray(r * 28, r * 28 + 28)),
    );
    const ok = await fetch(`${server.url}/v2/models/mnist/infer`, {
      method: 'POST',
      body: JSON.stringify({
        id: '[[[['.repeat(20),
        inputs: [{ name: 'input', shape: [28, 28], datatype: 'UINT8', data: image }],
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(ok.status).not.toBe(400); // 404 or 503: no model yet, but the body was accepted
  });

  it('caps open event streams at --max-streams (503, Retry-After), and frees a slot on disconnect', async () => {
    const job = await jsonOf(
      fetch(
        `${server.url}/v1/trainings`,
        jsonInit('POST', { config: TINY }, { authorization: 'Bearer tok' }),
      ),
    );
    const url = `${server.url}/v1/trainings/${job.id}/events`;
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((c) => fetch(url, { signal: c.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await fetch(url);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('5');
    expect((await jsonOf(third)).detail).toMatch(/^2 event streams are open, the limit/);
    controllers[0]!.abort();
    await new Promise((r) => setTimeout(r, 300));
    const again = await fetch(url);
    expect(again.status).toBe(200);
    await readSse(again.body!, (ms) => ms.length > 0);
    controllers[1]!.abort();
  });

  it('a missing or corrupt weights file: that model answers 503, logged once; others serve', async () => {
    const reg = server.api.registry;
    const good = await reg.register(randomModel(10, 1), {
      name: 'good',
      source: 'upload',
      jobId: null,
    });
    const gone = await reg.register(randomModel(10, 2), {
      name: 'gone',
      source: 'upload',
      jobId: null,
    });
    const bad = await reg.register(randomModel(10, 3), {
      name: 'bad',
      source: 'upload',
      jobId: null,
    });
    // A fresh registry view of the files: drop what registering cached.
    (reg as unknown as { cache: Map<string, unknown> }).cache.clear();
    rmSync(join(dir.path, 'models', `${gone.id}.safetensors`));
    writeFileSync(join(dir.path, 'models', `${bad.id}.safetensors`), 'not a safetensors file');
    const { images } = await mnistTest(1);
    const infer = (name: string) =>
      fetch(`${server.url}/v2/models/${name}/infer`, {
        method: 'POST',
        body: JSON.stringify(kserveBody(images)),
        headers: { 'content-type': 'application/json' },
      });
    for (const [row, why] of [
      [gone, 'its weights file is missing'],
      [bad, 'its weights file is corrupt'],
    ] as const) {
      for (const path of [`/v2/models/${row.name}/ready`, `/v1/models/${row.id}/weights`]) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status).toBe(503);
        const body = await jsonOf(res);
        expect(body.type).toBe('/problems/not-ready');
        expect(body.detail).toContain(
          `model ${row.name} version 1 (${row.id}) is not ready: ${why}`,
        );
        expect(body.detail).not.toContain(dir.path);
      }
      expect((await infer(row.name)).status).toBe(503);
      const logged = lines.filter((l) => l.includes('a model cannot serve') && l.includes(row.id));
      expect(logged).toHaveLength(1);
    }
    expect((await infer(good.name)).status).toBe(200);
    expect((await fetch(`${server.url}/v1/models/${good.id}/weights`)).status).toBe(200);
  });
});
