/**
 * Attach mode: the dashboard for a training job on the HTTP API. Events come from
 * `GET {base}/v1/trainings/{id}/events` (Server-Sent Events: a `snapshot` first, then the
 * TrainingEvents by type, `status` and `cancelled`); the keys POST to `/pause`, `/resume`,
 * `/cancel` and `/learning-rate`. A 401 or 403 turns the keys read-only.
 */
import type { Model, TrainConfig, TrainingEvent } from '@mnist/net';
import type { Action } from '../state/reducer.js';
import type { JobStatus } from '../state/state.js';
import type { TrainingSource } from './source.js';
import { SseParser } from './sse.js';

/** A job URL that is not one. */
export class AttachUrlError extends Error {
  override readonly name = 'AttachUrlError';
}

/**
 * The API base and job id of a job URL: `http://host:3000/v1/trainings/abc` (or with
 * `/events` at the end) gives `{ base: 'http://host:3000', id: 'abc' }`.
 */
export function parseJobUrl(url: string): { base: string; id: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AttachUrlError(
      `--attach: expected the URL of a training job, like http://localhost:3000/v1/trainings/ID, got ${JSON.stringify(url)}`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new AttachUrlError(`--attach: expected an http or https URL, got ${u.protocol}`);
  const m = /^(.*)\/v1\/trainings\/([^/]+)(?:\/events)?\/?$/.exec(u.pathname);
  if (!m)
    throw new AttachUrlError(
      `--attach: expected a path ending in /v1/trainings/ID, got ${JSON.stringify(u.pathname)}`,
    );
  return { base: `${u.origin}${m[1]}`, id: decodeURIComponent(m[2]!) };
}

export interface AttachOptions {
  /** The job's URL. */
  readonly url: string;
  /** Bearer token for the API (`--token` or MNIST_API_TOKEN). */
  readonly token?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** First wait before reconnecting after the stream drops; doubles up to 10 s. @default 500 */
  readonly retryMs?: number;
}

const JOB_STATUSES: readonly JobStatus[] = [
  'queued',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
];
const FINAL: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];
const EVENT_TYPES: readonly TrainingEvent['type'][] = [
  'start',
  'progress',
  'evaluation',
  'paused',
  'resumed',
  'learning-rate',
  'done',
  'failed',
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class AttachSource implements TrainingSource {
  readonly kind = 'attach';
  readonly label: string;
  private readonly base: string;
  private readonly id: string;
  private readonly fetch: typeof fetch;
  private readonly abort = new AbortController();
  private dispatch: (a: Action) => void = () => {};
  private finished = false;
  private lastEventId: string | null = null;

  constructor(private readonly options: AttachOptions) {
    const { base, id } = parseJobUrl(options.url);
    this.base = base;
    this.id = id;
    this.label = `${base}/v1/trainings/${id}`;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  private url(path: string): string {
    return `${this.base}/v1/trainings/${encodeURIComponent(this.id)}${path}`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      ...extra,
    };
  }

  start(dispatch: (action: Action) => void): void {
    this.dispatch = dispatch;
    void this.connectLoop();
  }

  private async connectLoop(): Promise<void> {
    let wait = this.options.retryMs ?? 500;
    let attempt = 0;
    while (!this.abort.signal.aborted && !this.finished) {
      attempt++;
      this.dispatch({
        type: 'connection',
        state: 'connecting',
        message:
          attempt === 1 ? `connecting to ${this.label}` : `reconnecting (attempt ${attempt})…`,
      });
      let fatal: string | null = null;
      try {
        const res = await this.fetch(this.url('/events'), {
          headers: this.headers({
            accept: 'text/event-stream',
            ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
          }),
          signal: this.abort.signal,
        });
        if (res.status === 404) fatal = `no training job ${this.id} at ${this.base} (404)`;
        else if (res.status === 401 || res.status === 403)
          fatal = `the server refused to show job ${this.id} (${res.status}); pass --token or set MNIST_API_TOKEN`;
        else if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        else {
          this.dispatch({ type: 'connection', state: 'connected' });
          attempt = 0;
          wait = this.options.retryMs ?? 500;
          await this.read(res.body);
        }
      } catch (e) {
        if (this.abort.signal.aborted) return;
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
      if (this.finished || this.abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(10_000, wait * 2);
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const m of parser.push(decoder.decode(value, { stream: true }))) {
          this.lastEventId = m.id ?? this.lastEventId;
          this.handle(m.event, m.data);
        }
      }
    } finally {
      reader.releaseLock();
    }
    if (!this.finished) throw new Error('the server closed the stream');
  }

  /** One SSE message: a snapshot, a job status, or a TrainingEvent. */
  handle(name: string, data: string): void {
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
      for (const e of events) this.event(e);
      return;
    }
    if (name === 'status' && isObject(payload)) this.status(payload.status);
    else if (name === 'cancelled') this.status('cancelled');
    else if ((EVENT_TYPES as readonly string[]).includes(name))
      this.event(isObject(payload) && !payload.type ? { ...payload, type: name } : payload);
  }

  private status(status: unknown, config?: TrainConfig): void {
    if (!JOB_STATUSES.includes(status as JobStatus)) return;
    if (FINAL.includes(status as JobStatus)) this.finished = true;
    this.dispatch({ type: 'job', status: status as JobStatus, ...(config ? { config } : {}) });
  }

  private event(e: unknown): void {
    if (!isObject(e) || !(EVENT_TYPES as readonly unknown[]).includes(e.type)) return;
    const event = e as unknown as TrainingEvent;
    if (event.type === 'done' || event.type === 'failed') this.finished = true;
    this.dispatch({ type: 'event', event });
  }

  private async post(path: string, body?: unknown): Promise<void> {
    let res: Response;
    try {
      res = await this.fetch(this.url(path), {
        method: 'POST',
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: this.abort.signal,
      });
    } catch (e) {
      this.dispatch({
        type: 'notice',
        text: `${path.slice(1)} failed: ${(e as Error).message}`,
        tone: 'bad',
      });
      return;
    }
    if (res.ok) return;
    const text = await res.text().catch(() => '');
    let detail = text.slice(0, 200);
    try {
      const j = JSON.parse(text) as { message?: unknown; error?: unknown };
      detail = String(j.message ?? j.error ?? detail);
    } catch {}
    if (res.status === 401 || res.status === 403) {
      this.dispatch({
        type: 'control',
        allowed: false,
        reason: `the server refused control (${res.status}${detail ? `: ${detail}` : ''})`,
      });
      return;
    }
    this.dispatch({
      type: 'notice',
      text: `${path.slice(1)}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`,
      tone: 'bad',
    });
  }

  pause(): Promise<void> {
    return this.post('/pause');
  }

  resume(): Promise<void> {
    return this.post('/resume');
  }

  setLearningRate(learningRate: number): Promise<void> {
    return this.post('/learning-rate', { learningRate });
  }

  stop(): Promise<void> {
    return this.post('/cancel');
  }

  async finalModel(): Promise<Model | null> {
    return null;
  }

  async close(): Promise<void> {
    this.abort.abort();
  }
}
