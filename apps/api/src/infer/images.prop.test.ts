import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../problem.js';
import { decodeImages } from './images.js';

const o = { dataPath: 'data', shapePath: 'shape', maxBatch: 8 };

describe('decodeImages (properties)', () => {
  it('nested and flat layouts of the same bytes decode alike', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (n, seed) => {
          const flat = Array.from({ length: n * 784 }, (_, i) => (i * 7919 + seed) % 256);
          const nested = Array.from({ length: n }, (_, j) =>
            Array.from({ length: 28 }, (_, r) =>
              flat.slice(j * 784 + r * 28, j * 784 + r * 28 + 28),
            ),
          );
          const a = decodeImages(flat, [n, 784], 'UINT8', o);
          const b = decodeImages(nested, [n, 28, 28], 'UINT8', o);
          expect(b.images).toEqual(a.images);
          expect(Array.from((a.images as { uint8: Uint8Array }).uint8)).toEqual(flat);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('anything else is refused with a ProblemError (never another exception)', () => {
    const junk = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.string(),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.anything(), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('FP32', 'UINT8'),
        fc.array(junk, { maxLength: 40 }),
        (shape, datatype, data) => {
          try {
            decodeImages(data, shape, datatype as 'FP32' | 'UINT8', o);
          } catch (e) {
            expect(e).toBeInstanceOf(ProblemError);
            expect((e as ProblemError).status).toBe(400);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
