/** Small statistics over timing samples. */

/** The median of `xs` (mean of the two middle values for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * How many times more the peer needs than ours for the same work: `peer / ours` for costs
 * (time, memory), `ours / peer` for rates (images/s). Above 1: ours is ahead. Null when either
 * value is missing, zero or not finite.
 */
export function ratio(
  peer: number | null,
  ours: number | null,
  better: 'lower' | 'higher',
): number | null {
  if (peer === null || ours === null) return null;
  if (!(Number.isFinite(peer) && Number.isFinite(ours)) || peer <= 0 || ours <= 0) return null;
  return better === 'lower' ? peer / ours : ours / peer;
}

/** The samples after dropping the first `warmup`; all of them if that would leave none. */
export function afterWarmup(xs: readonly number[], warmup: number): number[] {
  return xs.length > warmup ? xs.slice(warmup) : [...xs];
}

/** The q-quantile (0…1) of `xs`, linear between neighbours; NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const at = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo]! + (s[hi]! - s[lo]!) * (at - lo);
}

/** Spread of the samples as (max − min) / median, to show how noisy a measurement was. */
export function spread(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = median(xs);
  return m > 0 ? (Math.max(...xs) - Math.min(...xs)) / m : 0;
}
