import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSafetensors, modelFromBytes, predict } from '@mnist/net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonInit,
  jsonOf,
  mnistTest,
  randomModel,
  randomModelBytes,
  testApp,
} from '../../test/helpers.js';

const TOKEN = 'sesame';
let api: ReturnType<typeof testApp>;
beforeAll(() => {
  api = testApp({ token: TOKEN, maxBatch: 8 });
});
afterAll(() => api.done());

const auth = { authorization: `Bearer ${TOKEN}` };
const upload = (bytes: Uint8Array, query = '', headers: Record<string, string> = auth) =>
  api.app.request(`/v1/models${query}`, {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
const files = () => readdirSync(join(api.dir, 'models')).sort();

describe('upload, list, show, weights, delete', () => {
  it('stores an upload as the next version and answers 201 with its location', async () => {
    const res = await upload(randomModelBytes(10, 3), '?name=digits');
    expect(res.status).toBe(201);
    const body = await jsonOf(res);
    expect(res.headers.get('location')).toBe(`/v1/models/${body.id}`);
    expect(body).toMatchObject({
      name: 'digits',
      version: 1,
      source: 'upload',
      jobId: null,
      hidden: 10,
      trainAccuracy: 0.5,
      testAccuracy: 0.5,
      config: { preset: 'fast', hidden: 10 },
      links: {
        self: `/v1/models/${body.id}`,
        weights: `/v1/models/${body.id}/weights`,
        infer: '/v2/models/digits/versions/1/infer',
        predict: `/v1/models/${body.id}/predict`,
      },
    });
    expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await jsonOf(upload(randomModelBytes(10, 4), '?name=digits'));
    expect(again.version).toBe(2);
  });

  it('lists models newest first, by name', async () => {
    const all = await jsonOf(api.app.request('/v1/models'));
    expect(all.models.map((m: { version: number }) => m.version)).toEqual([2, 1]);
    const none = await jsonOf(api.app.request('/v1/models?name=other'));
    expect(none.models).toEqual([]);
    const bad = await api.app.request('/v1/models?limit=0');
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors[0]).toMatchObject({
      field: 'limit',
      in: 'query',
      expected: 'a number ≥ 1',
      got: '"0"',
    });
  });

  it('shows a model by id or by name (latest version)', async () => {
    const byName = await jsonOf(api.app.request('/v1/models/digits'));
    expect(byName.version).toBe(2);
    const byId = await jsonOf(api.app.request(`/v1/models/${byName.id}`));
    expect(byId).toEqual(byName);
    const missing = await api.app.request('/v1/models/mdl_0000000000aaaaaaaaaa');
    expect(missing.status).toBe(404);
    expect((await jsonOf(missing)).error).toBe('no model mdl_0000000000aaaaaaaaaa');
  });

  it('serves the weights as the stored safetensors file, with an ETag', async () => {
    const row = await jsonOf(api.app.request('/v1/models/digits'));
    const res = await api.app.request(`/v1/models/${row.id}/weights`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="digits-v2.safetensors"',
    );
    const model = modelFromBytes(new Uint8Array(await res.arrayBuffer()));
    expect(Array.from(model.params.b1.data)).toEqual(Array.from(randomModel(10, 4).params.b1.data));
    const cached = await api.app.request(`/v1/models/${row.id}/weights`, {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(cached.status).toBe(304);
  });

  it('deletes by id (204, file gone), and 404 after', async () => {
    const row = await jsonOf(upload(randomModelBytes(), '?name=gone'));
    expect(files()).toContain(`${row.id}.safetensors`);
    const res = await api.app.request(`/v1/models/${row.id}`, { method: 'DELETE', headers: auth });
    expect(res.status).toBe(204);
    expect(files()).not.toContain(`${row.id}.safetensors`);
    expect(
      (await api.app.request(`/v1/models/${row.id}`, { method: 'DELETE', headers: auth })).status,
    ).toBe(404);
    const byName = await api.app.request('/v1/models/digits', { method: 'DELETE', headers: auth });
    expect(byName.status).toBe(400);
    expect((await jsonOf(byName)).errors[0]).toMatchObject({
      field: 'ref',
      in: 'path',
      expected: 'a model id like mdl_…',
    });
  });
});

describe('corrupt uploads are refused and nothing is stored', () => {
  const good = randomModelBytes(4);
  const tensors = (over: Record<string, { shape: number[]; data: Float32Array }>) => {
    const m = randomModel(4);
    return encodeSafetensors({
      W1: m.params.W1,
      b1: m.params.b1,
      W2: m.params.W2,
      b2: m.params.b2,
      ...over,
    } as never);
  };
  const withNaN = (() => {
    const m = randomModel(4);
    const W2 = m.params.W2.data.slice();
    W2[3] = Number.NaN;
    return tensors({ W2: { shape: [10, 4], data: W2 } });
  })();
  const header = (json: string) => {
    const h = new TextEncoder().encode(json);
    const out = new Uint8Array(8 + h.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    return out;
  };
  it.each([
    [
      'empty',
      new Uint8Array(0),
      'upload: file is 0 bytes, expected at least 8 (the header length)',
    ],
    ['truncated', good.subarray(0, good.length - 4), 'go beyond the data section'],
    [
      'huge header length',
      (() => {
        const b = good.slice();
        new DataView(b.buffer).setBigUint64(0, 2n ** 60n, true);
        return b;
      })(),
      'beyond the 100 MB limit',
    ],
    ['header not JSON', header('{"W1": nope}'), 'header is not valid UTF-8 JSON'],
    [
      'wrong dtype',
      header('{"W1":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}'),
      'dtype "F16" is not supported',
    ],
    ['missing tensor', encodeSafetensors({ W1: randomModel(4).params.W1 }), 'missing tensor b1'],
    [
      'extra tensor',
      tensors({ W3: { shape: [1], data: new Float32Array(1) } }),
      'unexpected tensors W3',
    ],
    ['wrong shape', tensors({ W2: { shape: [9, 4], data: new Float32Array(36) } }), 'wrong shapes'],
    ['NaN weight', withNaN, 'W2 has a non-finite value (NaN) at index 3'],
    [
      'config not an object',
      encodeSafetensors({ ...randomModel(4).params } as never, { config: '[1,2]' }),
      'metadata config must be a JSON object',
    ],
    [
      'accuracy out of range',
      encodeSafetensors({ ...randomModel(4).params } as never, { test_accuracy: '7' }),
      'metadata test_accuracy must be a number in [0, 1]',
    ],
  ])('%s', async (_name, bytes, message) => {
    const before = files();
    const count = api.registry.size();
    const res = await upload(bytes);
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.type).toBe('/problems/invalid-model');
    expect(body.error).toContain(message);
    expect(files()).toEqual(before);
    expect(api.registry.size()).toBe(count);
  });

  it('415 without the octet-stream content type, 413 over the upload limit', async () => {
    const res = await api.app.request('/v1/models', {
      method: 'POST',
      body: good,
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(415);
    expect((await jsonOf(res)).error).toBe(
      'expected Content-Type application/octet-stream (a safetensors file), got application/json',
    );
    const small = testApp({ uploadLimit: 1024 });
    try {
      const big = await small.app.request('/v1/models', {
        method: 'POST',
        body: good,
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(big.status).toBe(413);
      expect(await jsonOf(big)).toMatchObject({ type: '/problems/payload-too-large', limit: 1024 });
    } finally {
      await small.done();
    }
  });
});

describe('access', () => {
  it('401 without a token, 401 invalid_token with a wrong one (RFC 6750), for every route that changes state', async () => {
    const id = 'mdl_0000000000aaaaaaaaaa';
    const calls: [string, RequestInit][] = [
      [
        '/v1/models',
        {
          method: 'POST',
          body: randomModelBytes(),
          headers: { 'content-type': 'application/octet-stream' },
        },
      ],
      [`/v1/models/${id}`, { method: 'DELETE' }],
    ];
    for (const [path, init] of calls) {
      const none = await api.app.request(path, init);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="mnist-api"');
      expect(await jsonOf(none)).toMatchObject({
        type: '/problems/unauthorized',
        error: `${init.method} ${path} needs Authorization: Bearer <token>`,
      });
      const wrong = await api.app.request(path, {
        ...init,
        headers: { ...(init.headers as object), authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="mnist-api", error="invalid_token"/,
      );
      expect(await jsonOf(wrong)).toMatchObject({
        type: '/problems/unauthorized',
        error: 'the bearer token is not valid for this server',
      });
      const basic = await api.app.request(path, {
        ...init,
        headers: { ...(init.headers as object), authorization: 'Basic YTpi' },
      });
      expect(basic.status).toBe(401);
      expect((await jsonOf(basic)).error).toBe(
        'expected Authorization: Bearer <token>, got a "Basic" credential',
      );
    }
  });

  it('reads stay open unless configured', async () => {
    expect((await api.app.request('/v1/models')).status).toBe(200);
    const closed = testApp({ token: TOKEN, authReads: true });
    try {
      expect((await closed.app.request('/v1/models')).status).toBe(401);
      expect((await closed.app.request('/v1/models', { headers: auth })).status).toBe(200);
      expect((await closed.app.request('/v2/health/live')).status).toBe(200);
      expect((await closed.app.request('/openapi.json')).status).toBe(200);
    } finally {
      await closed.done();
    }
  });
});

describe('POST /v1/models/{ref}/predict', () => {
  it('classifies one image (784 bytes or 28 rows) or several, like predict()', async () => {
    const row = await jsonOf(api.app.request('/v1/models/digits'));
    const { images } = await mnistTest(3);
    const expected = predict((await api.registry.load(api.registry.resolve(row.id)!)).params, {
      uint8: images,
    });
    const one = Array.from(images.subarray(0, 784));
    const rows = Array.from({ length: 28 }, (_, r) => one.slice(r * 28, r * 28 + 28));
    for (const body of [
      { image: one, encoding: 'uint8' },
      { image: rows, encoding: 'uint8' },
      { image: one.map((v) => v / 255) },
    ]) {
      const res = await api.app.request('/v1/models/digits/predict', jsonInit('POST', body));
      expect(res.status).toBe(200);
      const out = await jsonOf(res);
      expect(out.model).toEqual({ id: row.id, name: 'digits', version: 2 });
      expect(out.predictions).toHaveLength(1);
      expect(out.predictions[0].label).toBe(expected.labels[0]);
      expect(out.predictions[0].probabilities).toHaveLength(10);
    }
    const many = await jsonOf(
      api.app.request(
        `/v1/models/${row.id}/predict`,
        jsonInit('POST', {
          images: [0, 1, 2].map((j) => Array.from(images.subarray(j * 784, j * 784 + 784))),
          encoding: 'uint8',
        }),
      ),
    );
    expect(many.predictions.map((p: { label: number }) => p.label)).toEqual(
      Array.from(expected.labels),
    );
  });

  it('refuses bad bodies naming the field', async () => {
    const cases: [unknown, string, string, string][] = [
      [{}, 'image', 'exactly one of image and images', 'neither'],
      [{ image: [1, 2] }, 'image', '784 numbers or 28 arrays of 28 numbers', 'an array of 2'],
      [
        { image: Array.from({ length: 784 }, () => 255) },
        'image[0]',
        'a number in [0, 1] (FP32)',
        '255',
      ],
      [{ image: [], encoding: 'png' }, 'encoding', 'one of "float", "uint8"', '"png"'],
      [{ images: [] }, 'images', 'at least 1 item', 'an array of 0'],
      [{ img: [] }, 'img', 'one of image, images, encoding', 'unknown field "img"'],
    ];
    for (const [body, field, expected, got] of cases) {
      const res = await api.app.request('/v1/models/digits/predict', jsonInit('POST', body));
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).errors).toEqual([{ field, in: 'body', expected, got }]);
    }
    expect(
      (await api.app.request('/v1/models/nothing/predict', jsonInit('POST', { image: [] }))).status,
    ).toBe(404);
  });
});
