import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdxError, parseIdx } from './idx.js';

/** An independent IDX writer: the oracle the parser is checked against. */
function idxBytes(dims: readonly number[], payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + payload.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, 0x08, dims.length]);
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d, false);
  bytes.set(payload, 4 + 4 * dims.length);
  return bytes;
}

/** Random valid IDX contents: rank 1..3, small dims (0 allowed), a payload that fits. */
const idxArb = fc
  .array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 })
  .chain((dims) => {
    const n = dims.reduce((a, d) => a * d, 1);
    return fc.record({
      dims: fc.constant(dims),
      payload: fc.uint8Array({ minLength: n, maxLength: n }),
    });
  });

function throwsIdxError(fn: () => unknown): boolean {
  try {
    fn();
  } catch (err) {
    if (err instanceof IdxError) return true;
    throw err;
  }
  return false;
}

describe('parseIdx properties', () => {
  it('round-trips dims and payload of any valid file', () => {
    fc.assert(
      fc.property(idxArb, ({ dims, payload }) => {
        const parsed = parseIdx(idxBytes(dims, payload), 'rand');
        expect(parsed.dims).toEqual(dims);
        expect(parsed.data).toEqual(payload);
      }),
    );
  });

  it('rejects every strict prefix of a valid file with an IdxError', () => {
    fc.assert(
      fc.property(idxArb, ({ dims, payload }) => {
        const bytes = idxBytes(dims, payload);
        for (let len = 0; len < bytes.length; len++) {
          expect(throwsIdxError(() => parseIdx(bytes.subarray(0, len), 'prefix'))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('rejects appended junk as trailing bytes', () => {
    fc.assert(
      fc.property(idxArb, fc.uint8Array({ minLength: 1, maxLength: 16 }), (idx, junk) => {
        const good = idxBytes(idx.dims, idx.payload);
        const bytes = new Uint8Array(good.length + junk.length);
        bytes.set(good);
        bytes.set(junk, good.length);
        expect(() => parseIdx(bytes, 'junk')).toThrow(/^junk: trailing bytes after payload/);
      }),
    );
  });

  it('throws nothing but IdxError on arbitrary bytes, with or without a valid magic', () => {
    const magic = fc.integer({ min: 0, max: 4 }).map((rank) => [0, 0, 0x08, rank]);
    const noise = fc
      .tuple(fc.oneof(magic, fc.constant([])), fc.uint8Array({ maxLength: 40 }))
      .map(([head, tail]) => Uint8Array.from([...head, ...tail]));
    fc.assert(
      fc.property(noise, (bytes) => {
        throwsIdxError(() => parseIdx(bytes, 'noise'));
      }),
    );
  });
});
