import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonInit, jsonOf, testApp } from '../../test/helpers.js';

let api: ReturnType<typeof testApp>;
beforeAll(() => {
  api = testApp({ bodyLimit: 2048, cors: ['http://dash.local'], token: 't' });
});
afterAll(() => api.done());

describe('OpenAPI and docs', () => {
  it('serves an OpenAPI 3.1 document listing every route, with bearer auth on the ones that change state', async () => {
    const res = await api.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = await jsonOf(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/metrics',
        '/problems/{slug}',
        '/v1/models',
        '/v1/models/{ref}',
        '/v1/models/{ref}/evaluation',
        '/v1/models/{ref}/onnx',
        '/v1/models/{ref}/predict',
        '/v1/models/{ref}/weights',
        '/v1/trainings',
        '/v1/trainings/{id}',
        '/v1/trainings/{id}/cancel',
        '/v1/trainings/{id}/events',
        '/v1/trainings/{id}/history',
        '/v1/trainings/{id}/learning-rate',
        '/v1/trainings/{id}/metrics',
        '/v1/trainings/{id}/pause',
        '/v1/trainings/{id}/resume',
        '/v1/trainings/{id}/weights',
        '/v2',
        '/v2/health/live',
        '/v2/health/ready',
        '/v2/models/{name}',
        '/v2/models/{name}/infer',
        '/v2/models/{name}/ready',
        '/v2/models/{name}/versions/{version}',
        '/v2/models/{name}/versions/{version}/infer',
        '/v2/models/{name}/versions/{version}/ready',
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/trainings'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/models/{ref}'].delete.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v2/models/{name}/infer'].post.security).toBeUndefined();
    expect(doc.components.schemas.InferRequest.properties.inputs.type).toBe('array');
    expect(doc.components.schemas.TrainConfigInput.additionalProperties).toBe(false);
    expect(
      doc.paths['/v2/models/{name}/infer'].post.responses['400'].content[
        'application/problem+json'
      ],
    ).toBeDefined();
  });

  it('serves a docs page and its assets from the local swagger-ui-dist (offline)', async () => {
    const page = await api.app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const js = await api.app.request('/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await js.text()).length).toBeGreaterThan(100_000);
    expect(await (await api.app.request('/docs/init.js')).text()).toContain("url: '/openapi.json'");
    expect((await api.app.request('/docs/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await api.app.request('/docs/assets/index.html')).status).toBe(404);
  });

  it('describes each problem type', async () => {
    expect(await jsonOf(api.app.request('/problems/invalid-request'))).toMatchObject({
      type: '/problems/invalid-request',
      status: 400,
      title: 'Invalid request',
    });
    expect((await api.app.request('/problems/nope')).status).toBe(400);
  });
});

describe('HTTP behaviour', () => {
  it('404 problem for unknown routes', async () => {
    const res = await api.app.request('/v3/nothing');
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toMatchObject({
      type: '/problems/not-found',
      error: 'no route GET /v3/nothing; the routes are listed at /openapi.json',
    });
  });

  it('405 with Allow for a known route and the wrong method', async () => {
    const res = await api.app.request('/v2/health/live', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await jsonOf(res)).toMatchObject({
      type: '/problems/method-not-allowed',
      error: 'DELETE is not allowed on /v2/health/live; allowed: GET, HEAD',
    });
  });

  it('413 for a JSON body over the limit, before it is parsed', async () => {
    const res = await api.app.request(
      '/v2/models/mnist/infer',
      jsonInit('POST', { pad: 'x'.repeat(4096) }),
    );
    expect(res.status).toBe(413);
    expect(await jsonOf(res)).toMatchObject({
      type: '/problems/payload-too-large',
      status: 413,
      limit: 2048,
      error: 'the body is larger than 2048 bytes, the limit of POST /v2/models/mnist/infer',
    });
    const chunked = new ReadableStream({
      start(c) {
        for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode('x'.repeat(512)));
        c.close();
      },
    });
    const streamed = await api.app.request('/v2/models/mnist/infer', {
      method: 'POST',
      body: chunked,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('puts a request id on every response, keeping a well-formed incoming one', async () => {
    const own = await api.app.request('/v2/health/live', {
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(own.headers.get('x-request-id')).toBe('trace-42');
    const generated = await api.app.request('/v3/nothing', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await jsonOf(generated)).requestId).toBe(generated.headers.get('x-request-id'));
  });

  it('sets secure headers and a restrictive CSP on API responses', async () => {
    const res = await api.app.request('/v2/health/live');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers CORS for configured origins only', async () => {
    const pre = await api.app.request('/v1/trainings', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://dash.local',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://dash.local');
    expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
    const other = await api.app.request('/v2/health/live', {
      headers: { origin: 'http://evil.local' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const plain = testApp();
    try {
      expect(
        (
          await plain.app.request('/v2/health/live', { headers: { origin: 'http://dash.local' } })
        ).headers.get('access-control-allow-origin'),
      ).toBeNull();
    } finally {
      await plain.done();
    }
  });
});
