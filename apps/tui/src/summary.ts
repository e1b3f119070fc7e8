import { relative } from 'node:path';
import { userCwd } from '@mnist/net/cli';
import type { DashboardArgs } from './args.js';
import { rate } from './render/text.js';
import { type DashboardState, hasUnsavedModel, stepOf } from './state/state.js';

/** A path as the user would type it: relative to where they ran the command. */
export function shown(path: string): string {
  const r = relative(userCwd(), path);
  return r && !r.startsWith('..') ? r : path;
}

/** The line left on the shell's screen after the dashboard closes. */
export function summary(s: DashboardState, args: Pick<DashboardArgs, 'attach'>): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const what = args.attach
    ? `job ${args.attach}${s.config ? ` (${s.config.preset} preset)` : ''}`
    : s.config
      ? `${s.config.preset} preset`
      : 'run';
  const at = `step ${stepOf(s)}${s.evaluation ? ` (test ${pct(s.evaluation.test.accuracy)})` : ''}`;
  const result = s.result
    ? `done (${s.result.reason}) at step ${stepOf(s)}: train ${pct(s.result.train.accuracy)}, test ${pct(s.result.test.accuracy)}`
    : s.error
      ? `failed: ${s.error}`
      : args.attach
        ? `${s.status} at ${at}; detached (the job goes on on the server)`
        : `left at ${at}`;
  const saved = s.saved
    ? `; saved ${shown(s.saved.path)} (step ${s.saved.step})`
    : args.attach
      ? ''
      : hasUnsavedModel(s)
        ? '; not saved'
        : '';
  const changes = s.rateChanges.length
    ? `; α changed ${s.rateChanges.length}× (${s.rateChanges.map((c) => `step ${c.step}: ${rate(c.from)}→${rate(c.to)}`).join(', ')})`
    : '';
  const record = s.record ? `; run record ${shown(s.record)}` : '';
  return `${what}: ${result}${saved}${changes}${record}`;
}
