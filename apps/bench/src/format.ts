import type { Unit } from './results.js';

/** Three significant digits, without an exponent for the values benchmarks produce. */
export function sig3(x: number): string {
  if (x === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return x.toFixed(Math.min(digits, 6));
}

/** A duration: `53.2 ms`, `1.24 s`, `2 min 05 s`. */
export function formatMs(ms: number): string {
  if (ms < 1) return '< 1 ms';
  if (ms < 1000) return `${sig3(ms)} ms`;
  if (ms < 120_000) return `${sig3(ms / 1000)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** A rate: `8.1k/s`, `1.23M/s`. */
export function formatRate(perSecond: number, unit = '/s'): string {
  if (perSecond >= 1e6) return `${sig3(perSecond / 1e6)}M${unit}`;
  if (perSecond >= 1e3) return `${sig3(perSecond / 1e3)}k${unit}`;
  return `${sig3(perSecond)}${unit}`;
}

/** A measured value in its unit; `—` when there is none. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ms':
      return formatMs(value);
    case 'images/s':
      return formatRate(value, ' img/s');
    case 'req/s':
      return formatRate(value, ' req/s');
    case 'MB':
      return `${sig3(value)} MB`;
  }
}

/** A ratio against ours: `1.00×`, `6.8×`, `0.42×`; `—` when there is none. */
export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : sig3(r)}×`;
}

/** An accuracy 0…1 as a percentage with two decimals: `92.49 %`. */
export function formatPct(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(2)} %`;
}
