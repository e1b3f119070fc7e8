import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '@mnist/net';
import { afterAll, describe, expect, it } from 'vitest';
import { reduce } from '../state/reducer.js';
import { initialState } from '../state/state.js';
import { evaluation, FakeSource, progress, start, stripeWeights } from '../test-support/fake.js';
import { modelFromState, saveCurrent } from './save.js';

const dir = await mkdtemp(join(tmpdir(), 'tui-save-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('saving the weights of the latest evaluation', () => {
  const w = stripeWeights(3);
  const s = [start(), progress(10, 1), evaluation(10, w), progress(20, 1)].reduce(
    (st, event) => reduce(st, { type: 'event', event }),
    initialState(),
  );

  it('builds a model with the run’s config and the evaluation’s accuracy', () => {
    const m = modelFromState(s, new Date('2026-01-01T00:00:00Z'))!;
    expect(m.params.W1.shape).toEqual([3, 784]);
    expect(m.meta).toMatchObject({
      hidden: 3,
      seed: 1,
      testAccuracy: s.evaluation!.test.accuracy,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(m.meta.config).toMatchObject({ preset: 'fast' });
  });
  it('writes a model file that loads back bit for bit, and says which step it holds', async () => {
    const path = join(dir, 'm.safetensors');
    expect(await saveCurrent(path, s, new FakeSource())).toBe(10);
    const back = await loadModel(path);
    expect(back.params.W1.data).toEqual(w.W1);
    expect(back.params.W2.data).toEqual(w.W2);
  });
  it('saves the final model of a finished run', async () => {
    const final = modelFromState(s)!;
    const source = Object.assign(new FakeSource(), {
      finalModel: async () => ({ ...final, meta: { ...final.meta, testAccuracy: 0.99 } }),
    });
    const done = reduce(s, {
      type: 'event',
      event: {
        type: 'done',
        result: {
          step: 20,
          totalSteps: 20,
          epoch: 1,
          iteration: 20,
          elapsedMs: 1,
          reason: 'completed',
          config: s.config!,
          train: s.evaluation!.train,
          test: s.evaluation!.test,
          validation: null,
        },
      },
    });
    const path = join(dir, 'final.safetensors');
    expect(await saveCurrent(path, done, source)).toBe(20);
    expect((await loadModel(path)).meta.testAccuracy).toBe(0.99);
  });
  it('refuses before the first evaluation, saying why', async () => {
    await expect(
      saveCurrent(join(dir, 'x.safetensors'), initialState(), new FakeSource()),
    ).rejects.toThrow(/first evaluation/);
  });
});
