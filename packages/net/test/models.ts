import { MODEL_FORMAT, type Model } from '../src/model/model.js';
import { randomParams } from './reference.js';

/** A model of hidden width H with seeded random weights and full metadata. */
export function sampleModel(H: number, seed: number): Model {
  return {
    params: randomParams(H, seed),
    meta: {
      format: MODEL_FORMAT,
      hidden: H,
      config: { preset: 'fast', hidden: H, learningRate: 0.003, batchSize: 64, note: 'ünïcødé ✓' },
      trainAccuracy: 0.9375,
      testAccuracy: 0.921,
      seed,
      dataChecksum: 'ab'.repeat(32),
      createdAt: '2026-01-02T03:04:05.678Z',
    },
  };
}
