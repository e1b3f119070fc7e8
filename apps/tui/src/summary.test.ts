import { describe, expect, it } from 'vitest';
import { parseDashboardArgs } from './args.js';
import { reduce } from './state/reducer.js';
import { initialState } from './state/state.js';
import { summary } from './summary.js';
import { evaluation, progress, start } from './test-support/fake.js';

const s = [start(), progress(40, 1), evaluation(40)].reduce(
  (st, event) => reduce(st, { type: 'event', event }),
  initialState(),
);

describe('summary', () => {
  it('says where a local run was left and whether it was saved', () => {
    expect(summary(s, parseDashboardArgs([], {}))).toBe(
      'fast preset: left at step 40 (test 90.45%); not saved',
    );
    const saved = reduce(s, { type: 'saved', path: '/elsewhere/m.safetensors', step: 40 });
    expect(summary(saved, parseDashboardArgs([], {}))).toBe(
      'fast preset: left at step 40 (test 90.45%); saved /elsewhere/m.safetensors (step 40)',
    );
  });
  it('says that detaching leaves a server job running', () => {
    const url = 'http://h/v1/trainings/7';
    expect(summary(s, parseDashboardArgs(['--attach', url], {}))).toBe(
      `job ${url} (fast preset): running at step 40 (test 90.45%); detached (the job goes on on the server)`,
    );
  });
  it('reports a failure', () => {
    const failed = reduce(s, {
      type: 'event',
      event: { type: 'failed', message: 'no MNIST file found' },
    });
    expect(summary(failed, parseDashboardArgs([], {}))).toBe(
      'fast preset: failed: no MNIST file found; not saved',
    );
  });
});
