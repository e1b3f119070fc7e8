import { resolveConfig } from '@mnist/net';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { JobTable } from '../db/jobs.js';
import { JobHistory } from './history.js';

const progress = (step: number) => ({
  type: 'progress' as const,
  step,
  totalSteps: 100_000,
  epoch: 1,
  iteration: step,
  elapsedMs: step,
  loss: 1,
  accuracy: 0.5,
  learningRate: 0.1,
  examplesPerSecond: 1,
  etaMs: 1,
});

function setup(maxProgress: number) {
  const db = openDatabase(':memory:');
  const table = new JobTable(db);
  table.insert({
    id: 'job_00000000000000000001',
    modelName: 'mnist',
    config: resolveConfig({ preset: 'fast' }),
    createdAt: new Date(0).toISOString(),
  });
  return { db, table, history: new JobHistory(db, maxProgress) };
}
const ID = 'job_00000000000000000001';

describe('JobHistory', () => {
  it('keeps every event but progress, which it thins evenly below the limit', () => {
    const { history } = setup(10);
    history.record(ID, { id: 1, event: 'status', data: '{"type":"status","status":"running"}' });
    for (let step = 1; step <= 95; step++)
      history.record(ID, { id: 1 + step, event: 'progress', data: JSON.stringify(progress(step)) });
    history.record(ID, { id: 500, event: 'learning-rate', data: '{"type":"learning-rate"}' });
    const body = JSON.parse(history.json(ID)) as {
      events: { type: string; step?: number }[];
      lastEventId: string;
    };
    const steps = body.events.filter((e) => e.type === 'progress').map((e) => e.step!);
    expect(steps.length).toBeLessThan(10);
    expect(steps.length).toBeGreaterThanOrEqual(5);
    // Evenly spread from the start: a constant stride.
    const strides = new Set(steps.slice(1).map((s, i) => s - steps[i]!));
    expect(strides.size).toBe(1);
    expect(steps[0]).toBe(1);
    expect(steps.at(-1)).toBeGreaterThan(95 - 2 * [...strides][0]!);
    expect(body.events[0]).toEqual({ type: 'status', status: 'running' });
    expect(body.events.at(-1)).toEqual({ type: 'learning-rate' });
    expect(body.lastEventId).toBe('500');
  });

  it('stores every progress event as the job progress, kept in the history or not', () => {
    const { history, table } = setup(4);
    for (let step = 1; step <= 50; step++)
      history.record(ID, { id: step, event: 'progress', data: JSON.stringify(progress(step)) });
    expect(table.get(ID)!.progress).toEqual(progress(50));
  });

  it('an unknown job has an empty history', () => {
    const { history } = setup(4);
    expect(JSON.parse(history.json('job_00000000000000000009'))).toEqual({
      events: [],
      lastEventId: null,
    });
  });
});
