/**
 * Attach mode: the dashboard for a training job on the HTTP API, through the typed client
 * (`@mnist/api-client`). The job's events come from its feed (`feed.ts`: history, then the live
 * Server-Sent Events, the weights after each evaluation); the keys are control calls, POSTs to
 * `/pause`, `/resume`, `/cancel` and `/learning-rate`: a 401 or 403 turns them read-only, any
 * other refusal is a notice with the server's reason.
 */
import { type ApiClient, createApiClient } from '@mnist/api-client';
import type { Model } from '@mnist/net';
import type { Action } from '../state/reducer.js';
import { JobFeed, reasonOf } from './feed.js';
import { parseJobUrl } from './job-url.js';
import type { TrainingSource } from './source.js';

export { AttachUrlError, parseJobUrl } from './job-url.js';

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

/** What a control call's client answers. */
type Outcome = { error?: unknown; response: Response };

export class AttachSource implements TrainingSource {
  readonly kind = 'attach';
  readonly label: string;
  private readonly base: string;
  private readonly id: string;
  private readonly api: ApiClient;
  private readonly abort = new AbortController();
  private dispatch: (a: Action) => void = () => {};

  constructor(private readonly options: AttachOptions) {
    const { base, id } = parseJobUrl(options.url);
    this.base = base;
    this.id = id;
    this.label = `${base}/v1/trainings/${id}`;
    this.api = createApiClient(base, {
      ...(options.token ? { token: options.token } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  start(dispatch: (action: Action) => void): void {
    this.dispatch = dispatch;
    const { api, base, id, label } = this;
    const job = { api, base, id, label, signal: this.abort.signal };
    void new JobFeed({ ...job, retryMs: this.options.retryMs ?? 500 }, dispatch).run();
  }

  /** Runs one control call; a refusal becomes read-only keys or a notice with the server's reason. */
  private async control(what: string, call: () => Promise<Outcome>): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await call();
    } catch (e) {
      this.dispatch({
        type: 'notice',
        text: `${what} failed: ${(e as Error).message}`,
        tone: 'bad',
      });
      return;
    }
    const { response, error } = outcome;
    if (response.ok) return;
    const detail = reasonOf(error);
    if (response.status === 401 || response.status === 403) {
      this.dispatch({
        type: 'control',
        allowed: false,
        reason: `the server refused control (${response.status}${detail ? `: ${detail}` : ''})`,
      });
      return;
    }
    this.dispatch({
      type: 'notice',
      text: `${what}: HTTP ${response.status}${detail ? ` ${detail}` : ''}`,
      tone: 'bad',
    });
  }

  /** The options of a control call on this job. */
  private get call() {
    return { params: { path: { id: this.id } }, signal: this.abort.signal };
  }

  pause(): Promise<void> {
    return this.control('pause', () => this.api.POST('/v1/trainings/{id}/pause', this.call));
  }

  resume(): Promise<void> {
    return this.control('resume', () => this.api.POST('/v1/trainings/{id}/resume', this.call));
  }

  setLearningRate(learningRate: number): Promise<void> {
    return this.control('learning-rate', () =>
      this.api.POST('/v1/trainings/{id}/learning-rate', { ...this.call, body: { learningRate } }),
    );
  }

  stop(): Promise<void> {
    return this.control('cancel', () => this.api.POST('/v1/trainings/{id}/cancel', this.call));
  }

  async finalModel(): Promise<Model | null> {
    return null;
  }

  async close(): Promise<void> {
    this.abort.abort();
  }
}
