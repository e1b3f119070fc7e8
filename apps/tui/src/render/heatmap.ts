/**
 * Images in the terminal with half blocks: each cell `▀` shows two pixels stacked, the upper one
 * in the foreground colour and the lower one in the background colour, so a 28×28 image takes
 * 28 columns × 14 rows. Without colour, a shader picks a glyph for the two pixels instead.
 */
import type { ColorMode, Rgb } from './color.js';
import { StyledLine } from './styled-line.js';

/** How values become cells: a colour per value, or (mode `none`) a glyph per pair of values. */
export interface Shader {
  /** The colour of one pixel value. */
  color(v: number): Rgb;
  /** The glyph of a cell whose upper and lower pixels are `top` and `bottom` (no colour). */
  glyph(top: number, bottom: number): string;
}

/**
 * Resamples a `sw`×`sh` image (row-major) to `dw`×`dh` by averaging the source area under each
 * destination pixel (a box filter), so downscaling keeps thin strokes as lighter lines.
 */
export function resample(
  src: ArrayLike<number>,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
): Float32Array {
  const out = new Float32Array(dw * dh);
  if (dw === sw && dh === sh) {
    for (let i = 0; i < out.length; i++) out[i] = src[i]!;
    return out;
  }
  const fx = sw / dw;
  const fy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const y0 = y * fy;
    const y1 = y0 + fy;
    for (let x = 0; x < dw; x++) {
      const x0 = x * fx;
      const x1 = x0 + fx;
      let sum = 0;
      let area = 0;
      for (let sy = Math.floor(y0); sy < Math.min(sh, Math.ceil(y1)); sy++) {
        const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
        for (let sx = Math.floor(x0); sx < Math.min(sw, Math.ceil(x1)); sx++) {
          const w = wy * (Math.min(x1, sx + 1) - Math.max(x0, sx));
          sum += w * src[sy * sw + sx]!;
          area += w;
        }
      }
      out[y * dw + x] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

/**
 * The lines of a `w`×`h` image (row-major values) drawn with half blocks: `w` cells wide and
 * ⌈h/2⌉ lines tall (an odd last row gets the shader's colour of 0 below it).
 */
export function halfBlocks(
  values: ArrayLike<number>,
  w: number,
  h: number,
  shader: Shader,
  mode: ColorMode,
): string[] {
  // The shaders quantise to a few levels, which 256 colours show as well as true colour, in
  // codes half as long (`38;5;n` against `38;2;r;g;b`).
  const m: ColorMode = mode === 'truecolor' ? '256' : mode;
  const lines: string[] = [];
  for (let y = 0; y < h; y += 2) {
    const line = new StyledLine(m);
    for (let x = 0; x < w; x++) {
      const top = values[y * w + x]!;
      const bottom = y + 1 < h ? values[(y + 1) * w + x]! : 0;
      if (m === 'none') line.push(shader.glyph(top, bottom));
      else line.push('▀', shader.color(top), shader.color(bottom));
    }
    lines.push(line.toString());
  }
  return lines;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

/** Quantises t in [0, 1] to `steps` levels; fewer distinct colours make longer runs, fewer codes. */
const quantise = (t: number, steps: number) =>
  Math.round(Math.max(0, Math.min(1, t)) * steps) / steps;

/** Grey levels for pixel bytes 0…255 (0 black, 255 white); thresholded half blocks without colour. */
export const GREY: Shader = {
  color(v) {
    const g = Math.round(quantise(v / 255, 24) * 255);
    return [g, g, g];
  },
  glyph(top, bottom) {
    const t = top >= 96;
    const b = bottom >= 96;
    return t ? (b ? '█' : '▀') : b ? '▄' : ' ';
  },
};

const NEGATIVE: Rgb = [40, 120, 255];
const POSITIVE: Rgb = [255, 120, 30];
const ZERO: Rgb = [0, 0, 0];

/**
 * A diverging scale for weights: 0 black, positive towards orange, negative towards blue, with
 * |v| ≥ `scale` at full strength. Without colour: shades for positive, `- = ≡` for negative.
 */
export function diverging(scale: number): Shader {
  const s = scale > 0 ? scale : 1;
  return {
    color(v) {
      const t = quantise(Math.abs(v) / s, 8);
      return mix(ZERO, v >= 0 ? POSITIVE : NEGATIVE, t);
    },
    glyph(top, bottom) {
      const v = (top + bottom) / 2 / s;
      const a = Math.abs(v);
      if (a < 0.15) return ' ';
      const i = a < 0.4 ? 0 : a < 0.7 ? 1 : 2;
      return (v > 0 ? '░▒▓' : '-=≡')[i]!;
    },
  };
}

/** A sequential scale for shares in [0, 1]: from near-black to `hue`. */
export function sequential(hue: Rgb, floor: Rgb = [24, 24, 24]): (t: number) => Rgb {
  return (t) => mix(floor, hue, quantise(t, 8));
}
