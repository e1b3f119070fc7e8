/**
 * The base learning rate α as the dashboard steers it: every check of α goes through
 * `checkRate`, and every key press builds on the last *requested* value (`nextRate`), so that
 * `+++` is three steps even before the trainer has confirmed the first.
 */
import { ConfigError, resolveConfig } from '@mnist/net';
import type { DashboardState } from './state/state.js';

/**
 * Why `alpha` cannot be a base learning rate, or null when it can. The one place the dashboard
 * checks α.
 *
 * COORDINATOR: rewire to the config field table of @mnist/net (`checkField('learningRate', v)`)
 * once it is on main; until then the bounds come from `resolveConfig`, the same check every
 * run's config passes, so there is still one definition of the range.
 */
export function checkRate(alpha: number): string | null {
  try {
    resolveConfig({ learningRate: alpha });
    return null;
  } catch (e) {
    if (e instanceof ConfigError) return `α ${alpha}: ${e.message.slice(e.field.length + 2)}`;
    throw e;
  }
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
