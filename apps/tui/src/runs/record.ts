/**
 * Writes a run's record as it goes (`runs/<id>/run.json` and `events.csv`, see `format.ts`):
 * rows are appended as events arrive, `run.json` is rewritten (atomically) when the run starts,
 * is saved and ends. All writes are synchronous and small, so the record is complete even when
 * the process ends on a signal.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Action } from '../state/reducer.js';
import { type DashboardState, isFinished } from '../state/state.js';
import {
  EVENT_HEADER,
  EVENTS_FILE,
  type EventRow,
  eventLine,
  RUN_FILE,
  RUN_FORMAT,
  type RunInfo,
} from './format.js';

/** `2026-11-30T20-15-03` (UTC; sorts by time, valid in every file system). */
export const stamp = (d: Date) => d.toISOString().slice(0, 19).replaceAll(':', '-');

export interface RecordStart {
  readonly source: 'local' | 'attach';
  readonly job?: string | null;
  /** Known before the first event for local runs. */
  readonly preset?: string | null;
  readonly resumedFrom?: RunInfo['resumedFrom'];
}

export class RunRecorder {
  private info: RunInfo;
  private rows: string[] = [];
  private lastProgress = -1;
  private lastEvaluation = -1;
  private changes = 0;

  private constructor(
    readonly dir: string,
    info: RunInfo,
  ) {
    this.info = info;
  }

  /** A new record folder under `root` (created), named by the time and preset. */
  static create(root: string, start: RecordStart, now = new Date()): RunRecorder {
    const base = `${stamp(now)}-${start.preset ?? start.source}`;
    let id = base;
    for (let n = 2; existsSync(join(root, id)); n++) id = `${base}-${n}`;
    const dir = join(root, id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, EVENTS_FILE), `${EVENT_HEADER}\n`);
    const r = new RunRecorder(dir, {
      format: RUN_FORMAT,
      id,
      createdAt: now.toISOString(),
      endedAt: null,
      source: start.source,
      job: start.job ?? null,
      status: 'starting',
      preset: start.preset ?? null,
      hidden: null,
      learningRate: null,
      config: null,
      resumedFrom: start.resumedFrom ?? null,
      model: null,
      final: null,
      learningRateChanges: [],
    });
    r.writeInfo();
    return r;
  }

  /** Records what `a` changed; `s` is the state after it. */
  observe(a: Action, s: DashboardState): void {
    if (a.type === 'saved') {
      this.info = { ...this.info, model: { path: a.path, step: a.step } };
      this.writeInfo();
      return;
    }
    if (a.type === 'job' || a.type === 'event') this.update(s);
    if (a.type !== 'event') return;
    const e = a.event;
    if (e.type === 'progress' && e.step > this.lastProgress) {
      this.lastProgress = e.step;
      this.row({
        kind: 'progress',
        step: e.step,
        epoch: e.epoch,
        elapsed_ms: Math.round(e.elapsedMs),
        loss: e.loss,
        accuracy: e.accuracy,
        learning_rate: e.learningRate,
      });
    } else if (e.type === 'evaluation' && e.step > this.lastEvaluation) {
      this.lastEvaluation = e.step;
      this.row({
        kind: 'evaluation',
        step: e.step,
        epoch: e.epoch,
        elapsed_ms: Math.round(e.elapsedMs),
        loss: e.train.loss,
        accuracy: e.train.accuracy,
        test_loss: e.test.loss,
        test_accuracy: e.test.accuracy,
      });
      this.flush();
    } else if (e.type === 'learning-rate') {
      for (const c of s.rateChanges.slice(this.changes))
        this.row({ kind: 'alpha', step: c.step, learning_rate: c.to, alpha_from: c.from });
      this.changes = s.rateChanges.length;
      this.flush();
      this.writeInfo();
    } else if (e.type === 'start' || e.type === 'done' || e.type === 'failed') {
      this.flush();
      this.writeInfo();
    }
  }

  /**
   * Writes what is pending and the final run.json, on the way out. A run left before its end is
   * recorded as `interrupted` (local) or `detached` (a server's job, which goes on).
   */
  close(s: DashboardState, now = new Date()): void {
    if (this.info.endedAt !== null) return;
    this.update(s);
    const left = !isFinished(s);
    this.info = {
      ...this.info,
      endedAt: now.toISOString(),
      status: left ? (this.info.source === 'attach' ? 'detached' : 'interrupted') : s.status,
    };
    this.flush();
    this.writeInfo();
  }

  private update(s: DashboardState): void {
    const c = s.config;
    const r = s.result;
    this.info = {
      ...this.info,
      status: s.status,
      preset: c?.preset ?? this.info.preset,
      hidden: c?.hidden ?? null,
      learningRate: c?.learningRate ?? null,
      config: c,
      learningRateChanges: s.rateChanges,
      final: r
        ? {
            reason: r.reason,
            step: r.step,
            elapsedMs: Math.round(r.elapsedMs),
            train: { loss: r.train.loss, accuracy: r.train.accuracy },
            test: { loss: r.test.loss, accuracy: r.test.accuracy },
          }
        : this.info.final,
    };
  }

  private row(r: EventRow): void {
    this.rows.push(eventLine(r));
    if (this.rows.length >= 50) this.flush();
  }

  private flush(): void {
    if (!this.rows.length) return;
    appendFileSync(join(this.dir, EVENTS_FILE), `${this.rows.join('\n')}\n`);
    this.rows = [];
  }

  private writeInfo(): void {
    const path = join(this.dir, RUN_FILE);
    writeFileSync(`${path}.tmp`, `${JSON.stringify(this.info, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  }
}
