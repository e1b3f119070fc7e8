import { type ColorMode, type Rgb, sgrParams } from './color.js';

/** Text attributes. */
export interface Attrs {
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

const NO_ATTRS: Attrs = {};

const attrCode = (a: Attrs) => `${a.bold ? '1;' : ''}${a.dim ? '2;' : ''}${a.inverse ? '7;' : ''}`;

/**
 * Builds one terminal line cell by cell, writing colour codes only where a colour changes, and
 * only the part that changed (foreground or background): a heat map row in a handful of colour
 * levels costs a few codes, not one per cell. Fewer bytes matter twice: Ink tokenises every code
 * on every frame, and the terminal parses them.
 *
 * @example
 * new StyledLine('256').push('▀', [255, 255, 255], [0, 0, 0]).toString(); // '\x1b[38;5;231;48;5;16m▀\x1b[0m'
 */
export class StyledLine {
  private out = '';
  private fg = '';
  private bg = '';
  private attrs = '';
  private cells = 0;

  constructor(private readonly mode: ColorMode) {}

  /**
   * Appends one or more cells of text in the given colours (`null`: the terminal's default) and
   * attributes (`bold`, `dim`, `inverse`: not colours, so they stay in mode `none`).
   */
  push(text: string, fg: Rgb | null = null, bg: Rgb | null = null, attrs: Attrs = NO_ATTRS): this {
    const none = this.mode === 'none';
    const f = fg && !none ? sgrParams(this.mode, fg, 'fg') : '';
    const b = bg && !none ? sgrParams(this.mode, bg, 'bg') : '';
    const a = attrCode(attrs);
    if (a !== this.attrs) {
      // Attributes have no single "off" code in every terminal: reset, then set all.
      const set = `${a}${f ? `${f};` : ''}${b ? `${b};` : ''}`;
      this.out += this.attrs || this.fg || this.bg ? '\x1b[0m' : '';
      if (set) this.out += `\x1b[${set.slice(0, -1)}m`;
    } else if (f !== this.fg || b !== this.bg) {
      const parts = [f !== this.fg ? f || '39' : '', b !== this.bg ? b || '49' : ''].filter(
        Boolean,
      );
      this.out += `\x1b[${parts.join(';')}m`;
    }
    this.fg = f;
    this.bg = b;
    this.attrs = a;
    this.out += text;
    this.cells += [...text].length;
    return this;
  }

  /** Cells pushed so far (one per code point; the dashboard uses no wide characters). */
  get width(): number {
    return this.cells;
  }

  toString(): string {
    return this.fg || this.bg || this.attrs ? `${this.out}\x1b[0m` : this.out;
  }
}

/** `text` in one style (a shortcut for a one-part StyledLine). */
export function styled(
  mode: ColorMode,
  text: string,
  fg: Rgb | null = null,
  bg: Rgb | null = null,
  attrs: Attrs = NO_ATTRS,
): string {
  return new StyledLine(mode).push(text, fg, bg, attrs).toString();
}
