import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DepthScan, jsonDepth } from './json-body.js';

/** The reference: the nesting depth of a parsed value. */
const depthOf = (v: unknown): number =>
  v !== null && typeof v === 'object'
    ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depthOf))
    : 0;

describe('jsonDepth', () => {
  it('equals the depth of the parsed value, for any JSON (brackets in strings do not count)', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'large' }), (text) => {
        expect(jsonDepth(text)).toBe(depthOf(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same depth when the bytes come in pieces cut anywhere (inside strings, escapes and characters too)', () => {
    fc.assert(
      fc.property(
        fc.json({ depthSize: 'large' }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (text, cuts) => {
          const bytes = new TextEncoder().encode(text);
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const scan = new DepthScan();
          let from = 0;
          for (const to of [...at, bytes.length]) {
            scan.feed(bytes.subarray(from, to));
            from = to;
          }
          expect(scan.deepest).toBe(jsonDepth(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stops as soon as the limit is passed', () => {
    expect(jsonDepth('[[[1]]]', 3)).toBe(3);
    expect(jsonDepth('[[[[1]]]]', 3)).toBe(-1);
    expect(jsonDepth(`${'['.repeat(1_000_000)}`, 32)).toBe(-1);
    expect(jsonDepth('{"a":"[[[[\\"[[[["}', 1)).toBe(1);
  });
});
