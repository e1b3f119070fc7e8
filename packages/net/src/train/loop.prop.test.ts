import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistExamples } from '../../test/mnist.js';
import { runs } from '../../test/reference.js';
import type { Params } from '../network/params.js';
import { resolveConfig } from './config.js';
import { sliceExamples } from './examples.js';
import { runTraining, type TrainingData } from './loop.js';
import { wasmKernelAvailable } from './wasm/kernel.js';

let data: TrainingData;
beforeAll(async () => {
  const { train, test } = await mnistExamples();
  data = { train: sliceExamples(train, 0, 400), test: sliceExamples(test, 0, 100) };
});

const bits = (p: Params) =>
  [p.W1, p.b1, p.W2, p.b2].map((t) =>
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  );

const kernels = wasmKernelAvailable() ? (['js', 'wasm'] as const) : (['js'] as const);

describe('runTraining is a function of its config', () => {
  it('same seed → bit-identical weights; another seed → different weights', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          other: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          preset: fc.constantFrom('seed', 'fast') as fc.Arbitrary<'seed' | 'fast'>,
          kernel: fc.constantFrom(...kernels),
          hidden: fc.integer({ min: 1, max: 12 }),
          // 100 per batch: the wasm kernel splits a step over its 2 threads (≥ 32 examples each).
          batchSize: fc.constantFrom(32, 100),
        }),
        ({ seed, other, preset, kernel, hidden, batchSize }) => {
          fc.pre(seed !== other);
          const shape = preset === 'seed' ? { iterations: 5 } : { epochs: 1, batchSize };
          const config = (s: number) =>
            resolveConfig({ preset, seed: s, kernel, threads: 2, hidden, limit: 300, ...shape });
          const a = runTraining(config(seed), data);
          const b = runTraining(config(seed), data);
          const c = runTraining(config(other), data);
          expect(bits(b.params)).toEqual(bits(a.params));
          expect(b.test).toEqual(a.test);
          expect(bits(c.params)[0]!.equals(bits(a.params)[0]!)).toBe(false);
        },
      ),
      { numRuns: runs(8) },
    );
  });
});
