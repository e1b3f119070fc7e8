/**
 * MNIST-style preprocessing, as the original data set was made (LeCun et al.): crop a drawing to
 * its ink's bounding box, scale it into a 20×20 box keeping the aspect ratio (area averaging, so
 * the grey levels are anti-aliased), then place it in a 28×28 field so that its centre of mass
 * falls on the centre (pixel 14, 14). The one implementation behind the web page (bundled) and the API's PNG
 * input: what the page previews is exactly what the network receives.
 */

/** A grey image: `width × height` ink values in [0, 1], row-major (1 = full ink). */
export interface InkImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** The side of the network's input image. */
export const SIDE = 28;
/** The box the ink is scaled into, as in MNIST. */
export const BOX = 20;
/**
 * Where the centre of mass lands, in the coordinates of `centreOfMass` (pixel x covers [x, x + 1)):
 * the middle of pixel (14, 14), as in MNIST (its test digits' mean centre of mass is (14.5, 14.5)).
 */
export const CENTRE = SIDE / 2 + 0.5;
/** Ink at or below this counts as background when finding the bounding box. */
export const INK_THRESHOLD = 0.05;

/** The inclusive bounding box of the ink above `threshold`, or null for a blank image. */
export function inkBounds(
  img: InkImage,
  threshold = INK_THRESHOLD,
): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = img.width;
  let y0 = img.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    for (let x = 0; x < img.width; x++) {
      if (img.data[row + x]! <= threshold) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/** The part of `img` inside the inclusive box. */
export function crop(img: InkImage, x0: number, y0: number, x1: number, y1: number): InkImage {
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(
      img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + width),
      y * width,
    );
  return { width, height, data };
}

/**
 * `img` resampled to `width × height` by area averaging: each output pixel is the mean of the
 * input over the rectangle it covers (fractional pixels weighted by their covered area). Exact
 * for shrinking and for growing; keeps the mean ink.
 */
export function resizeArea(img: InkImage, width: number, height: number): InkImage {
  if (!(width >= 1 && height >= 1 && Number.isInteger(width) && Number.isInteger(height)))
    throw new RangeError(`resizeArea: expected a positive integer size, got ${width}×${height}`);
  const sx = img.width / width;
  const sy = img.height / height;
  // Horizontal pass (img.height × width), then vertical (height × width).
  const rows = new Float32Array(img.height * width);
  for (let ox = 0; ox < width; ox++) {
    const a = ox * sx;
    const b = a + sx;
    for (let x = Math.floor(a); x < b && x < img.width; x++) {
      const w = Math.min(b, x + 1) - Math.max(a, x);
      if (w <= 0) continue;
      for (let y = 0; y < img.height; y++)
        rows[y * width + ox]! += (w / sx) * img.data[y * img.width + x]!;
    }
  }
  const data = new Float32Array(width * height);
  for (let oy = 0; oy < height; oy++) {
    const a = oy * sy;
    const b = a + sy;
    for (let y = Math.floor(a); y < b && y < img.height; y++) {
      const w = Math.min(b, y + 1) - Math.max(a, y);
      if (w <= 0) continue;
      for (let x = 0; x < width; x++) data[oy * width + x]! += (w / sy) * rows[y * width + x]!;
    }
  }
  for (let i = 0; i < data.length; i++) data[i] = Math.min(1, Math.max(0, data[i]!));
  return { width, height, data };
}

/** The centre of mass of the ink, in pixel coordinates (pixel x covers [x, x + 1)), or null if blank. */
export function centreOfMass(img: InkImage): { x: number; y: number } | null {
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x]!;
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  return m > 0 ? { x: mx / m, y: my / m } : null;
}

/** The size the ink's box takes inside the 20×20 box: the long side 20, the other in proportion. */
export function fittedSize(width: number, height: number): { width: number; height: number } {
  const s = BOX / Math.max(width, height);
  return {
    width: Math.max(1, Math.min(BOX, Math.round(width * s))),
    height: Math.max(1, Math.min(BOX, Math.round(height * s))),
  };
}

/**
 * The 28×28 image the network receives (784 values in [0, 1], row-major) from a drawing of any
 * size. A blank drawing gives all zeros. The result is scaled so its darkest pixel is 1, as in
 * MNIST, whatever the stroke width or ink level of the drawing.
 *
 * @example
 * const X = mnistImage(inkFromPixels({ width, height, channels: 4, data: rgba }));
 */
export function mnistImage(img: InkImage, threshold = INK_THRESHOLD): Float32Array {
  if (img.data.length !== img.width * img.height)
    throw new RangeError(
      `mnistImage: expected ${img.width}×${img.height} = ${img.width * img.height} values, got ${img.data.length}`,
    );
  const out = new Float32Array(SIDE * SIDE);
  const box = inkBounds(img, threshold);
  if (!box) return out;
  const inked = crop(img, box.x0, box.y0, box.x1, box.y1);
  const size = fittedSize(inked.width, inked.height);
  const small = resizeArea(inked, size.width, size.height);
  const c = centreOfMass(small);
  if (!c) return out;
  // The whole-pixel shift that puts the centre of mass nearest CENTRE.
  const dx = Math.round(CENTRE - c.x);
  const dy = Math.round(CENTRE - c.y);
  let peak = 0;
  for (let y = 0; y < small.height; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= SIDE) continue;
    for (let x = 0; x < small.width; x++) {
      const tx = x + dx;
      if (tx < 0 || tx >= SIDE) continue;
      const v = small.data[y * small.width + x]!;
      out[ty * SIDE + tx] = v;
      if (v > peak) peak = v;
    }
  }
  if (peak > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / peak;
  return out;
}
