/**
 * The base learning rate α as the dashboard steers it: every check of α goes through
 * `checkRate`, and every key press builds on the last *requested* value (`nextRate`), so that
 * `+++` is three steps even before the trainer has confirmed the first.
 */
import { checkField } from '@mnist/net';
import type { DashboardState } from './state/state.js';

/**
 * Why `alpha` cannot be a base learning rate, or null when it can: the config field table's own
 * check (`checkField` of @mnist/net), in the words the CLI (`--lr`) and the API give. The one
 * place the dashboard checks α.
 */
export function checkRate(alpha: number): string | null {
  return checkField('learningRate', alpha)?.message ?? null;
}

/** The base α shown and steered: the one asked for last (pending), else the trainer's. */
export function currentRate(
  s: Pick<DashboardState, 'requestedRate' | 'baseRate' | 'config'>,
): number | null {
  return s.requestedRate ?? s.baseRate ?? s.config?.learningRate ?? null;
}

/** α after one press of a rate key (`factor` ×1.25 or ÷1.25), or why it cannot be. */
export function nextRate(
  s: Pick<DashboardState, 'requestedRate' | 'baseRate' | 'config'>,
  factor: number,
): { rate: number } | { error: string } {
  const base = currentRate(s);
  if (base === null) return { error: 'α is not known yet' };
  const rate = Number((base * factor).toPrecision(6));
  const error = checkRate(rate);
  return error === null ? { rate } : { error };
}
