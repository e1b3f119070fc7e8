import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
  type TensorToSave,
} from './safetensors.js';

const bits = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Any float32 by its bit pattern, with -0, ±Infinity and quiet/signalling NaNs made common. */
const float32Bits = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffffffff),
);

const tensorArb: fc.Arbitrary<TensorToSave> = fc
  .array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 })
  .chain((shape) => {
    const n = shape.reduce((a, d) => a * d, 1);
    return fc
      .array(float32Bits, { minLength: n, maxLength: n })
      .map((words) => ({ shape, data: new Float32Array(Uint32Array.from(words).buffer) }));
  });

/** Names: ASCII, any code point, lone surrogates, and keys that are special to JS objects. */
const nameArb = fc
  .oneof(
    fc.string({ maxLength: 6 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 3,
    }),
    fc.constantFrom('__proto__', 'constructor', '0', '10', 'W1', 'b1'),
  )
  .filter((name) => name !== '__metadata__');

const fileArb = fc.record({
  tensors: fc.dictionary(nameArb, tensorArb, { maxKeys: 5 }),
  metadata: fc.dictionary(nameArb, fc.string({ unit: 'binary', maxLength: 8 }), { maxKeys: 3 }),
});

/** Decodes, returning 'rejected' for a SafetensorsError and rethrowing anything else. */
function tryDecode(bytes: Uint8Array): ReturnType<typeof decodeSafetensors> | 'rejected' {
  try {
    return decodeSafetensors(bytes, 'prop.safetensors');
  } catch (err) {
    if (err instanceof SafetensorsError) return 'rejected';
    throw err;
  }
}

describe('safetensors properties', () => {
  it('round-trips tensors bit-exactly, with metadata', () => {
    fc.assert(
      fc.property(fileArb, ({ tensors, metadata }) => {
        const decoded = decodeSafetensors(encodeSafetensors(tensors, metadata));
        expect(Object.keys(decoded.tensors).sort()).toEqual(Object.keys(tensors).sort());
        for (const [name, { shape, data }] of Object.entries(tensors)) {
          const got = decoded.tensors[name]!;
          expect(got.shape).toEqual(shape);
          expect(bits(got.data)).toEqual(bits(data));
        }
        expect(Object.entries(decoded.metadata).sort()).toEqual(Object.entries(metadata).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every strict prefix of a valid file with a SafetensorsError', () => {
    fc.assert(
      fc.property(fileArb, ({ tensors, metadata }) => {
        const bytes = encodeSafetensors(tensors, metadata);
        for (let len = 0; len < bytes.length; len++) {
          expect(tryDecode(bytes.subarray(0, len))).toBe('rejected');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rejects appended bytes as trailing bytes', () => {
    fc.assert(
      fc.property(fileArb, fc.uint8Array({ minLength: 1, maxLength: 9 }), ({ tensors }, junk) => {
        const good = encodeSafetensors(tensors);
        const bytes = new Uint8Array(good.length + junk.length);
        bytes.set(good);
        bytes.set(junk, good.length);
        expect(() => decodeSafetensors(bytes, 'junk')).toThrow(/^junk: trailing bytes: /);
      }),
    );
  });

  it('never throws anything but SafetensorsError when header bytes are flipped', () => {
    const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(fileArb, flips, ({ tensors, metadata }, edits) => {
        const bytes = encodeSafetensors(tensors, metadata);
        const headerEnd = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
        for (const [at, value] of edits) bytes[at % headerEnd] = value;
        const result = tryDecode(bytes);
        if (result === 'rejected') return;
        // Whatever decoded must still be self-consistent.
        for (const { shape, data } of Object.values(result.tensors)) {
          expect(data.length).toBe(shape.reduce((a, d) => a * d, 1));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but SafetensorsError on random headers with plausible entries', () => {
    const smallInt = fc.integer({ min: -2, max: 40 });
    const info = fc.record(
      {
        dtype: fc.oneof(fc.constantFrom('F32', 'F16', 'I64'), fc.jsonValue()),
        shape: fc.oneof(fc.array(smallInt, { maxLength: 3 }), fc.jsonValue()),
        data_offsets: fc.oneof(fc.tuple(smallInt, smallInt), fc.array(smallInt), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const header = fc.dictionary(
      fc.oneof(nameArb, fc.constant('__metadata__')),
      fc.oneof(info, fc.jsonValue(), fc.dictionary(fc.string(), fc.string())),
      { maxKeys: 4 },
    );
    const fileBytes = fc
      .tuple(header, fc.uint8Array({ maxLength: 48 }), fc.nat(3))
      .map(([h, data, pad]) => {
        const json = new TextEncoder().encode(JSON.stringify(h) + ' '.repeat(pad));
        const bytes = new Uint8Array(8 + json.length + data.length);
        new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
        bytes.set(json, 8);
        bytes.set(data, 8 + json.length);
        return bytes;
      });
    fc.assert(
      fc.property(fileBytes, (bytes) => {
        const result = tryDecode(bytes);
        if (result === 'rejected') return;
        for (const { shape, data } of Object.values(result.tensors)) {
          expect(data.length).toBe(shape.reduce((a, d) => a * d, 1));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
