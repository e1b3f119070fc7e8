import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from './color.js';
import { diverging, GREY, halfBlocks, resample } from './heatmap.js';

describe('resample', () => {
  it('is the identity at the same size', () => {
    expect(Array.from(resample([1, 2, 3, 4], 2, 2, 2, 2))).toEqual([1, 2, 3, 4]);
  });
  it('averages the area under each pixel', () => {
    expect(Array.from(resample([1, 2, 3, 4], 2, 2, 1, 1))).toEqual([2.5]);
    expect(Array.from(resample([0, 3, 6], 3, 1, 2, 1))).toEqual([1, 5]);
  });
  it('keeps the mean of an image (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 784, maxLength: 784 }),
        fc.integer({ min: 1, max: 28 }),
        (px, n) => {
          const out = resample(px, 28, 28, n, n);
          const mean = (a: ArrayLike<number>) =>
            Array.from(a).reduce((s, v) => s + v, 0) / a.length;
          expect(mean(out)).toBeCloseTo(mean(px), 3);
        },
      ),
    );
  });
});

describe('halfBlocks', () => {
  it('draws two pixel rows per line: ⌈h/2⌉ lines of w cells', () => {
    const lines = halfBlocks(new Float32Array(5 * 3), 5, 3, GREY, '256');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect([...stripAnsi(l)]).toEqual(['▀', '▀', '▀', '▀', '▀']);
  });
  it('uses the upper pixel as foreground and the lower as background', () => {
    const [line] = halfBlocks([255, 0], 1, 2, GREY, '256');
    expect(line).toBe('\x1b[38;5;231;48;5;16m▀\x1b[0m');
  });
  it('draws thresholded half blocks without colour', () => {
    expect(halfBlocks([255, 0, 0, 255, 255, 0, 255, 0], 4, 2, GREY, 'none')).toEqual(['█ ▄▀']);
  });
  it('maps signs to glyphs without colour and to hues with it', () => {
    const s = diverging(1);
    expect(s.glyph(1, 1)).toBe('▓');
    expect(s.glyph(-1, -1)).toBe('≡');
    expect(s.glyph(0.01, 0)).toBe(' ');
    const pos = s.color(1);
    const neg = s.color(-1);
    expect(pos[0]).toBeGreaterThan(pos[2]);
    expect(neg[2]).toBeGreaterThan(neg[0]);
    expect(s.color(0)).toEqual([0, 0, 0]);
  });
});
