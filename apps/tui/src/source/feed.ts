/**
 * Attach mode's event feed: a training job's events from the HTTP API, dispatched to the store.
 * First the job's history (`GET /v1/trainings/{id}/history`; a 404 means a server without it:
 * no backfill), then the live events (`GET …/events`, Server-Sent Events: a `snapshot`, the
 * TrainingEvents by type, `status` and `cancelled`; on a reconnect `Last-Event-ID` asks for what
 * was missed). After each evaluation that does not carry its weights, `GET …/weights` (a model
 * file, `If-None-Match`) fetches them for the hidden-units panel. When the server goes away the
 * store turns `disconnected` (the header stops saying RUNNING) until a reconnect succeeds.
 */
import type { ApiClient, Problem } from '@mnist/api-client';
import {
  FINAL_JOB_STATUSES,
  JOB_STATUSES,
  type JobStatus,
  modelFromBytes,
  snapshotOf,
  TRAINING_EVENT_TYPES,
  type TrainConfig,
  type TrainingEvent,
} from '@mnist/net';
import type { Action } from '../state/reducer.js';
import { SseParser } from './sse.js';

/** The job a feed follows, and how to reach it. */
export interface JobRef {
  readonly api: ApiClient;
  /** The server's base URL and the job's id, as in the job's URL. */
  readonly base: string;
  readonly id: string;
  /** The job's URL, for messages. */
  readonly label: string;
  /** Aborts every request (the source closed). */
  readonly signal: AbortSignal;
  /** First wait before reconnecting after the stream drops; doubles up to 10 s. */
  readonly retryMs: number;
}

const FINAL: readonly JobStatus[] = FINAL_JOB_STATUSES;
const EVENT_TYPES: readonly TrainingEvent['type'][] = TRAINING_EVENT_TYPES;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The reason a problem+json body (or any other error body) gives. */
export const reasonOf = (error: unknown): string => {
  if (isObject(error)) {
    const p = error as Partial<Problem>;
    return String(p.detail ?? p.error ?? p.title ?? JSON.stringify(error)).slice(0, 200);
  }
  return typeof error === 'string' ? error.slice(0, 200) : '';
};

export class JobFeed {
  private finished = false;
  private lastEventId: string | null = null;
  /** ETag of the weights last fetched (sent as If-None-Match). */
  private weightsTag: string | null = null;

  constructor(
    private readonly job: JobRef,
    private readonly dispatch: (a: Action) => void,
  ) {}

  private get path() {
    return { path: { id: this.job.id } };
  }

  /** The history, then the live events until the job ends, the source closes or a fatal refusal. */
  async run(): Promise<void> {
    await this.backfill();
    await this.connectLoop();
  }

  /** The job's events before now, through the store; the last evaluation gets the weights. */
  private async backfill(): Promise<void> {
    let events: unknown[];
    try {
      const { data } = await this.job.api.GET('/v1/trainings/{id}/history', {
        params: this.path,
        signal: this.job.signal,
      });
      // 404: a server without history (or no such job: the event stream says which).
      events = data?.events ?? [];
      // The stream continues right after the history, without a gap or a repeated snapshot.
      if (events.length && data?.lastEventId) this.lastEventId = data.lastEventId;
    } catch {
      return; // unreachable: the event stream reports it
    }
    const lastEvaluation = events.findLastIndex((e) => isObject(e) && e.type === 'evaluation');
    for (const [i, e] of events.entries()) {
      if (isObject(e) && e.type === 'status') this.status(e.status);
      else if (isObject(e) && e.type === 'cancelled') this.status('cancelled');
      else this.event(i === lastEvaluation ? await this.withWeights(e) : e, false);
    }
  }

  private async connectLoop(): Promise<void> {
    const { api, base, id, label, signal } = this.job;
    let wait = this.job.retryMs;
    let attempt = 0;
    while (!signal.aborted && !this.finished) {
      attempt++;
      this.dispatch({
        type: 'connection',
        state: 'connecting',
        message: attempt === 1 ? `connecting to ${label}` : `reconnecting (attempt ${attempt})…`,
      });
      let fatal: string | null = null;
      try {
        const { data, error, response } = await api.GET('/v1/trainings/{id}/events', {
          params: {
            ...this.path,
            header: this.lastEventId ? { 'last-event-id': this.lastEventId } : {},
          },
          headers: { accept: 'text/event-stream' },
          parseAs: 'stream',
          signal,
        });
        const why = reasonOf(error);
        if (response.status === 404)
          fatal = `no training job ${id} at ${base} (404${why ? `: ${why}` : ''})`;
        else if (response.status === 400)
          fatal = `the server refused job id ${JSON.stringify(id)} (400${why ? `: ${why}` : ''})`;
        else if (response.status === 401 || response.status === 403)
          fatal = `the server refused to show job ${id} (${response.status}${why ? `: ${why}` : ''}); pass --token or set MNIST_API_TOKEN`;
        else if (!response.ok || !data) throw new Error(`HTTP ${response.status} ${why}`.trim());
        else {
          this.dispatch({ type: 'connection', state: 'connected' });
          attempt = 0;
          wait = this.job.retryMs;
          await this.read(data);
        }
      } catch (e) {
        if (signal.aborted) return;
        this.dispatch({
          type: 'connection',
          state: 'lost',
          message: `connection lost (${(e as Error).message}); retrying in ${(wait / 1000).toFixed(1)}s`,
        });
      }
      if (fatal) {
        this.finished = true;
        this.dispatch({ type: 'event', event: { type: 'failed', message: fatal } });
        return;
      }
      if (this.finished || signal.aborted) return;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(10_000, wait * 2);
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = new SseParser();
    const decoder = new TextDecoder(); // strips a BOM
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const m of parser.push(decoder.decode(value, { stream: true }))) {
          this.lastEventId = m.id ?? this.lastEventId;
          await this.handle(m.event, m.data);
        }
      }
    } finally {
      reader.releaseLock();
    }
    if (!this.finished) throw new Error('the server closed the stream');
  }

  /** One SSE message: a snapshot, a job status, or a TrainingEvent. */
  private async handle(name: string, data: string): Promise<void> {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return; // not ours (or a heartbeat sent as data)
    }
    if (name === 'snapshot' && isObject(payload)) {
      const job = isObject(payload.job) ? payload.job : {};
      const config = isObject(job.config) ? (job.config as unknown as TrainConfig) : undefined;
      this.status(job.status, config);
      const events = Array.isArray(payload.events) ? payload.events : [];
      for (const e of events) this.event(await this.withWeights(e));
      return;
    }
    if (name === 'status' && isObject(payload)) this.status(payload.status);
    else if (name === 'cancelled') this.status('cancelled');
    else if ((EVENT_TYPES as readonly string[]).includes(name)) {
      const e = isObject(payload) && !payload.type ? { ...payload, type: name } : payload;
      this.event(await this.withWeights(e));
    }
  }

  /**
   * An evaluation without weights gets the job's latest weights from `GET …/weights` (304: the
   * same as before, nothing to add; 404: none yet, or a server that sends them in the event).
   */
  private async withWeights(e: unknown): Promise<unknown> {
    if (!isObject(e) || e.type !== 'evaluation' || isObject(e.params)) return e;
    try {
      const { data, response } = await this.job.api.GET('/v1/trainings/{id}/weights', {
        params: this.path,
        headers: this.weightsTag ? { 'if-none-match': this.weightsTag } : {},
        parseAs: 'arrayBuffer',
        signal: this.job.signal,
      });
      if (response.status !== 200 || !data) return e;
      // A model file: @mnist/net checks it as it checks any, and gives its weights snapshot.
      const bytes = new Uint8Array(data as unknown as ArrayBuffer);
      const { params } = modelFromBytes(bytes, `${this.job.label}/weights`);
      this.weightsTag = response.headers.get('etag');
      return { ...e, params: snapshotOf(params) };
    } catch (err) {
      if (!this.job.signal.aborted)
        this.dispatch({ type: 'notice', text: `weights: ${(err as Error).message}`, tone: 'warn' });
      return e;
    }
  }

  private status(status: unknown, config?: TrainConfig): void {
    if (!JOB_STATUSES.includes(status as JobStatus)) return;
    if (FINAL.includes(status as JobStatus)) this.finished = true;
    this.dispatch({ type: 'job', status: status as JobStatus, ...(config ? { config } : {}) });
  }

  /** A TrainingEvent; a `done` or `failed` from the live stream ends the following. */
  private event(e: unknown, live = true): void {
    if (!isObject(e) || !(EVENT_TYPES as readonly unknown[]).includes(e.type)) return;
    const event = e as unknown as TrainingEvent;
    if (live && (event.type === 'done' || event.type === 'failed')) this.finished = true;
    this.dispatch({ type: 'event', event });
  }
}
