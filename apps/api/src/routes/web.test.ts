import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { predict } from '@mnist/net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, mnistTest, randomModelBytes, testApp } from '../../test/helpers.js';
import { PAGE_CSP, webDir } from './web.js';

let api: ReturnType<typeof testApp>;
beforeAll(() => {
  api = testApp({ token: 'sesame', authReads: true });
});
afterAll(() => api.done());

describe('the web page', () => {
  it('is served at / from the built @mnist/web, with its own CSP, open even when reads need the token', async () => {
    const res = await api.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const html = await res.text();
    expect(html).toBe(readFileSync(join(webDir(), 'index.html'), 'utf8'));
    // Every script and stylesheet the page names is served by the API itself.
    const assets = [...html.matchAll(/(?:src|href)="(\/app\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.sort()).toEqual(['/app/app.css', '/app/app.js']);
    for (const path of assets) {
      const a = await api.app.request(path);
      expect(a.status).toBe(200);
      expect((await a.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect(html).not.toMatch(/https?:\/\//); // no CDN
  });

  it('answers 404 problems for unknown assets, and the API stays guarded', async () => {
    for (const path of [
      '/app/nope.js',
      '/app/..%2Fpackage.json',
      '/app/.hidden.js',
      '/app/x.exe',
    ]) {
      const res = await api.app.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await api.app.request('/v1/models')).status).toBe(401);
  });
});

describe('GET /v1/models/{ref}/evaluation', () => {
  it('gives the loss, accuracy and confusion matrix of a model on the 10,000 test images', async () => {
    const auth = { authorization: 'Bearer sesame' };
    const up = await jsonOf(
      api.app.request('/v1/models?name=ev', {
        method: 'POST',
        body: randomModelBytes(10, 7),
        headers: { 'content-type': 'application/octet-stream', ...auth },
      }),
    );
    const res = await api.app.request(`/v1/models/${up.id}/evaluation`, { headers: auth });
    expect(res.status).toBe(200);
    const e = await jsonOf(res);
    // An independent count over the same images with predict().
    const test = await mnistTest(10_000);
    const model = await api.registry.load(api.registry.resolve(up.id)!);
    const p = predict(model.params, { uint8: test.images });
    const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    for (let j = 0; j < 10_000; j++) confusion[test.labels[j]!]![p.labels[j]!]!++;
    expect(e.confusion).toEqual(confusion);
    expect(e.count).toBe(10_000);
    expect(e.accuracy).toBeCloseTo(confusion.reduce((a, r, t) => a + r[t]!, 0) / 10_000, 10);
    expect(e.loss).toBeGreaterThan(0);
    expect(e.model).toEqual({ id: up.id, name: 'ev', version: 1 });
    expect(
      (await api.app.request('/v1/models/nosuchmodel/evaluation', { headers: auth })).status,
    ).toBe(404);
  });
});
