/**
 * The runs of jobs: each in its own worker thread (`startTraining`), its events to the job's
 * feed and the jobs table, its weights at each evaluation to the snapshots, and its end: a
 * finished run registers its model before the job is marked completed; a cancelled one registers
 * nothing; a failed one records an error without server paths.
 */
import {
  startTraining,
  type TrainConfig,
  type TrainerOptions,
  type TrainingEvent,
  type TrainingRun,
} from '@mnist/net';
import type { JobPatch, JobStatus, JobTable } from '../db/jobs.js';
import type { Logger } from '../log.js';
import type { ModelRegistry } from '../store/registry.js';
import { publicJobError } from './errors.js';
import { type JobFeeds, statusData } from './feed.js';
import type { WeightSnapshots } from './snapshots.js';

export interface Active {
  readonly run: TrainingRun;
  readonly config: TrainConfig;
  cancelling: boolean;
  killTimer: NodeJS.Timeout | null;
}

export interface JobRunsOptions {
  readonly table: JobTable;
  readonly feeds: JobFeeds;
  readonly snapshots: WeightSnapshots;
  readonly registry: ModelRegistry;
  readonly logger: Logger;
  readonly progressIntervalMs: number;
  readonly mnistDir?: string;
  readonly start?: (options: TrainerOptions) => TrainingRun;
  /** Called when a run ends (a slot is free). */
  readonly onEnd: () => void;
}

type FinalEvent = TrainingEvent | { type: 'cancelled'; message: string; step?: number };

export class JobRuns {
  readonly active = new Map<string, Active>();

  constructor(private readonly o: JobRunsOptions) {}

  /** Ends a job that never ran or was cancelled before it started. */
  end(id: string, patch: JobPatch & { status: JobStatus }, events: FinalEvent[]): void {
    this.finish(id, patch, events);
  }

  /**
   * Shutdown: every run is killed, its job recorded interrupted, its stream ended with that
   * status, and its last weights snapshot saved to the data folder.
   */
  async interruptAll(): Promise<void> {
    const kills: Promise<void>[] = [];
    const saves: Promise<void>[] = [];
    for (const [id, a] of this.active) {
      this.active.delete(id);
      if (a.killTimer) clearTimeout(a.killTimer);
      this.o.table.update(id, {
        status: 'interrupted',
        finishedAt: new Date().toISOString(),
        error: 'the server shut down while this job was running',
      });
      this.o.feeds.status(id, 'interrupted', 'terminal');
      this.o.feeds.end(id);
      kills.push(a.run.kill());
      saves.push(
        this.o.snapshots.save(id).then(
          (saved) =>
            this.o.logger.warn('job interrupted by shutdown', { job: id, weightsSaved: saved }),
          (e: Error) =>
            this.o.logger.error(
              'job interrupted by shutdown; its last weights could not be saved',
              {
                job: id,
                error: e.message,
              },
            ),
        ),
      );
      this.o.snapshots.finish(id);
    }
    await Promise.allSettled([...kills, ...saves]);
  }

  /** Starts the run of job `id` (`queued`: how many wait behind it, for the log). */
  start(id: string, queued: number): void {
    const row = this.o.table.get(id)!;
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
    this.o.table.update(id, { status: 'running', startedAt: new Date().toISOString() });
    this.o.feeds.status(id, 'running');
    this.o.logger.info('job started', {
      job: id,
      running: this.active.size,
      queued,
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
        this.o.table.addEvaluation(id, e);
        this.o.snapshots.take(id, a.config, e);
        break;
      case 'paused':
      case 'resumed': {
        if (a.cancelling) return;
        const status: JobStatus = e.type === 'paused' ? 'paused' : 'running';
        this.o.table.update(id, { status });
        this.o.feeds.event(id, e);
        this.o.feeds.status(id, status);
        return;
      }
    }
    this.o.feeds.event(id, e); // a progress event is stored as the job's progress first
  }

  private async onResult(id: string, a: Active, r: Awaited<TrainingRun['result']>): Promise<void> {
    if (this.active.get(id) !== a) return;
    if (a.cancelling) {
      this.finish(id, { status: 'cancelled', result: r.summary }, [
        { type: 'cancelled', message: 'cancelled by request', step: r.summary.step },
      ]);
      return;
    }
    const row = this.o.table.get(id)!;
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
    this.o.snapshots.finish(id);
    this.o.table.update(id, { ...patch, finishedAt: new Date().toISOString() });
    const log = this.o.feeds.get(id)!;
    if (!log.ended) {
      for (const e of events) {
        if (e.type === 'cancelled') log.publish('cancelled', JSON.stringify(e), 'terminal');
        else log.publishEvent(e as TrainingEvent, 'terminal');
      }
      log.publish('status', statusData(patch.status, modelId), 'terminal');
    }
    this.o.feeds.end(id);
    this.o.logger.info(`job ${patch.status}`, {
      job: id,
      ...(patch.modelId ? { model: patch.modelId } : {}),
      ...(patch.error ? { error: patch.error } : {}),
    });
    this.o.onEnd();
  }
}
