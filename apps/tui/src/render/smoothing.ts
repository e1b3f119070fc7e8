/**
 * TensorBoard's smoothing: an exponential moving average with the start-up bias removed, so the
 * first points are not pulled towards 0. `weight` 0 is no smoothing, 0.99 is very smooth.
 * Non-finite values pass through unsmoothed.
 *
 * @example smooth([1, 0, 1, 0], 0.5) // [1, 0.333…, 0.714…, 0.333…]
 */
export function smooth(values: readonly number[], weight: number): number[] {
  const w = Math.max(0, Math.min(0.999, weight));
  if (w === 0) return values.slice();
  const out = new Array<number>(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i]!;
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * w + (1 - w) * y;
    n++;
    out[i] = last / (1 - w ** n);
  }
  return out;
}

/** The smoothing weights the `[` and `]` keys step through. */
export const SMOOTHING_LEVELS = [0, 0.3, 0.6, 0.8, 0.9, 0.95, 0.99] as const;
