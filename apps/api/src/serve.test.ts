import { describe, expect, it } from 'vitest';
import { jsonOf, randomModel, testApp } from '../test/helpers.js';
import { ensureDefaultModel } from './serve.js';

describe('ensureDefaultModel', () => {
  it('queues the fast preset once when there is no model, and ready says which job will bring one', async () => {
    const api = testApp();
    try {
      const id = ensureDefaultModel(api, 'http://127.0.0.1:3000');
      expect(id).toMatch(/^job_/);
      expect(api.jobs.get(id!)).toMatchObject({
        modelName: 'mnist',
        config: { preset: 'fast', limit: 0, epochs: 12, threads: 1 },
      });
      expect(ensureDefaultModel(api, 'http://127.0.0.1:3000')).toBe(id); // already pending
      const ready = await api.app.request('/v2/health/ready');
      expect(ready.status).toBe(503);
      expect((await jsonOf(ready)).error).toBe(
        `no model is available yet; training job ${id} (${api.jobs.get(id!)!.status}) will register model mnist`,
      );
      const infer = await api.app.request('/v2/models/mnist/ready');
      expect(infer.status).toBe(503);
      await api.jobs.cancel(id!);
    } finally {
      await api.done();
    }
  });

  it('does nothing when a model exists', async () => {
    const api = testApp();
    try {
      await api.registry.register(randomModel(), { name: 'other', source: 'upload', jobId: null });
      expect(ensureDefaultModel(api, 'http://x')).toBeNull();
      expect(api.jobs.table.list({ limit: 10 })).toEqual([]);
    } finally {
      await api.done();
    }
  });
});
