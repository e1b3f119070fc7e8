/**
 * Request bodies on a real server (read from Node's IncomingMessage): JSON read only once the
 * bearer token is checked, sized and chunked bodies alike, the body limit on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, kserveBody, randomModel, tempDir } from '../../test/helpers.js';
import { silentLogger } from '../log.js';
import { type RunningServer, startServer } from '../serve.js';

const LIMIT = 64 * 1024;
const dir = tempDir();
let server: RunningServer;
let open: RunningServer;
const openDir = tempDir();
beforeAll(async () => {
  const api = { token: 'tok', bodyLimit: LIMIT, trainThreads: 1, logger: silentLogger };
  server = await startServer({
    api: { ...api, dataDir: dir.path },
    port: 0,
    defaultModel: false,
  });
  open = await startServer({
    api: { ...api, dataDir: openDir.path, authReads: true },
    port: 0,
    defaultModel: false,
  });
  for (const s of [server, open])
    await s.api.registry.register(randomModel(), { name: 'mnist', source: 'upload', jobId: null });
});
afterAll(async () => {
  await server.close();
  await open.close();
  dir.remove();
  openDir.remove();
});

const nested = `{"config":${'['.repeat(1000)}${']'.repeat(1000)}}`;
const pixels = new Uint8Array(784 * 2).map((_, i) => (i * 31) % 256);

/** A body sent chunked (no Content-Length), in pieces of `size` bytes. */
function chunked(text: string, size = 1000): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) c.close();
      else c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const post = (
  s: RunningServer,
  path: string,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) =>
  fetch(`${s.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);

describe('JSON bodies on a real server', () => {
  it('are not read before the token is checked: a guarded route answers 401, not the depth limit', async () => {
    const res = await post(server, '/v1/trainings', nested);
    expect(res.status).toBe(401);
    const withToken = await post(server, '/v1/trainings', nested, { authorization: 'Bearer tok' });
    expect(withToken.status).toBe(400);
    expect((await jsonOf(withToken)).detail).toBe(
      'the body nests arrays and objects deeper than 32 levels, the limit',
    );
    // With --auth-reads, inference too.
    const infer = await post(open, '/v2/models/mnist/infer', nested);
    expect(infer.status).toBe(401);
  });

  it('read alike with a Content-Length and chunked, and refused alike over the limit', async () => {
    const body = JSON.stringify(kserveBody(pixels, 'same'));
    const sized = await post(server, '/v2/models/mnist/infer', body);
    const streamed = await post(server, '/v2/models/mnist/infer', chunked(body));
    expect(sized.status).toBe(200);
    expect(streamed.status).toBe(200);
    expect(await streamed.json()).toEqual(await sized.json());

    const big = JSON.stringify(kserveBody(new Uint8Array(784 * 40).fill(255)));
    expect(big.length).toBeGreaterThan(LIMIT);
    for (const res of [
      await post(server, '/v2/models/mnist/infer', big),
      await post(server, '/v2/models/mnist/infer', chunked(big, 4096)),
    ]) {
      expect(res.status).toBe(413);
      expect((await jsonOf(res)).type).toBe('/problems/payload-too-large');
    }
  });

  it('binary tensor data: read alike with a Content-Length and chunked', async () => {
    const header = JSON.stringify({
      inputs: [
        {
          name: 'input',
          shape: [2, 784],
          datatype: 'UINT8',
          parameters: { binary_data_size: 1568 },
        },
      ],
    });
    const bytes = new Uint8Array([...new TextEncoder().encode(header), ...pixels]);
    const headers = {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    };
    const sized = await post(server, '/v2/models/mnist/infer', new Blob([bytes]) as never, headers);
    const streamed = await post(
      server,
      '/v2/models/mnist/infer',
      new ReadableStream({
        start(c) {
          c.enqueue(bytes.slice(0, 100));
          c.enqueue(bytes.slice(100));
          c.close();
        },
      }),
      headers,
    );
    expect(sized.status).toBe(200);
    expect(streamed.status).toBe(200);
    const json = await jsonOf(sized);
    expect(json.outputs[1].data).toHaveLength(2);
    expect((await jsonOf(streamed)).outputs).toEqual(json.outputs);
  });

  it('a malformed body names JSON.parse’s reason; deep nesting is refused chunked too', async () => {
    const bad = await post(server, '/v2/models/mnist/infer', '{"inputs": [1,]}');
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).detail).toMatch(/^the body is not valid JSON: /);
    const deep = await post(server, '/v2/models/mnist/infer', chunked(nested, 100));
    expect(deep.status).toBe(400);
    expect((await jsonOf(deep)).detail).toMatch(/deeper than 32 levels/);
  });
});
