/**
 * Ink from raw pixels (a decoded PNG, a canvas's RGBA): grey, grey + alpha, RGB or RGBA at any
 * bit depth. Transparent pixels are laid over the background the opaque ones imply; the polarity
 * (white-on-black as in MNIST, or black-on-white as on paper) is detected from the border, where
 * a drawing's background is; and the background level becomes 0 ink, the strongest ink 1.
 */
import type { InkImage } from './preprocess.js';

/** Decoded pixels: `channels` values per pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA), each 0..maxValue. */
export interface RawPixels {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly data: ArrayLike<number>;
  /** 255 for 8-bit data, 65535 for 16-bit; 1 for floats. @default 255 */
  readonly maxValue?: number;
}

/** Which way round the ink is. */
export type Polarity = 'white-on-black' | 'black-on-white';

/** The mean of the values on the image's border. */
function borderMean(lum: Float32Array, width: number, height: number): number {
  let sum = 0;
  let n = 0;
  for (let x = 0; x < width; x++) {
    sum += lum[x]! + lum[(height - 1) * width + x]!;
    n += 2;
  }
  for (let y = 1; y < height - 1; y++) {
    sum += lum[y * width]! + lum[y * width + width - 1]!;
    n += 2;
  }
  return sum / n;
}

/** Luminance in [0, 1] of every pixel, transparent ones composited over the implied background. */
export function luminance(px: RawPixels): Float32Array {
  const { width, height, channels, data } = px;
  const max = px.maxValue ?? 255;
  const n = width * height;
  if (data.length !== n * channels)
    throw new RangeError(
      `luminance: expected ${width}×${height}×${channels} = ${n * channels} values, got ${data.length}`,
    );
  const hasAlpha = channels === 2 || channels === 4;
  const lum = new Float32Array(n);
  const alpha = new Float32Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    lum[i] =
      channels >= 3
        ? (0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!) / max
        : data[p]! / max;
    if (hasAlpha) alpha[i] = data[p + channels - 1]! / max;
  }
  if (hasAlpha) {
    // Dark strokes on a transparent sheet sit on white; light strokes on black.
    let w = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      w += alpha[i]!;
      sum += alpha[i]! * lum[i]!;
    }
    const under = w > 0 && sum / w < 0.5 ? 1 : 0;
    for (let i = 0; i < n; i++) lum[i] = alpha[i]! * lum[i]! + (1 - alpha[i]!) * under;
  }
  return lum;
}

/** The polarity of a grey image: its border (the background) is light for black-on-white. */
export function detectPolarity(lum: Float32Array, width: number, height: number): Polarity {
  return borderMean(lum, width, height) > 0.5 ? 'black-on-white' : 'white-on-black';
}

/**
 * Ink in [0, 1] (1 = full ink) from raw pixels, with the polarity detected or given.
 *
 * @example
 * const ink = inkFromPixels({ width: 280, height: 280, channels: 4, data: ctx.getImageData(0, 0, 280, 280).data });
 */
export function inkFromPixels(
  px: RawPixels,
  polarity?: Polarity,
): InkImage & { readonly polarity: Polarity } {
  const { width, height } = px;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1))
    throw new RangeError(`inkFromPixels: expected a positive integer size, got ${width}×${height}`);
  const lum = luminance(px);
  const pol = polarity ?? detectPolarity(lum, width, height);
  const ink = new Float32Array(lum.length);
  for (let i = 0; i < lum.length; i++) ink[i] = pol === 'black-on-white' ? 1 - lum[i]! : lum[i]!;
  // The background's level is 0 ink, the strongest ink 1.
  const bg = borderMean(ink, width, height);
  let top = 0;
  for (let i = 0; i < ink.length; i++) if (ink[i]! > top) top = ink[i]!;
  const span = top - bg;
  for (let i = 0; i < ink.length; i++)
    ink[i] = span > 0 ? Math.min(1, Math.max(0, (ink[i]! - bg) / span)) : 0;
  return { width, height, data: ink, polarity: pol };
}
