/**
 * The control of a job (pause, resume, cancel, learning rate): which states each action applies
 * to, and the short wait for the event that shows it took effect.
 *
 * The rule: an action that asks for the state the job is already in is idempotent (200 with the
 * job, nothing changes: pause a paused job, resume a running one, cancel a cancelled one); an
 * action that cannot lead to its state from the current one is a 409 conflict (pause a completed
 * job, resume a cancelled one, cancel a completed one).
 */
import type { JobRow, JobStatus } from '../db/jobs.js';
import { ProblemError } from '../problem.js';
import type { EventLog, LogEntry } from '../sse/log.js';

/** How long control requests wait to see their effect before answering 202. */
export const CONTROL_WAIT_MS = 2000;

export type Action = 'pause' | 'resume' | 'cancel' | 'learning-rate';

/** The states each action applies to, and the state it leads to (null: it changes no state). */
export const TRANSITIONS: Readonly<
  Record<Action, { readonly from: readonly JobStatus[]; readonly to: JobStatus | null }>
> = {
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['queued', 'running', 'paused'], to: 'cancelled' },
  'learning-rate': { from: ['running', 'paused'], to: null },
};

const VERBS: Readonly<Record<Action, string>> = {
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  'learning-rate': 'change the learning rate of',
};

/**
 * Whether `action` on `row` is already done (true), to be applied (false), or a conflict (throws
 * 409 naming the state and the states it applies to).
 */
export function checkTransition(row: JobRow, action: Action, running: boolean): boolean {
  const t = TRANSITIONS[action];
  if (t.to !== null && row.status === t.to) return true;
  const queuedCancel = action === 'cancel' && row.status === 'queued';
  if (!t.from.includes(row.status) || !(running || queuedCancel))
    throw new ProblemError(
      'conflict',
      `cannot ${VERBS[action]} job ${row.id}: it is ${row.status} (allowed when ${t.from.join(' or ')})`,
      { fields: { jobStatus: row.status } },
    );
  return false;
}

/**
 * Applies a command, then waits (at most CONTROL_WAIT_MS) for the log entry that shows its
 * effect. True when seen (or when the log ended and `ended()` says the job is final).
 */
export async function applyAndWait(
  log: EventLog,
  wait: ((e: LogEntry) => boolean) | null,
  apply: () => void,
  ended: () => boolean,
): Promise<boolean> {
  if (!wait) {
    apply();
    return false;
  }
  let applied = false;
  let stop = () => {};
  const seen = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CONTROL_WAIT_MS);
    const unsubscribe = log.subscribe((e) => {
      if (e === null || wait(e)) {
        applied = e !== null || ended();
        resolve();
      }
    });
    stop = () => {
      clearTimeout(timer);
      unsubscribe();
    };
  });
  apply();
  await seen;
  stop();
  return applied;
}

/** The entry showing that a job reached `status`. */
export const isStatus =
  (status: JobStatus) =>
  (e: LogEntry): boolean =>
    e.event === 'status' && e.data.includes(`"status":"${status}"`);
