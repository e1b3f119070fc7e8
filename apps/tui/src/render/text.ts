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

/**
 * `s` in lines of at most `width` cells, broken between words (a word longer than a line is
 * split); lines after the first start with `indent`. Nothing is cut off: every word is kept, and
 * runs of spaces inside a line (aligned columns) stay as they are.
 */
export function wrap(s: string, width: number, indent = ''): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line: string[] = [];
  const len = (t: string) => [...t].length;
  const room = () => w - (lines.length ? len(indent) : 0);
  const push = () => {
    lines.push((lines.length ? indent : '') + line.join(' ').trimEnd());
    line = [];
  };
  for (const word of s.split(' ')) {
    if (word === '' && line.length === 0 && lines.length) continue; // no spaces after a break
    let rest = word;
    for (;;) {
      const used = line.length ? len(line.join(' ')) + 1 : 0;
      if (used + len(rest) <= room()) {
        line.push(rest);
        break;
      }
      if (line.length) {
        push();
        if (rest === '') break;
        continue;
      }
      const chars = [...rest];
      const cut = Math.max(1, room());
      line.push(chars.slice(0, cut).join(''));
      push();
      rest = chars.slice(cut).join('');
      if (!rest) break;
    }
  }
  if (line.length || !lines.length) push();
  return lines;
}
