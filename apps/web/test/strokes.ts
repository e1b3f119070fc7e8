/**
 * Strokes that redraw an MNIST image: each row's runs of ink (pixels at or above a threshold)
 * become one short horizontal stroke, a single pixel a dot. Coordinates are MNIST pixel centres.
 */
export interface Stroke {
  readonly x0: number;
  readonly x1: number;
  readonly y: number;
}

export function strokesOf(pixels: ArrayLike<number>, threshold = 128): Stroke[] {
  const out: Stroke[] = [];
  for (let y = 0; y < 28; y++) {
    let start = -1;
    for (let x = 0; x <= 28; x++) {
      const ink = x < 28 && pixels[y * 28 + x]! >= threshold;
      if (ink && start < 0) start = x;
      if (!ink && start >= 0) {
        out.push({ x0: start + 0.5, x1: x - 0.5, y: y + 0.5 });
        start = -1;
      }
    }
  }
  return out;
}
