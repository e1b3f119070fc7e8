/** MNIST digits and class probabilities as terminal text. */
import type { ColorMode } from './color.js';
import { GREY, halfBlocks, resample } from './heatmap.js';

/** Pixels per side of an MNIST image. */
export const SIDE = 28;

/**
 * The lines of one 28×28 image (bytes 0…255, row-major) in grey half blocks: `cols` wide and
 * `cols / 2` lines tall. 28 columns draw every pixel; fewer downscale by area averaging.
 *
 * @example digitLines(test.images.subarray(0, 784), 'none') // 14 lines of 28 cells, a 7
 */
export function digitLines(image: ArrayLike<number>, mode: ColorMode, cols = SIDE): string[] {
  const size = Math.max(2, Math.min(SIDE, cols));
  const px = size === SIDE ? image : resample(image, SIDE, SIDE, size, size);
  return halfBlocks(px, size, size, GREY, mode);
}

const EIGHTHS = ' ▁▂▃▄▅▆▇█';

/** One cell of a vertical bar of height p in [0, 1] (eighths of a cell; a non-zero p shows ▁). */
export function barCell(p: number): string {
  if (!(p > 0)) return EIGHTHS[0]!;
  return EIGHTHS[Math.max(1, Math.min(8, Math.round(p * 8)))]!;
}

/** A horizontal bar of `width` cells for p in [0, 1], in eighths: `█████▍   `. */
export function hbar(p: number, width: number): string {
  const LEFT = ' ▏▎▍▌▋▊▉█';
  const eighths = Math.round(Math.max(0, Math.min(1, p)) * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  return `${'█'.repeat(full)}${rest ? LEFT[rest] : ''}`.padEnd(width, ' ');
}
