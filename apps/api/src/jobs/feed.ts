/**
 * Where a job's events go: its EventLog (live subscribers, `Last-Event-ID` resumption, the
 * snapshot of a new subscriber) and, before any subscriber sees them, its history in the
 * database (JobHistory). Logs of queued and running jobs stay in memory, and those of the
 * `FINISHED_LOGS` most recently finished; any other job's log is rebuilt from its row.
 */
import type { TrainingEvent } from '@mnist/net';
import { isFinal, type JobStatus, type JobTable } from '../db/jobs.js';
import { type EntryKind, EventLog } from '../sse/log.js';
import type { JobHistory } from './history.js';

/** Finished jobs whose logs stay in memory. */
const FINISHED_LOGS = 32;

/** The data of a `status` event: `{"type":"status","status":…}` (plus `modelId` once completed). */
export const statusData = (status: JobStatus, modelId?: string) =>
  JSON.stringify({ type: 'status', status, ...(modelId ? { modelId } : {}) });

export class JobFeeds {
  private readonly logs = new Map<string, EventLog>();
  private readonly finished: string[] = [];

  constructor(
    private readonly table: JobTable,
    private readonly history: JobHistory,
    private readonly historySize: number,
  ) {}

  /** A log for a job that starts now; with `fromNow`, one whose earlier events are not in memory. */
  open(id: string, fromNow = false): EventLog {
    const log = fromNow ? EventLog.fromNow(this.historySize) : new EventLog(this.historySize);
    log.onPublish = (entry) => this.history.record(id, entry);
    this.logs.set(id, log);
    return log;
  }

  /** The job's log; for a job known only from the database, a log holding its final state. */
  get(id: string): EventLog | null {
    const existing = this.logs.get(id);
    if (existing) return existing;
    const row = this.table.get(id);
    if (!row) return null;
    const log = EventLog.fromNow(this.historySize);
    if (row.progress) log.remember(row.progress);
    if (row.result) log.remember({ type: 'done', result: row.result });
    else if (row.status === 'failed')
      log.remember({ type: 'failed', message: row.error ?? 'failed' });
    if (isFinal(row.status)) log.end();
    this.keepFinished(id, log);
    return log;
  }

  /** Streams (and records) a TrainingEvent of the job. */
  event(id: string, e: TrainingEvent, kind?: EntryKind): void {
    this.get(id)?.publishEvent(e, kind);
  }

  /** Streams (and records) the job's new status. */
  status(id: string, status: JobStatus, kind: EntryKind = 'event', modelId?: string): void {
    this.get(id)?.publish('status', statusData(status, modelId), kind);
  }

  /** The job published its last event: its log ends and joins the finished ones. */
  end(id: string): void {
    const log = this.get(id);
    if (!log) return;
    log.end();
    this.history.forget(id);
    this.keepFinished(id, log);
  }

  /** `{"events":[…]}`: the job's recorded events. */
  historyJson(id: string): string {
    return this.history.json(id);
  }

  private keepFinished(id: string, log: EventLog): void {
    this.logs.set(id, log);
    if (!this.finished.includes(id)) this.finished.push(id);
    while (this.finished.length > FINISHED_LOGS) this.logs.delete(this.finished.shift()!);
  }
}
