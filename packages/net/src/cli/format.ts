/** Small text helpers for terminal output, honouring NO_COLOR and non-terminals. */

/** Whether to colour output written to `stream`. https://no-color.org */
export function useColor(stream: NodeJS.WriteStream): boolean {
  return (
    Boolean(stream.isTTY) &&
    !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') &&
    process.env.TERM !== 'dumb'
  );
}

export function paint(on: boolean) {
  const wrap = (code: number, reset: number) => (s: string) =>
    on ? `\x1b[${code}m${s}\x1b[${reset}m` : s;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    green: wrap(32, 39),
    red: wrap(31, 39),
    cyan: wrap(36, 39),
    yellow: wrap(33, 39),
  };
}

/** `1m32s`, `4.2s`, `850ms`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  // Each unit is rounded before it is split, so 239.6 s is 4m00s, never 3m60s.
  if (ms < 999.5) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(ms / 60_000);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `74.1%` */
export const percent = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

/** `210k` */
export function count(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}

/** A text progress bar `[█████░░░░░]` of `width` cells. */
export function bar(fraction: number, width: number, unicode = true): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return unicode
    ? `${'█'.repeat(full)}${'░'.repeat(width - full)}`
    : `${'#'.repeat(full)}${'.'.repeat(width - full)}`;
}
