/** Small text helpers for fixed-width panels. */

/** `s` cut or padded to exactly `width` cells (no wide characters, no colour codes). */
export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...s];
  if (chars.length <= width) return s + ' '.repeat(width - chars.length);
  return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
}

/** A rule with a title, `── Loss ─────`, exactly `width` cells. */
export function rule(title: string, width: number): string {
  const head = title ? `─ ${title} ` : '';
  return fit(head + '─'.repeat(Math.max(0, width - [...head].length)), width);
}

/** `1,234,567` */
export const grouped = (n: number) => Math.round(n).toLocaleString('en-US');

/** A learning rate in 3 significant digits without trailing noise: `0.003`, `0.000125`, `1.5e-7`. */
export function rate(x: number): string {
  if (!Number.isFinite(x)) return '?';
  if (x !== 0 && (Math.abs(x) < 1e-5 || Math.abs(x) >= 1e4)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

/** `2.3k` for axis labels. */
export function short(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (a >= 1e3) return `${Number((n / 1e3).toPrecision(2))}k`;
  return String(Math.round(n));
}

/** Visible cells of a string with colour codes (one per code point; no wide characters). */
export function visibleWidth(s: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes
  return [...s.replace(/\x1b\[[0-9;:]*m/g, '')].length;
}

/** `s` cut to `width` visible cells, colour codes kept, `…` at the cut, colours reset after it. */
export function truncateAnsi(s: string, width: number): string {
  if (visibleWidth(s) <= width) return s;
  let out = '';
  let seen = 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes
  for (const part of s.split(/(\x1b\[[0-9;:]*m)/)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      continue;
    }
    for (const ch of part) {
      if (seen >= width - 1) return `${out}…\x1b[0m`;
      out += ch;
      seen++;
    }
  }
  return out;
}
