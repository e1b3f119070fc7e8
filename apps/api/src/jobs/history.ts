/**
 * A job's event history in the database, for `GET /v1/trainings/{id}/history` and for what a
 * restart must know. Every event is kept (start, evaluations without weights, status, pause,
 * resume, learning-rate, done, failed, cancelled) except progress, which is thinned so that at most
 * `maxProgress` stay: each time the limit is reached every other kept progress event is deleted
 * and from then on only every 2nd, 4th, … one is kept (evenly spread over the whole run).
 *
 * A progress event also becomes the job's recorded progress, in the same transaction, before it
 * is streamed: a job that is interrupted (even by SIGKILL) never records older progress than
 * the last event a client saw.
 */
import type { Db } from '../db/database.js';

/** Most progress events kept per job (the rest are thinned evenly). */
export const HISTORY_PROGRESS_MAX = 1000;

interface Thinning {
  /** Keep one progress event in `stride`. */
  stride: number;
  /** Progress events seen. */
  seen: number;
  /** Ids of the progress events kept, in order. */
  kept: number[];
}

export class JobHistory {
  private readonly insert;
  private readonly remove;
  private readonly saveProgress;
  private readonly select;
  private readonly thinning = new Map<string, Thinning>();

  constructor(
    private readonly db: Db,
    private readonly maxProgress = HISTORY_PROGRESS_MAX,
  ) {
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO job_events (job_id, id, type, data) VALUES (?, ?, ?, ?)',
    );
    this.remove = db.prepare('DELETE FROM job_events WHERE job_id = ? AND id = ?');
    this.saveProgress = db.prepare('UPDATE jobs SET progress = ? WHERE id = ?');
    this.select = db.prepare<[string], { id: number; data: string }>(
      'SELECT id, data FROM job_events WHERE job_id = ? ORDER BY id',
    );
  }

  /** Records a published event (a progress event also becomes the job's progress). */
  record(jobId: string, entry: { id: number; event: string; data: string }): void {
    if (entry.event === 'progress') this.recordProgress(jobId, entry.id, entry.data);
    else this.insert.run(jobId, entry.id, entry.event, entry.data);
  }

  /** Records a progress event as the job's progress, and in the history if its turn has come. */
  private recordProgress(jobId: string, id: number, data: string): void {
    let t = this.thinning.get(jobId);
    if (!t) {
      t = { stride: 1, seen: 0, kept: [] };
      this.thinning.set(jobId, t);
    }
    const keep = t.seen++ % t.stride === 0;
    this.db.transaction(() => {
      this.saveProgress.run(data, jobId); // eventJson of a progress event is its row JSON
      if (!keep) return;
      this.insert.run(jobId, id, 'progress', data);
      t.kept.push(id);
      if (t.kept.length >= this.maxProgress) {
        const dropped = t.kept.filter((_, i) => i % 2 === 1);
        for (const old of dropped) this.remove.run(jobId, old);
        t.kept = t.kept.filter((_, i) => i % 2 === 0);
        t.stride *= 2;
      }
    })();
  }

  /** The job will publish no more progress. */
  forget(jobId: string): void {
    this.thinning.delete(jobId);
  }

  /** `{"events":[…],"lastEventId":…}` with each event's SSE data, oldest first. */
  json(jobId: string): string {
    const rows = this.select.all(jobId);
    const last = rows.at(-1)?.id ?? null;
    return `{"events":[${rows.map((r) => r.data).join(',')}],"lastEventId":${last === null ? 'null' : `"${last}"`}}`;
  }
}
