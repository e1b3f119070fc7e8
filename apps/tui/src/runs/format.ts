/**
 * The run record, defined once: every run (local or attached) leaves a folder
 * `runs/<id>/` with `run.json` (what the run was and how it ended) and `events.csv` (one row per
 * progress report, evaluation and α change). Both are open formats: `pandas.read_csv` and any
 * spreadsheet read `events.csv` directly; the columns are listed in `EVENT_COLUMNS`.
 */
import type { LearningRateChange, TrainConfig } from '@mnist/net';

export const RUN_FORMAT = 'mnist-ts-run/1';
export const RUN_FILE = 'run.json';
export const EVENTS_FILE = 'events.csv';

/**
 * The columns of `events.csv`, in order, and what each holds. A row's `kind` says which are
 * filled; the others are empty (NaN in pandas).
 */
export const EVENT_COLUMNS = {
  kind: '`progress` (a report of the last batches), `evaluation` (train and test sets) or `alpha` (a change of the base α)',
  step: 'steps (parameter updates) done',
  epoch: 'epoch (mini-batch runs) or iteration (full batch)',
  elapsed_ms: 'running time of the run in ms (pauses excluded)',
  loss: 'progress: mean loss of the batches since the last report; evaluation: loss on the training set',
  accuracy: 'progress: accuracy of those batches; evaluation: accuracy on the training set',
  test_loss: 'evaluation: loss on the test set',
  test_accuracy: 'evaluation: accuracy on the test set',
  learning_rate: 'progress: α after the schedule; alpha: the new base α',
  alpha_from: 'alpha: the base α before the change',
} as const;

export type EventColumn = keyof typeof EVENT_COLUMNS;
export const EVENT_HEADER = Object.keys(EVENT_COLUMNS).join(',');

/** One row of `events.csv` (absent cells are empty). */
export type EventRow = { readonly kind: 'progress' | 'evaluation' | 'alpha' } & Partial<
  Record<Exclude<EventColumn, 'kind'>, number>
>;

/** What `run.json` holds. */
export interface RunInfo {
  readonly format: typeof RUN_FORMAT;
  /** The folder's name: `2026-11-30T20-15-03-fast`. */
  readonly id: string;
  readonly createdAt: string;
  readonly endedAt: string | null;
  /** `local` (trained here) or `attach` (a job of the HTTP API, `job` its URL). */
  readonly source: 'local' | 'attach';
  readonly job: string | null;
  readonly status: string;
  readonly preset: string | null;
  readonly hidden: number | null;
  /** The base α the run started with (its changes are in `learningRateChanges`). */
  readonly learningRate: number | null;
  readonly config: TrainConfig | null;
  /** The model a resumed run started from, its step and its run record, if any. */
  readonly resumedFrom: {
    readonly model: string;
    readonly step: number;
    readonly run: string | null;
  } | null;
  /** Where the model was saved last, and the step of the saved weights. */
  readonly model: { readonly path: string; readonly step: number } | null;
  readonly final: {
    readonly reason: string;
    readonly step: number;
    readonly elapsedMs: number;
    readonly train: { readonly loss: number; readonly accuracy: number };
    readonly test: { readonly loss: number; readonly accuracy: number };
  } | null;
  readonly learningRateChanges: readonly LearningRateChange[];
}

/** A row as a CSV line. */
export function eventLine(row: EventRow): string {
  return (Object.keys(EVENT_COLUMNS) as EventColumn[])
    .map((k) => {
      const v = (row as Record<string, unknown>)[k];
      return v === undefined || v === null ? '' : String(v);
    })
    .join(',');
}

/** Rows of an `events.csv` text; a line with the wrong number of cells is refused, naming it. */
export function parseEvents(text: string, source = EVENTS_FILE): EventRow[] {
  const lines = text.split('\n').filter((l) => l !== '');
  const header = lines.shift();
  if (header !== EVENT_HEADER)
    throw new Error(`${source}: expected the header ${EVENT_HEADER}, got ${header ?? 'nothing'}`);
  const names = Object.keys(EVENT_COLUMNS);
  return lines.map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== names.length)
      throw new Error(
        `${source}: line ${i + 2} has ${cells.length} cells, expected ${names.length}`,
      );
    const row: Record<string, unknown> = {};
    cells.forEach((c, j) => {
      if (c !== '') row[names[j]!] = j === 0 ? c : Number(c);
    });
    return row as EventRow;
  });
}
