import { Rng } from '@mnist/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  columnsToRows,
  examplesArb,
  forward64,
  gatherExamples,
  maxRelErr,
  randomParams,
  runs,
  toParams64,
} from '../../test/reference.js';
import { predict } from '../model/predict.js';
import { toTensors } from '../train/examples.js';
import { forward } from './forward.js';

const caseArb = fc.record({
  H: fc.integer({ min: 1, max: 10 }),
  examples: examplesArb(1, 10, 120),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  // Up to weights of ±40: Z2 then reaches the thousands, where a naive softmax overflows.
  scale: fc.constantFrom(0.01, 0.5, 3, 40),
});

describe('forward (the notes ①)', () => {
  it('A2 columns are distributions: finite, non-negative, summing to 1 within 1e-6', () => {
    fc.assert(
      fc.property(caseArb, ({ H, examples, seed, scale }) => {
        const { X } = toTensors(examples);
        const { A2 } = forward(randomParams(H, seed, scale), X);
        const m = examples.count;
        expect(A2.shape).toEqual([10, m]);
        for (let j = 0; j < m; j++) {
          let total = 0;
          for (let c = 0; c < 10; c++) {
            const a = A2.data[c * m + j]!;
            expect(Number.isFinite(a) && a >= 0 && a <= 1, `A2[${c}, ${j}] = ${a}`).toBe(true);
            total += a;
          }
          expect(Math.abs(total - 1), `column ${j} sums to ${total}`).toBeLessThanOrEqual(1e-6);
        }
      }),
      { numRuns: runs(80) },
    );
  });

  it('matches the independent float64 forward pass (Z1 and A2)', () => {
    fc.assert(
      fc.property(caseArb, ({ H, examples, seed, scale }) => {
        const p = randomParams(H, seed, Math.min(scale, 3));
        const { X } = toTensors(examples);
        const got = forward(p, X);
        const want = forward64(toParams64(p), examples.pixels, examples.labels, examples.count);
        const m = examples.count;
        // Z1 is a float32 sum of up to 120 products of size ~1: a few ε32 of that, ~1e-6
        // absolute, is all it owes; A2 is then relative to Z2 differences.
        const z1 = maxRelErr(columnsToRows(got.Z1.data, H, m), want.Z1, 1e-2);
        expect(z1.err, `Z1 (row per example) at ${z1.at}`).toBeLessThanOrEqual(1e-4);
        const a2 = maxRelErr(columnsToRows(got.A2.data, 10, m), want.A2, 1e-6);
        expect(a2.err, `A2 (row per example) at ${a2.at}`).toBeLessThanOrEqual(1e-3);
        for (let i = 0; i < got.A1.size; i++)
          expect(got.A1.data[i]).toBe(Math.max(0, got.Z1.data[i]!));
      }),
      { numRuns: runs(60) },
    );
  });

  it('is invariant to the order of examples: permuted columns of X give permuted columns of A2', () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), ({ H, examples, seed, scale }, shuffleSeed) => {
        const p = randomParams(H, seed, scale);
        const m = examples.count;
        const perm = new Rng(shuffleSeed).shuffle(Uint32Array.from({ length: m }, (_, i) => i));
        const permuted = gatherExamples(examples, perm);
        const A2 = forward(p, toTensors(examples).X).A2.data;
        const B2 = forward(p, toTensors(permuted).X).A2.data;
        // Each column is computed on its own, in the same order: bit-identical, not just close.
        for (let i = 0; i < m; i++) {
          for (let c = 0; c < 10; c++) expect(B2[c * m + i]).toBe(A2[c * m + perm[i]!]);
        }
        const before = predict(p, { uint8: examples.pixels });
        const after = predict(p, { uint8: permuted.pixels });
        for (let i = 0; i < m; i++) {
          expect(after.labels[i]).toBe(before.labels[perm[i]!]);
          expect(after.probabilities.subarray(i * 10, i * 10 + 10)).toEqual(
            before.probabilities.subarray(perm[i]! * 10, perm[i]! * 10 + 10),
          );
        }
      }),
      { numRuns: runs(60) },
    );
  });
});
