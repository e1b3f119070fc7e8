/**
 * Colour modes and SGR codes. Everything the dashboard colours goes through here, so that
 * `NO_COLOR`, 16-colour terminals and true-colour terminals are handled in one place (chalk and
 * Ink do not honour `NO_COLOR` by themselves).
 */

/** How many colours the terminal shows. `none`: no colour codes at all (NO_COLOR, TERM=dumb, pipes). */
export type ColorMode = 'none' | '16' | '256' | 'truecolor';

export const COLOR_MODES: readonly ColorMode[] = ['none', '16', '256', 'truecolor'];

/** A colour as red, green, blue in 0…255. */
export type Rgb = readonly [number, number, number];

/** What `detectColorMode` looks at. */
export interface ColorStream {
  readonly isTTY?: boolean;
  getColorDepth?(env?: NodeJS.ProcessEnv): number;
}

/**
 * The colour mode of `stream`: `none` when `NO_COLOR` is set and not empty (https://no-color.org),
 * for `TERM=dumb` and for non-terminals; otherwise from the stream's colour depth, counting
 * `*-256color` terminals (tmux, screen) as 256 colours, which Node reports as 16.
 */
export function detectColorMode(
  stream: ColorStream,
  env: NodeJS.ProcessEnv = process.env,
): ColorMode {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'none';
  if (env.TERM === 'dumb' || !stream.isTTY) return 'none';
  const depth = Math.max(
    stream.getColorDepth?.(env) ?? 4,
    /-256colou?r$/.test(env.TERM ?? '') ? 8 : 0,
  );
  if (depth >= 24) return 'truecolor';
  if (depth >= 8) return '256';
  if (depth >= 4) return '16';
  return 'none';
}

/** The 16 ANSI colours as xterm draws them (0–7 normal, 8–15 bright). */
export const ANSI16: readonly Rgb[] = [
  [0, 0, 0],
  [205, 0, 0],
  [0, 205, 0],
  [205, 205, 0],
  [0, 0, 238],
  [205, 0, 205],
  [0, 205, 205],
  [229, 229, 229],
  [127, 127, 127],
  [255, 0, 0],
  [0, 255, 0],
  [255, 255, 0],
  [92, 92, 255],
  [255, 0, 255],
  [0, 255, 255],
  [255, 255, 255],
];

const distance = (a: Rgb, b: Rgb) => {
  // "Redmean" weighting: close to perceived distance, cheap.
  const r = (a[0] + b[0]) / 2;
  const dr = a[0] - b[0];
  const dg = a[1] - b[1];
  const db = a[2] - b[2];
  return (2 + r / 256) * dr * dr + 4 * dg * dg + (2 + (255 - r) / 256) * db * db;
};

/** Index 0…15 of the ANSI colour nearest to `c`. */
export function nearest16(c: Rgb): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 16; i++) {
    const d = distance(c, ANSI16[i]!);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

const LEVELS = [0, 95, 135, 175, 215, 255] as const;
const level = (v: number) => {
  let best = 0;
  for (let i = 1; i < 6; i++) if (Math.abs(LEVELS[i]! - v) < Math.abs(LEVELS[best]! - v)) best = i;
  return best;
};

/** Index 16…255 of the xterm-256 colour nearest to `c` (the 6×6×6 cube or the grey ramp). */
export function nearest256(c: Rgb): number {
  const [r, g, b] = [level(c[0]), level(c[1]), level(c[2])];
  const cube = 16 + 36 * r + 6 * g + b;
  const mean = (c[0] + c[1] + c[2]) / 3;
  const grey = Math.max(0, Math.min(23, Math.round((mean - 8) / 10)));
  const greyRgb: Rgb = [8 + 10 * grey, 8 + 10 * grey, 8 + 10 * grey];
  const cubeRgb: Rgb = [LEVELS[r]!, LEVELS[g]!, LEVELS[b]!];
  return distance(c, greyRgb) < distance(c, cubeRgb) ? 232 + grey : cube;
}

/** The SGR parameters (without `ESC [` and `m`) that set `c` as foreground or background. */
export function sgrParams(mode: ColorMode, c: Rgb, ground: 'fg' | 'bg'): string {
  switch (mode) {
    case 'none':
      return '';
    case '16': {
      const i = nearest16(c);
      const base = ground === 'fg' ? (i < 8 ? 30 : 90) : i < 8 ? 40 : 100;
      return String(base + (i % 8));
    }
    case '256':
      return `${ground === 'fg' ? 38 : 48};5;${nearest256(c)}`;
    case 'truecolor':
      return `${ground === 'fg' ? 38 : 48};2;${Math.round(c[0])};${Math.round(c[1])};${Math.round(c[2])}`;
  }
}

/** `text` in colour `c` (unchanged in mode `none`). */
export function colorize(
  mode: ColorMode,
  text: string,
  fg: Rgb | null,
  bg: Rgb | null = null,
): string {
  const codes = [fg ? sgrParams(mode, fg, 'fg') : '', bg ? sgrParams(mode, bg, 'bg') : ''].filter(
    Boolean,
  );
  return codes.length ? `\x1b[${codes.join(';')}m${text}\x1b[0m` : text;
}

/** Removes SGR codes (for measuring and for tests). */
export function stripAnsi(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes is the point
  return s.replace(/\x1b\[[0-9;:]*m/g, '');
}

/** The dashboard's text colours; all null in mode `none` (then bold and inverse mark things). */
export interface Theme {
  readonly mode: ColorMode;
  readonly accent: Rgb | null;
  readonly good: Rgb | null;
  readonly bad: Rgb | null;
  readonly warn: Rgb | null;
  readonly muted: Rgb | null;
}

/** The text colours for `mode`; near the basic ANSI colours, so 16-colour terminals show them all. */
export function themeFor(mode: ColorMode): Theme {
  if (mode === 'none')
    return { mode, accent: null, good: null, bad: null, warn: null, muted: null };
  return {
    mode,
    accent: [0, 205, 205],
    good: [0, 205, 0],
    bad: [230, 40, 40],
    warn: [205, 205, 0],
    muted: [127, 127, 127],
  };
}
