import { bind } from '@mnist/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleModel } from '../../test/models.js';
import { runs } from '../../test/reference.js';
import { PARAM_NAMES } from '../network/params.js';
import { MODEL_FORMAT, type Model, ModelFileError, modelFromBytes, modelToBytes } from './model.js';

/** Decodes, returning 'rejected' for a ModelFileError and rethrowing anything else. */
function tryModel(bytes: Uint8Array): Model | 'rejected' {
  try {
    return modelFromBytes(bytes, 'prop.safetensors');
  } catch (e) {
    if (e instanceof ModelFileError) {
      expect(e.message.startsWith('prop.safetensors: ')).toBe(true);
      return 'rejected';
    }
    throw e;
  }
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Any finite float32 by its bit pattern (−0, subnormals, the extremes included). */
const finiteFloat32 = fc
  .integer({ min: 0, max: 0xffffffff })
  .filter((w) => (w & 0x7f800000) !== 0x7f800000)
  .map((w) => new Float32Array(Uint32Array.of(w).buffer)[0]!);

const modelArb: fc.Arbitrary<Model> = fc
  .record({
    H: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer(),
    special: fc.array(fc.tuple(fc.nat(), finiteFloat32), { maxLength: 20 }),
    config: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    }),
    accuracy: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    createdAt: fc.string({ maxLength: 30 }),
  })
  .map(({ H, seed, special, config, accuracy, createdAt }) => {
    const base = sampleModel(H, seed);
    // Plant arbitrary finite float32 values (by bit pattern) across the weights.
    const all = PARAM_NAMES.map((n) => base.params[n].data);
    for (const [at, v] of special) {
      const t = all[at % 4]!;
      t[at % t.length] = v;
    }
    return {
      params: base.params,
      meta: { ...base.meta, config, trainAccuracy: accuracy, testAccuracy: accuracy, createdAt },
    };
  });

describe('model files: properties', () => {
  it('round-trip: the same weights bit for bit, the same metadata', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const back = modelFromBytes(modelToBytes(model));
        for (const n of PARAM_NAMES) {
          expect(back.params[n].shape).toEqual(model.params[n].shape);
          expect(bits(back.params[n].data)).toEqual(bits(model.params[n].data));
        }
        // JSON does not keep −0 in the config; compare what JSON keeps.
        expect(back.meta).toEqual({
          ...model.meta,
          config: JSON.parse(JSON.stringify(model.meta.config)),
        });
        expect(back.meta.format).toBe(MODEL_FORMAT);
      }),
      { numRuns: runs(100) },
    );
  });

  it('every truncation of a small model file is refused with a ModelFileError', () => {
    const bytes = modelToBytes(sampleModel(1, 7));
    for (let n = 0; n < bytes.length; n++) {
      expect(tryModel(bytes.subarray(0, n)), `prefix of ${n} of ${bytes.length} bytes`).toBe(
        'rejected',
      );
    }
    expect(tryModel(bytes)).not.toBe('rejected');
  });

  it('any truncation of any model file is refused with a ModelFileError', () => {
    fc.assert(
      fc.property(
        modelArb.chain((m) => {
          const bytes = modelToBytes(m);
          return fc.tuple(fc.constant(bytes), fc.integer({ min: 0, max: bytes.length - 1 }));
        }),
        ([bytes, n]) => {
          expect(tryModel(bytes.subarray(0, n))).toBe('rejected');
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('a corrupted byte gives a ModelFileError or a model that is still well formed', () => {
    fc.assert(
      fc.property(
        modelArb.chain((m) => {
          const bytes = modelToBytes(m);
          return fc.tuple(
            fc.constant(bytes),
            fc.integer({ min: 0, max: bytes.length - 1 }),
            fc.integer({ min: 0, max: 255 }),
          );
        }),
        ([original, at, value]) => {
          const bytes = original.slice();
          bytes[at] = value;
          const m = tryModel(bytes);
          if (m === 'rejected') return;
          const H = m.params.W1.shape[0]!;
          expect(m.meta.hidden).toBe(H);
          // Re-binding checks every shape against the notes' spec with one H.
          bind({ W1: ['h', 784], b1: ['h', 1], W2: [10, 'h'], b2: [10, 1] }, m.params);
          for (const n of PARAM_NAMES) expect(m.params[n].data.every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: runs(300) },
    );
  });
});
