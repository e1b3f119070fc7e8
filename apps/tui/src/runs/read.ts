/** Reading run records back: for `--compare`, `--resume` and the runs list. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ChartPoint } from '../render/chart.js';
import { appendPoint } from '../state/series.js';
import type { CompareRun } from '../state/state.js';
import { EVENTS_FILE, type EventRow, parseEvents, RUN_FILE, type RunInfo } from './format.js';

/** A run record that cannot be used; the message names the folder or file. */
export class RunRecordError extends Error {
  override readonly name = 'RunRecordError';
}

export interface RunRecord {
  readonly dir: string;
  readonly info: RunInfo;
  readonly rows: readonly EventRow[];
}

/** Record folders under `root`, oldest first (their names start with the time). */
export function runDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => existsSync(join(root, n, RUN_FILE)))
    .sort()
    .map((n) => join(root, n));
}

/**
 * The folder `name` means: a path to a record folder, a folder name under `root`, the unique
 * folder under `root` whose name starts with or contains it, or `last` (the newest).
 */
export function resolveRun(root: string, name: string): string {
  if (existsSync(join(name, RUN_FILE))) return resolve(name);
  const dirs = runDirs(root);
  if (name === 'last') {
    const last = dirs.at(-1);
    if (!last) throw new RunRecordError(`no runs in ${root} yet`);
    return last;
  }
  const exact = dirs.find((d) => basename(d) === name);
  if (exact) return exact;
  const found = dirs.filter((d) => basename(d).includes(name));
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new RunRecordError(
      `run ${JSON.stringify(name)} matches ${found.length} runs in ${root} (${found.map((d) => basename(d)).join(', ')}); give more of its name`,
    );
  throw new RunRecordError(
    `no run ${JSON.stringify(name)}: expected a run folder (with ${RUN_FILE}) or a name under ${root}`,
  );
}

/** A record folder's run.json and events.csv. */
export function readRun(dir: string): RunRecord {
  let info: RunInfo;
  try {
    info = JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8')) as RunInfo;
  } catch (e) {
    throw new RunRecordError(`${join(dir, RUN_FILE)}: ${(e as Error).message}`);
  }
  const events = join(dir, EVENTS_FILE);
  let rows: EventRow[] = [];
  try {
    if (existsSync(events)) rows = parseEvents(readFileSync(events, 'utf8'), events);
  } catch (e) {
    throw new RunRecordError((e as Error).message);
  }
  return { dir, info, rows };
}

/** A series from rows, downsampled like the live ones. */
function series(rows: readonly EventRow[], y: (r: EventRow) => number | undefined): ChartPoint[] {
  let points: readonly ChartPoint[] = [];
  for (const r of rows) {
    const v = y(r);
    if (r.step !== undefined && v !== undefined && Number.isFinite(v))
      points = appendPoint(points, { x: r.step, y: v });
  }
  return [...points];
}

/** The curves of an earlier run for the compare overlay. */
export function compareRunOf(run: RunRecord): CompareRun {
  return {
    label: basename(run.dir),
    loss: series(run.rows, (r) => (r.kind === 'progress' ? r.loss : undefined)),
    testAccuracy: series(run.rows, (r) => (r.kind === 'evaluation' ? r.test_accuracy : undefined)),
  };
}

/** A run's curves and α changes, to draw before the steps of a run that resumes it. */
export function historyOf(run: RunRecord, upToStep = Number.POSITIVE_INFINITY) {
  const rows = run.rows.filter((r) => (r.step ?? 0) <= upToStep);
  return {
    loss: series(rows, (r) => (r.kind === 'progress' ? r.loss : undefined)),
    trainAccuracy: series(rows, (r) => (r.kind === 'progress' ? r.accuracy : undefined)),
    testAccuracy: series(rows, (r) => (r.kind === 'evaluation' ? r.test_accuracy : undefined)),
    rateChanges: run.info.learningRateChanges.filter((c) => c.step <= upToStep),
  };
}

/** The newest record under `root` that saved `model` (at `step`, when known). */
export function runOfModel(root: string, model: string, step: number | null): string | null {
  const path = resolve(model);
  const dirs = runDirs(root).reverse();
  for (const d of dirs) {
    try {
      const info = JSON.parse(readFileSync(join(d, RUN_FILE), 'utf8')) as RunInfo;
      if (info.model?.path === path && (step === null || info.model.step === step)) return d;
    } catch {}
  }
  return null;
}

/** When a record folder was last written (for the list). */
export const modifiedAt = (dir: string) => statSync(join(dir, RUN_FILE)).mtime;
