import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadMnistSplit } from '../data/mnist.js';
import { inkFromPixels } from './pixels.js';
import {
  BOX,
  CENTRE,
  centreOfMass,
  fittedSize,
  INK_THRESHOLD,
  type InkImage,
  inkBounds,
  mnistImage,
  resizeArea,
  SIDE,
} from './preprocess.js';

const blank = (width: number, height: number): InkImage => ({
  width,
  height,
  data: new Float32Array(width * height),
});

/** A drawing: dots of ink (x, y, level) inside a w × h area. */
const drawing = fc
  .record({ w: fc.integer({ min: 1, max: 40 }), h: fc.integer({ min: 1, max: 40 }) })
  .chain(({ w, h }) =>
    fc.record({
      w: fc.constant(w),
      h: fc.constant(h),
      dots: fc.array(
        fc.record({
          x: fc.integer({ min: 0, max: w - 1 }),
          y: fc.integer({ min: 0, max: h - 1 }),
          v: fc.double({ min: 0.1, max: 1, noNaN: true }),
        }),
        { minLength: 1, maxLength: 60 },
      ),
    }),
  );

/** The drawing on a `size`² sheet with its area's corner at (ox, oy). */
function place(
  d: { dots: readonly { x: number; y: number; v: number }[] },
  size: number,
  ox: number,
  oy: number,
): InkImage {
  const img = blank(size, size);
  for (const { x, y, v } of d.dots) img.data[(oy + y) * size + ox + x] = v;
  return img;
}

describe('mnistImage (properties)', () => {
  it('a translated drawing gives the same centred image', () => {
    fc.assert(
      fc.property(
        drawing,
        fc.nat({ max: 30 }),
        fc.nat({ max: 30 }),
        fc.nat({ max: 30 }),
        fc.nat({ max: 30 }),
        (d, ax, ay, bx, by) => {
          const a = mnistImage(place(d, 80, ax, ay));
          const b = mnistImage(place(d, 80, bx, by));
          expect(Array.from(b)).toEqual(Array.from(a));
        },
      ),
    );
  });

  it('always 784 values in [0, 1]; the strongest ink is 1; blank gives zeros', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 900, maxLength: 900 }),
        (w, h, values) => {
          const img = { width: w, height: h, data: Float32Array.from(values.slice(0, w * h)) };
          const X = mnistImage(img);
          expect(X.length).toBe(SIDE * SIDE);
          expect(X.every((v) => v >= 0 && v <= 1)).toBe(true);
          const inked = img.data.some((v) => v > INK_THRESHOLD);
          expect(X.reduce((m, v) => Math.max(m, v), 0)).toBe(inked ? 1 : 0);
        },
      ),
    );
    expect(mnistImage(blank(30, 10)).every((v) => v === 0)).toBe(true);
  });

  it('keeps the aspect ratio: a w × h block fills round(w·20/max) × round(h·20/max)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 90 }), (w, h) => {
        const img = blank(100, 100);
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data[(5 + y) * 100 + 7 + x] = 1;
        const box = inkBounds({ width: SIDE, height: SIDE, data: mnistImage(img) })!;
        const s = BOX / Math.max(w, h);
        // A side thinner than a pixel after scaling still takes one pixel.
        expect(Math.abs(box.x1 - box.x0 + 1 - Math.max(1, w * s))).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(Math.abs(box.y1 - box.y0 + 1 - Math.max(1, h * s))).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(Math.max(box.x1 - box.x0, box.y1 - box.y0) + 1).toBe(BOX);
      }),
    );
  });

  it('puts the centre of mass within half a pixel of the centre (when no ink falls off the field)', () => {
    fc.assert(
      fc.property(drawing, (d) => {
        const img = place(d, 40, 0, 0);
        const X = { width: SIDE, height: SIDE, data: mnistImage(img) };
        // A drawing whose mass sits far to one side can push ink over the edge, as in MNIST:
        // only check those whose whole fitted box (ink in its first and last rows and columns) survived.
        const inked = inkBounds(img)!;
        const want = fittedSize(inked.x1 - inked.x0 + 1, inked.y1 - inked.y0 + 1);
        const box = inkBounds(X, 0)!;
        fc.pre(box.x1 - box.x0 + 1 === want.width && box.y1 - box.y0 + 1 === want.height);
        const c = centreOfMass(X)!;
        expect(Math.abs(c.x - CENTRE)).toBeLessThanOrEqual(0.5 + 1e-4);
        expect(Math.abs(c.y - CENTRE)).toBeLessThanOrEqual(0.5 + 1e-4);
      }),
    );
  });
});

describe('resizeArea (properties)', () => {
  const image = fc
    .record({ w: fc.integer({ min: 1, max: 12 }), h: fc.integer({ min: 1, max: 12 }) })
    .chain(({ w, h }) =>
      fc.record({
        width: fc.constant(w),
        height: fc.constant(h),
        data: fc
          .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: w * h, maxLength: w * h })
          .map((a) => Float32Array.from(a)),
      }),
    );
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;

  it('keeps the mean ink at any size', () => {
    fc.assert(
      fc.property(
        image,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        (img, w, h) => {
          expect(mean(resizeArea(img, w, h).data)).toBeCloseTo(mean(img.data), 4);
        },
      ),
    );
  });

  it('blowing up by k (each pixel a k × k block) and shrinking back is the identity', () => {
    fc.assert(
      fc.property(image, fc.integer({ min: 1, max: 6 }), (img, k) => {
        const big = blank(img.width * k, img.height * k);
        for (let y = 0; y < big.height; y++)
          for (let x = 0; x < big.width; x++)
            big.data[y * big.width + x] =
              img.data[Math.floor(y / k) * img.width + Math.floor(x / k)]!;
        const back = resizeArea(big, img.width, img.height).data;
        for (let i = 0; i < back.length; i++) expect(back[i]).toBeCloseTo(img.data[i]!, 5);
        // …and growing by k gives the same blocks (nearest-neighbour is exact on whole blocks).
        const up = resizeArea(img, img.width * k, img.height * k).data;
        for (let i = 0; i < up.length; i++) expect(up[i]).toBeCloseTo(big.data[i]!, 5);
      }),
    );
  });
});

describe('mnistImage on real MNIST test digits', () => {
  it('leaves an MNIST digit (already 20 px tall, centred) as it was, up to a one-pixel shift', async () => {
    const test = await loadMnistSplit('test');
    const n = 200;
    let total = 0;
    for (let j = 0; j < n; j++) {
      const px = test.images.subarray(j * 784, (j + 1) * 784);
      const X = mnistImage(inkFromPixels({ width: 28, height: 28, channels: 1, data: px }));
      // The best cosine similarity over shifts of at most one pixel: MNIST centred its digits
      // before rounding to whole pixels, so its centre of mass may round the other way.
      let best = 0;
      for (let sy = -1; sy <= 1; sy++)
        for (let sx = -1; sx <= 1; sx++) {
          let dot = 0;
          let a = 0;
          let b = 0;
          for (let y = 0; y < SIDE; y++)
            for (let x = 0; x < SIDE; x++) {
              const p = px[y * SIDE + x]! / 255;
              const yy = y + sy;
              const xx = x + sx;
              const q = yy >= 0 && yy < SIDE && xx >= 0 && xx < SIDE ? X[yy * SIDE + xx]! : 0;
              dot += p * q;
              a += p * p;
              b += q * q;
            }
          best = Math.max(best, dot / Math.sqrt(a * b));
        }
      total += best;
    }
    expect(total / n).toBeGreaterThan(0.97);
  });

  it('leaves most MNIST digits exactly as they were (same crop, size and centre)', async () => {
    const test = await loadMnistSplit('test');
    const n = 500;
    let same = 0;
    for (let j = 0; j < n; j++) {
      const px = test.images.subarray(j * 784, (j + 1) * 784);
      const X = mnistImage(inkFromPixels({ width: 28, height: 28, channels: 1, data: px }));
      let worst = 0;
      for (let i = 0; i < 784; i++) worst = Math.max(worst, Math.abs(X[i]! - px[i]! / 255));
      if (worst < 0.01) same++;
    }
    expect(same / n).toBeGreaterThan(0.8);
  });
});
