/** The jobs table and each job's metric history. */
import {
  FINAL_JOB_STATUSES,
  isFinalJobStatus,
  JOB_STATUSES,
  type JobStatus,
  type TrainConfig,
  type TrainingEvent,
  type TrainResultSummary,
} from '@mnist/net';
import type { Db } from './database.js';

// The statuses are @mnist/net's vocabulary, shared with the dashboard's attach mode.
export { JOB_STATUSES, type JobStatus };
/** Statuses a job never leaves. */
export const FINAL_STATUSES: readonly JobStatus[] = FINAL_JOB_STATUSES;
export const isFinal = isFinalJobStatus;

export type ProgressEvent = Extract<TrainingEvent, { type: 'progress' }>;
export type EvaluationEvent = Extract<TrainingEvent, { type: 'evaluation' }>;

export interface JobRow {
  readonly id: string;
  readonly status: JobStatus;
  readonly modelName: string;
  readonly config: TrainConfig;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly modelId: string | null;
  readonly error: string | null;
  readonly progress: ProgressEvent | null;
  readonly result: TrainResultSummary | null;
}

/** One evaluation of a job: losses and accuracies after `step` steps. */
export interface MetricRow {
  readonly step: number;
  readonly epoch: number;
  readonly elapsedMs: number;
  readonly train: { readonly loss: number | null; readonly accuracy: number | null };
  readonly test: { readonly loss: number | null; readonly accuracy: number | null };
  readonly validation: { readonly loss: number | null; readonly accuracy: number | null } | null;
  readonly at: string;
}

interface Raw {
  id: string;
  status: JobStatus;
  model_name: string;
  config: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  model_id: string | null;
  error: string | null;
  progress: string | null;
  result: string | null;
}

const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
const fromRaw = (r: Raw): JobRow => ({
  id: r.id,
  status: r.status,
  modelName: r.model_name,
  config: JSON.parse(r.config) as TrainConfig,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  modelId: r.model_id,
  error: r.error,
  progress: parse<ProgressEvent>(r.progress),
  result: parse<TrainResultSummary>(r.result),
});

/** JSON that survives NaN (per-class accuracy of an absent class): NaN and ±Infinity become null. */
export const toJson = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x));

/** What may change on a job. */
export interface JobPatch {
  status?: JobStatus;
  startedAt?: string | null;
  finishedAt?: string | null;
  modelId?: string | null;
  error?: string | null;
  progress?: ProgressEvent | null;
  result?: TrainResultSummary | null;
}

const COLUMNS: Readonly<Record<keyof JobPatch, string>> = {
  status: 'status',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  modelId: 'model_id',
  error: 'error',
  progress: 'progress',
  result: 'result',
};

export class JobTable {
  private readonly byId;
  private readonly insertRow;
  private readonly insertMetric;
  private readonly metricsOf;
  private readonly counts;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], Raw>('SELECT * FROM jobs WHERE id = ?');
    this.insertRow = db.prepare(
      `INSERT INTO jobs (id, status, model_name, config, created_at) VALUES (@id, 'queued', @model_name, @config, @created_at)`,
    );
    this.insertMetric = db.prepare(
      `INSERT OR REPLACE INTO job_metrics (job_id, step, epoch, elapsed_ms, train_loss, train_accuracy, test_loss, test_accuracy, validation_loss, validation_accuracy, at)
       VALUES (@job_id, @step, @epoch, @elapsed_ms, @train_loss, @train_accuracy, @test_loss, @test_accuracy, @validation_loss, @validation_accuracy, @at)`,
    );
    this.metricsOf = db.prepare<[string], Record<string, number | string | null>>(
      'SELECT * FROM job_metrics WHERE job_id = ? ORDER BY step',
    );
    this.counts = db.prepare<[], { status: JobStatus; n: number }>(
      'SELECT status, count(*) AS n FROM jobs GROUP BY status',
    );
  }

  get(id: string): JobRow | null {
    const r = this.byId.get(id);
    return r ? fromRaw(r) : null;
  }

  insert(job: { id: string; modelName: string; config: TrainConfig; createdAt: string }): JobRow {
    this.insertRow.run({
      id: job.id,
      model_name: job.modelName,
      config: JSON.stringify(job.config),
      created_at: job.createdAt,
    });
    return this.get(job.id)!;
  }

  update(id: string, patch: JobPatch): void {
    const keys = Object.keys(patch) as (keyof JobPatch)[];
    if (keys.length === 0) return;
    const sets = keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ');
    const values: Record<string, unknown> = { id };
    for (const k of keys) {
      const v = patch[k];
      values[k] = k === 'progress' || k === 'result' ? (v === null ? null : toJson(v)) : v;
    }
    this.db.prepare(`UPDATE jobs SET ${sets} WHERE id = @id`).run(values);
  }

  list(options: { status?: JobStatus; limit: number }): JobRow[] {
    const where = options.status ? 'WHERE status = ?' : '';
    const args = options.status ? [options.status, options.limit] : [options.limit];
    return (
      this.db
        .prepare(`SELECT * FROM jobs ${where} ORDER BY created_at DESC, id DESC LIMIT ?`)
        .all(...args) as Raw[]
    ).map(fromRaw);
  }

  /** Jobs in one of `statuses`, oldest first. */
  withStatus(statuses: readonly JobStatus[]): JobRow[] {
    const marks = statuses.map(() => '?').join(', ');
    return (
      this.db
        .prepare(`SELECT * FROM jobs WHERE status IN (${marks}) ORDER BY created_at, id`)
        .all(...statuses) as Raw[]
    ).map(fromRaw);
  }

  /** How many jobs are in each status (all statuses listed, zeros included). */
  countByStatus(): Record<JobStatus, number> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const { status, n } of this.counts.all()) out[status] = n;
    return out;
  }

  addEvaluation(jobId: string, e: EvaluationEvent): void {
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    this.insertMetric.run({
      job_id: jobId,
      step: e.step,
      epoch: e.epoch,
      elapsed_ms: e.elapsedMs,
      train_loss: finite(e.train.loss),
      train_accuracy: finite(e.train.accuracy),
      test_loss: finite(e.test.loss),
      test_accuracy: finite(e.test.accuracy),
      validation_loss: e.validation ? finite(e.validation.loss) : null,
      validation_accuracy: e.validation ? finite(e.validation.accuracy) : null,
      at: new Date().toISOString(),
    });
  }

  metrics(jobId: string): MetricRow[] {
    return this.metricsOf.all(jobId).map((r) => ({
      step: r.step as number,
      epoch: r.epoch as number,
      elapsedMs: r.elapsed_ms as number,
      train: { loss: r.train_loss as number | null, accuracy: r.train_accuracy as number | null },
      test: { loss: r.test_loss as number | null, accuracy: r.test_accuracy as number | null },
      validation:
        r.validation_loss === null && r.validation_accuracy === null
          ? null
          : {
              loss: r.validation_loss as number | null,
              accuracy: r.validation_accuracy as number | null,
            },
      at: r.at as string,
    }));
  }
}
