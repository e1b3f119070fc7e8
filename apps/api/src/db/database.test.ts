import { join } from 'node:path';
import { resolveConfig } from '@mnist/net';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { openDatabase, SCHEMA_VERSION } from './database.js';
import { JobTable } from './jobs.js';
import { ModelTable } from './models.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const row = (id: string, name = 'mnist') => ({
  id,
  name,
  source: 'upload' as const,
  jobId: null,
  hidden: 10,
  config: { preset: 'fast' },
  trainAccuracy: 0.9,
  testAccuracy: null,
  bytes: 1,
  sha256: 'x',
  createdAt: '2025-01-01T00:00:00.000Z',
});

describe('openDatabase', () => {
  it('creates the schema once and reopens it', () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'db.sqlite');
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    new ModelTable(db).insert(row('mdl_a'));
    db.close();
    const again = openDatabase(path);
    expect(new ModelTable(again).size()).toBe(1);
    again.close();
  });

  it('refuses a database from a newer server', () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'db.sqlite');
    const db = openDatabase(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(/newer than this server's/);
  });
});

describe('ModelTable', () => {
  it('numbers versions per name and never reuses one', () => {
    const t = new ModelTable(openDatabase(':memory:'));
    expect(t.insert(row('mdl_1')).version).toBe(1);
    expect(t.insert(row('mdl_2')).version).toBe(2);
    expect(t.insert(row('mdl_x', 'other')).version).toBe(1);
    expect(t.delete('mdl_2')).toBe(true);
    expect(t.insert(row('mdl_3')).version).toBe(3);
    expect(t.latest('mnist')!.id).toBe('mdl_3');
    expect(t.version('mnist', 1)!.id).toBe('mdl_1');
    expect(t.version('mnist', 2)).toBeNull();
    expect(t.modelNames()).toEqual(['mnist', 'other']);
    expect(t.list({ name: 'mnist', limit: 10 }).map((r) => r.version)).toEqual([3, 1]);
    expect(t.delete('mdl_2')).toBe(false);
  });
});

describe('JobTable', () => {
  it('stores jobs, their progress and evaluations, and counts them by status', () => {
    const db = openDatabase(':memory:');
    const t = new JobTable(db);
    const config = resolveConfig({ preset: 'fast' });
    t.insert({ id: 'job_a', modelName: 'mnist', config, createdAt: '2025-01-01T00:00:00.000Z' });
    t.insert({ id: 'job_b', modelName: 'mnist', config, createdAt: '2025-01-02T00:00:00.000Z' });
    t.update('job_a', { status: 'running', startedAt: 'now' });
    const m = { loss: 0.5, accuracy: 0.9, perClass: [], confusion: [], count: 1 };
    t.addEvaluation('job_a', {
      type: 'evaluation',
      step: 10,
      totalSteps: 20,
      epoch: 1,
      iteration: 10,
      elapsedMs: 5,
      train: m,
      test: { ...m, loss: Number.NaN },
      validation: null,
      params: null as never,
    });
    expect(t.get('job_a')).toMatchObject({ status: 'running', startedAt: 'now', config });
    expect(t.metrics('job_a')).toEqual([
      {
        step: 10,
        epoch: 1,
        elapsedMs: 5,
        train: { loss: 0.5, accuracy: 0.9 },
        test: { loss: null, accuracy: 0.9 },
        validation: null,
        at: expect.any(String),
      },
    ]);
    expect(t.countByStatus()).toEqual({
      queued: 1,
      running: 1,
      paused: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
      interrupted: 0,
    });
    expect(t.list({ limit: 10 }).map((j) => j.id)).toEqual(['job_b', 'job_a']);
    expect(t.withStatus(['queued', 'running']).map((j) => j.id)).toEqual(['job_a', 'job_b']);
    expect(() => t.update('job_a', { status: 'bogus' as never })).toThrow(/CHECK constraint/);
  });
});
