import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FALLBACK, parseFast, parseJson } from './fast-json.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The value with each Float64Array (the fast path's `data`) as the array of its numbers. */
function plain(v: unknown): unknown {
  if (v instanceof Float64Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Every key of every object, in order (toEqual ignores key order). */
function keyOrder(v: unknown): string[] {
  if (v instanceof Float64Array) return [];
  if (Array.isArray(v)) return v.flatMap(keyOrder);
  if (v !== null && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => [k, ...keyOrder(x)]);
  return [];
}

/** The fast path either declines or gives JSON.parse's value (-0, key order and duplicates included). */
function agrees(text: string): 'fast' | 'fallback' {
  let reference: unknown;
  try {
    reference = JSON.parse(text);
  } catch {
    expect(parseFast(utf8(text))).toBe(FALLBACK); // never accepts what JSON.parse refuses
    return 'fallback';
  }
  const fast = parseFast(utf8(text));
  if (fast === FALLBACK) return 'fallback';
  expect(plain(fast)).toEqual(reference);
  expect(keyOrder(fast)).toEqual(keyOrder(reference));
  return 'fast';
}

/** JSON text with random whitespace between tokens (JSON.stringify's indent, or none). */
const jsonText = fc
  .tuple(fc.jsonValue(), fc.constantFrom(undefined, 0, 1, 2, '\t', ' \r\n'))
  .map(([v, indent]) => JSON.stringify(v, null, indent));

/** A number as a client might write it, valid in JSON or not. */
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom(
    '0',
    '-0',
    '01',
    '-',
    '1.',
    '.5',
    '1e',
    '1e+',
    '+1',
    '1E+2',
    '1e-7',
    '2.5E3',
    '1e400',
    '-1e400',
    '999999999999999',
    '9999999999999999',
    '12345678901234567890',
    '0.1',
    '-0.0',
    '00',
    '0x10',
    'NaN',
    'Infinity',
    '1_000',
  ),
);

describe('parseFast', () => {
  it('gives JSON.parse’s value for any JSON, or declines', () => {
    fc.assert(
      fc.property(jsonText, (text) => void agrees(text)),
      { numRuns: 1000 },
    );
  });

  it('reads every number of a `data` array as JSON.parse does, and refuses what it refuses', () => {
    fc.assert(
      fc.property(
        fc.array(numberText, { maxLength: 12 }),
        fc.constantFrom(',', ', ', ' ,\n'),
        (numbers, comma) => {
          const list = `[${numbers.join(comma)}]`;
          agrees(`{"inputs":[{"name":"input","data":${list}}]}`);
          agrees(`{"data":${list},"other":${list}}`);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never accepts a body JSON.parse refuses, and agrees on the rest (mutated bodies)', () => {
    const significant = fc.constantFrom(...'[]{}",:\\ -+.0123456789eEtrufalsn\u00e9\u0000x');
    fc.assert(
      fc.property(
        jsonText,
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), significant), { maxLength: 4 }),
        (text, edits) => {
          let t = text;
          for (const [at, kind, ch] of edits) {
            const i = t.length === 0 ? 0 : at % (t.length + 1);
            if (kind === 0) t = t.slice(0, i) + ch + t.slice(i);
            else if (kind === 1) t = t.slice(0, i) + t.slice(i + 1);
            else t = t.slice(0, i) + ch + t.slice(i + 1);
          }
          agrees(t);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes the fast path for the bodies clients send, `data` as a Float64Array', () => {
    const pixels = Array.from({ length: 784 * 3 }, (_, i) => (i * 7919) % 256);
    const body = JSON.stringify({
      id: 'req-1',
      inputs: [{ name: 'input', shape: [3, 784], datatype: 'UINT8', data: pixels }],
      outputs: [{ name: 'labels', parameters: { binary_data: false } }],
    });
    expect(agrees(body)).toBe('fast');
    const fast = parseFast(utf8(body)) as { inputs: { data: unknown }[] };
    expect(fast.inputs[0]!.data).toBeInstanceOf(Float64Array);
    expect(Array.from(fast.inputs[0]!.data as Float64Array)).toEqual(pixels);
    expect(agrees(JSON.stringify({ data: [0.5, 1e-7, -0, 1] }, null, 2))).toBe('fast');
    // a `data` that is not all numbers, or empty, stays an array
    expect(parseFast(utf8('{"data":[1,"a"]}'))).toEqual({ data: [1, 'a'] });
    expect(parseFast(utf8('{"data":[]}'))).toEqual({ data: [] });
  });

  it('reads a `data` array of any length, and the next body after a huge one', () => {
    for (const n of [1023, 1024, 1025, 5000, 300_000, 10]) {
      const values = Array.from({ length: n }, (_, i) => (i * 7919) % 256);
      const fast = parseFast(utf8(JSON.stringify({ data: values }))) as { data: Float64Array };
      expect(fast.data).toHaveLength(n);
      expect(Array.from(fast.data)).toEqual(values);
    }
  });

  it('declines what it does not read: escapes, non-ASCII, __proto__, a byte-order mark', () => {
    for (const text of [
      '{"id":"a\\u0062"}',
      '{"id":"\u00e9"}',
      '{"__proto__":{"x":1}}',
      '\ufeff{"a":1}',
      '{"a":1} x',
      '',
    ])
      expect(parseFast(utf8(text)), text).toBe(FALLBACK);
  });
});

describe('parseJson', () => {
  it('throws JSON.parse’s own error for text it refuses', () => {
    for (const text of ['', '{', '[1,]', '{"a":01}', 'nul', '{"a":1}}']) {
      let expected = '';
      try {
        JSON.parse(text);
      } catch (e) {
        expected = (e as Error).message;
      }
      expect(() => parseJson(utf8(text), () => text)).toThrow(expected);
    }
  });
});
