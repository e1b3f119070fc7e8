import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inkFromPixels } from './pixels.js';

/** A grey drawing 0..255 (white ink on black) with a blank border, as a drawing on a sheet has. */
const sheet = fc
  .record({ w: fc.integer({ min: 3, max: 20 }), h: fc.integer({ min: 3, max: 20 }) })
  .chain(({ w, h }) =>
    fc.record({
      w: fc.constant(w),
      h: fc.constant(h),
      grey: fc
        .array(fc.integer({ min: 0, max: 255 }), { minLength: w * h, maxLength: w * h })
        .map((a) =>
          a.map((v, i) => (i < w || i >= w * (h - 1) || i % w === 0 || i % w === w - 1 ? 0 : v)),
        ),
    }),
  );

describe('inkFromPixels (properties)', () => {
  it('gives the same ink for white-on-black and black-on-white, grey, RGB, RGBA and 16-bit', () => {
    fc.assert(
      fc.property(sheet, ({ w, h, grey }) => {
        const base = inkFromPixels({ width: w, height: h, channels: 1, data: grey });
        const inverted = inkFromPixels({
          width: w,
          height: h,
          channels: 1,
          data: grey.map((v) => 255 - v),
        });
        const rgb = inkFromPixels({
          width: w,
          height: h,
          channels: 3,
          data: grey.flatMap((v) => [v, v, v]),
        });
        // Black strokes on a transparent sheet: the ink is in the alpha channel.
        const rgba = inkFromPixels({
          width: w,
          height: h,
          channels: 4,
          data: grey.flatMap((v) => [0, 0, 0, v]),
        });
        const deep = inkFromPixels({
          width: w,
          height: h,
          channels: 2,
          data: grey.flatMap((v) => [v * 257, 65535]),
          maxValue: 65535,
        });
        expect(base.polarity).toBe('white-on-black');
        if (grey.some((v) => v > 0)) expect(inverted.polarity).toBe('black-on-white');
        for (const other of [inverted, rgb, rgba, deep])
          for (let i = 0; i < w * h; i++) expect(other.data[i]).toBeCloseTo(base.data[i]!, 5);
        // The strongest ink is 1 and the background 0.
        const top = Math.max(...grey);
        for (let i = 0; i < w * h; i++)
          expect(base.data[i]).toBeCloseTo(top ? grey[i]! / top : 0, 5);
      }),
    );
  });

  it('treats a grey background as no ink', () => {
    // A photo-like sheet: background 200, strokes 40 (dark on light).
    const data = Array.from({ length: 25 }, (_, i) => (i === 12 || i === 13 ? 40 : 200));
    const ink = inkFromPixels({ width: 5, height: 5, channels: 1, data });
    expect(ink.polarity).toBe('black-on-white');
    expect(Array.from(ink.data).filter((v) => v > 0)).toEqual([1, 1]);
  });

  it('names the size mismatch', () => {
    expect(() =>
      inkFromPixels({ width: 3, height: 3, channels: 4, data: new Uint8Array(30) }),
    ).toThrow('luminance: expected 3×3×4 = 36 values, got 30');
    expect(() => inkFromPixels({ width: 0, height: 3, channels: 1, data: [] })).toThrow(
      'expected a positive integer size, got 0×3',
    );
  });
});
