/**
 * Training from the page: start a job (preset, hidden, α, epochs), follow its Server-Sent Events
 * (`/v1/trainings/{id}/events`) into the chart, pause, resume, cancel and change α (with the
 * token when the server has one). When the job completes, its model is chosen in the picker.
 */
import { getJson, postJson, setToken, streamEvents } from './api.js';
import { Chart } from './chart.js';
import { byId, el } from './dom.js';

interface Job {
  readonly id: string;
  readonly status: string;
  readonly modelId: string | null;
}

type Event =
  | { type: 'start'; totalSteps: number }
  | {
      type: 'progress';
      step: number;
      totalSteps: number;
      loss: number;
      accuracy: number;
      learningRate: number;
    }
  | { type: 'evaluation'; step: number; test: { loss: number; accuracy: number } }
  | { type: 'learning-rate'; learningRate: number }
  | { type: 'paused' | 'resumed' | 'done' | 'failed'; message?: string };

const FINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
/** The stream's events that go to the chart and the status line. */
const TRAINING_EVENTS = [
  'start',
  'progress',
  'evaluation',
  'learning-rate',
  'paused',
  'resumed',
  'done',
  'failed',
] as const;

/** The presets the API accepts, read from its OpenAPI document (the one definition). */
async function presets(): Promise<string[]> {
  const doc = await getJson<unknown>('/openapi.json');
  let found: string[] | null = null;
  const walk = (v: unknown): void => {
    if (found || typeof v !== 'object' || v === null) return;
    const preset = (v as { properties?: { preset?: { enum?: string[] } } }).properties?.preset;
    if (Array.isArray(preset?.enum)) found = preset.enum;
    else for (const x of Object.values(v)) walk(x);
  };
  walk(doc);
  return found ?? ['fast'];
}

export class TrainingView {
  private readonly form = byId('train-form', HTMLFormElement);
  private readonly status = byId('job-status', HTMLParagraphElement);
  private readonly buttons = {
    pause: byId('pause', HTMLButtonElement),
    resume: byId('resume', HTMLButtonElement),
    cancel: byId('cancel', HTMLButtonElement),
    alpha: byId('set-alpha', HTMLButtonElement),
  };
  private readonly alpha = byId('alpha', HTMLInputElement);
  private readonly chart = new Chart(
    byId('chart', HTMLCanvasElement),
    byId('chart-summary', HTMLParagraphElement),
  );
  private job: Job | null = null;
  /** Stops following the current job's event stream. */
  private unfollow: (() => void) | null = null;

  constructor(
    private readonly onModel: (modelId: string) => Promise<void>,
    private readonly onError: (e: unknown) => void,
  ) {
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.start().catch(onError);
    });
    byId('token', HTMLInputElement).addEventListener('change', (e) =>
      setToken((e.target as HTMLInputElement).value),
    );
    for (const action of ['pause', 'resume', 'cancel'] as const)
      this.buttons[action].addEventListener(
        'click',
        () => void this.control(action).catch(onError),
      );
    this.buttons.alpha.addEventListener('click', () => void this.setAlpha().catch(onError));
    void presets().then((names) => {
      const select = byId('preset', HTMLSelectElement);
      select.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
      if (names.includes('fast')) select.value = 'fast';
    }, onError);
  }

  private async start(): Promise<void> {
    const f = new FormData(this.form);
    setToken(String(f.get('token') ?? ''));
    const config: Record<string, unknown> = { preset: f.get('preset') };
    for (const [key, int] of [
      ['hidden', true],
      ['learningRate', false],
      ['epochs', true],
    ] as const) {
      const raw = String(f.get(key) ?? '').trim();
      if (raw) config[key] = int ? Number.parseInt(raw, 10) : Number(raw);
    }
    const job = await postJson<Job>('/v1/trainings', { config });
    this.follow(job);
  }

  private follow(job: Job): void {
    this.unfollow?.();
    this.job = job;
    this.chart.reset(1);
    this.setStatus(job.status);
    const status = (d: { status: string; modelId?: string | null }) => {
      this.setStatus(d.status, d.modelId ?? undefined);
      if (FINAL.has(d.status)) this.unfollow?.();
      if (d.status === 'completed' && d.modelId) void this.onModel(d.modelId).catch(this.onError);
    };
    const handlers: Record<string, (data: never) => void> = {
      // The first event; a job that ended before the stream opened (or while it reconnected)
      // ends here, its model chosen as if its `status` event had been seen.
      snapshot: (d: { job: Job; events: Event[] }) => {
        status(d.job);
        for (const e of d.events) this.event(e);
      },
      status,
    };
    for (const name of TRAINING_EVENTS) handlers[name] = (e: Event) => this.event(e);
    this.unfollow = streamEvents(
      `/v1/trainings/${job.id}/events`,
      (name, data) => handlers[name]?.(JSON.parse(data) as never),
      (error) => {
        if (!this.job || FINAL.has(this.job.status)) return;
        this.status.textContent = `Job ${this.job.id}: lost the event stream.`;
        if (error) this.onError(error);
      },
    );
  }

  private event(e: Event): void {
    if (e.type === 'start') this.chart.reset(e.totalSteps);
    else if (e.type === 'progress') {
      this.chart.add({ step: e.step, loss: e.loss, accuracy: e.accuracy }, e.totalSteps);
      if (document.activeElement !== this.alpha)
        this.alpha.placeholder = e.learningRate.toPrecision(3);
    } else if (e.type === 'evaluation')
      this.chart.addTest({ step: e.step, loss: e.test.loss, accuracy: e.test.accuracy });
    else if (e.type === 'learning-rate') this.alpha.placeholder = e.learningRate.toPrecision(3);
    else if (e.type === 'failed') this.status.textContent = `Job failed: ${e.message ?? ''}`;
  }

  private setStatus(status: string, modelId?: string): void {
    if (!this.job) return;
    this.job = { ...this.job, status, modelId: modelId ?? this.job.modelId };
    const done = FINAL.has(status);
    this.buttons.pause.disabled = status !== 'running';
    this.buttons.resume.disabled = status !== 'paused';
    this.buttons.cancel.disabled = done;
    this.buttons.alpha.disabled = done;
    this.form.dataset.job = this.job.id;
    this.form.dataset.status = status;
    this.status.textContent =
      status === 'completed' && modelId
        ? `Job ${this.job.id} completed: model ${modelId} is now selected.`
        : `Job ${this.job.id}: ${status}.`;
  }

  private async control(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (!this.job) return;
    const job = await postJson<Job>(`/v1/trainings/${this.job.id}/${action}`);
    this.setStatus(job.status);
  }

  private async setAlpha(): Promise<void> {
    if (!this.job) return;
    const learningRate = Number(this.alpha.value);
    if (!(learningRate > 0))
      throw new Error(`α: expected a positive number, got "${this.alpha.value}"`);
    await postJson(`/v1/trainings/${this.job.id}/learning-rate`, { learningRate });
    this.alpha.value = '';
  }
}
