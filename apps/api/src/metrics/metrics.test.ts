import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonInit, randomModel, testApp } from '../../test/helpers.js';
import { histogramOf, type PromFamily, parsePromText, sampleValue } from '../../test/prom-text.js';
import { JOB_STATUSES } from '../db/jobs.js';
import { DURATION_BUCKETS } from './api.js';

let api: ReturnType<typeof testApp>;
beforeAll(async () => {
  api = testApp();
  await api.registry.register(randomModel(10, 1), { name: 'mnist', source: 'upload', jobId: null });
});
afterAll(() => api.done());

/** `/metrics` through a strict Prometheus text-format reader. */
async function scrape(): Promise<Map<string, PromFamily>> {
  const res = await api.app.request('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePromText(await res.text());
}
/** A counter that has not been incremented yet has no series: count it as 0. */
const orZero = (v: number) => (Number.isNaN(v) ? 0 : v);

describe('/metrics', () => {
  it('parses as the Prometheus text format with the documented series and types', async () => {
    const m = await scrape();
    const types: Record<string, PromFamily['type']> = {
      http_requests_total: 'counter',
      http_request_duration_seconds: 'histogram',
      mnist_inference_images_total: 'counter',
      mnist_training_jobs: 'gauge',
      mnist_models: 'gauge',
      mnist_sse_clients: 'gauge',
      nodejs_eventloop_lag_p99_seconds: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_gc_duration_seconds: 'histogram',
      process_cpu_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
    };
    for (const [name, type] of Object.entries(types)) {
      expect(m.get(name)?.type, name).toBe(type);
      expect(m.get(name)?.help.length, name).toBeGreaterThan(0);
    }
    expect(sampleValue(m, 'mnist_models')).toBe(1);
    expect(sampleValue(m, 'mnist_sse_clients')).toBe(0);
    expect(sampleValue(m, 'process_resident_memory_bytes')).toBeGreaterThan(1e6);
    expect(sampleValue(m, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    // Every job status has a sample, zero included, so a dashboard never sees a gap.
    const jobs = m.get('mnist_training_jobs')!.samples;
    expect(jobs.map((s) => s.labels.status).sort()).toEqual([...JOB_STATUSES].sort());
    expect(jobs.every((s) => s.value === 0)).toBe(true);
  });

  it('counts requests and their durations per route template and status', async () => {
    const ok = { method: 'GET', route: '/v1/models/:ref', status: '200' };
    const missing = { ...ok, status: '404' };
    const before = await scrape();
    await api.app.request('/v1/models/mnist');
    await api.app.request('/v1/models/mnist');
    await api.app.request('/v1/models/nope');
    const after = await scrape();
    const count = (m: Map<string, PromFamily>, l: Record<string, string>) =>
      orZero(sampleValue(m, 'http_requests_total', l));
    expect(count(after, ok)).toBe(count(before, ok) + 2);
    expect(count(after, missing)).toBe(count(before, missing) + 1);
    // One series per template, never one per raw path.
    const routes = after.get('http_requests_total')!.samples.map((s) => s.labels.route);
    expect(routes).not.toContain('/v1/models/mnist');
    expect(routes).not.toContain('/v1/models/nope');
    for (const labels of [ok, missing]) {
      const h = histogramOf(after, 'http_request_duration_seconds', labels);
      expect(h.count).toBe(count(after, labels));
      expect(h.sum).toBeGreaterThan(0);
      expect(h.buckets.map(([le]) => le)).toEqual([...DURATION_BUCKETS, Number.POSITIVE_INFINITY]);
      for (let i = 1; i < h.buckets.length; i++)
        expect(h.buckets[i]![1]).toBeGreaterThanOrEqual(h.buckets[i - 1]![1]);
      expect(h.buckets.at(-1)![1]).toBe(h.count);
    }
  });

  it('labels unknown paths as one route (bounded cardinality)', async () => {
    const labels = { method: 'GET', route: 'unmatched', status: '404' };
    const before = orZero(sampleValue(await scrape(), 'http_requests_total', labels));
    await api.app.request('/no/such/path/1');
    await api.app.request('/no/such/path/2');
    expect(sampleValue(await scrape(), 'http_requests_total', labels)).toBe(before + 2);
  });

  it('counts the images classified, by model and protocol', async () => {
    const labels = { model: 'mnist', protocol: 'simple' };
    const before = orZero(sampleValue(await scrape(), 'mnist_inference_images_total', labels));
    const image = Array.from({ length: 784 }, (_, i) => (i % 7) / 7);
    const res = await api.app.request(
      '/v1/models/mnist/predict',
      jsonInit('POST', { images: [image, image, image] }),
    );
    expect(res.status).toBe(200);
    expect(sampleValue(await scrape(), 'mnist_inference_images_total', labels)).toBe(before + 3);
  });
});
