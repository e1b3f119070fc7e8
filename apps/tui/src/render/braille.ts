/**
 * A canvas of braille cells: each terminal cell holds 2×4 dots, so a 40×8 area gives an 80×32
 * dot plot. Dots belong to layers; a cell takes the colour of its highest layer.
 */
import type { ColorMode, Rgb } from './color.js';
import { StyledLine } from './styled-line.js';

// Dot (column, row) → bit of the braille code point U+2800 + bits.
const BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
] as const;

export class BrailleCanvas {
  private readonly bits: Uint8Array;
  private readonly layers: Uint8Array;

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.bits = new Uint8Array(cols * rows);
    this.layers = new Uint8Array(cols * rows);
  }

  /** Width and height in dots. */
  get width(): number {
    return this.cols * 2;
  }

  get height(): number {
    return this.rows * 4;
  }

  /** Sets dot (x, y), y = 0 at the top, in `layer` (1…255). Dots outside are ignored. */
  set(x: number, y: number, layer = 1): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const cell = (yi >> 2) * this.cols + (xi >> 1);
    this.bits[cell]! |= BITS[yi & 3]![xi & 1]!;
    if (layer > this.layers[cell]!) this.layers[cell] = layer;
  }

  /** A line of dots from (x0, y0) to (x1, y1). */
  line(x0: number, y0: number, x1: number, y1: number, layer = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let i = 0; i <= steps; i++)
      this.set(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, layer);
  }

  /** The rows as text; `colors[layer]` colours a cell whose highest layer is `layer`. */
  lines(colors: readonly (Rgb | null)[], mode: ColorMode): string[] {
    const out: string[] = [];
    for (let r = 0; r < this.rows; r++) {
      const line = new StyledLine(mode);
      for (let c = 0; c < this.cols; c++) {
        const cell = r * this.cols + c;
        const bits = this.bits[cell]!;
        line.push(
          bits ? String.fromCharCode(0x2800 + bits) : ' ',
          bits ? (colors[this.layers[cell]!] ?? null) : null,
        );
      }
      out.push(line.toString());
    }
    return out;
  }
}
