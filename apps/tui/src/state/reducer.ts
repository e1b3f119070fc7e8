/** The dashboard's state machine: TrainingEvents and key presses in, a new DashboardState out. */
import type { TrainConfig, TrainingEvent } from '@mnist/net';
import { SMOOTHING_LEVELS } from '../render/smoothing.js';
import { appendPoint } from './series.js';
import {
  type DashboardState,
  isFinished,
  type JobStatus,
  PANELS,
  type PanelId,
  type RunStatus,
  type Tone,
  type UiState,
  type Weights,
} from './state.js';

/** Changes of what the viewer sees. */
export type UiAction =
  | { readonly kind: 'help'; readonly open?: boolean }
  | { readonly kind: 'focus'; readonly delta: number }
  /** Zoom a panel, the focused one, or back to the overview (null); zooming the zoomed panel unzooms. */
  | { readonly kind: 'zoom'; readonly panel: PanelId | 'focused' | null }
  | { readonly kind: 'smoothing'; readonly delta: number }
  /** Page the sample digits by `delta` pages of `pageSize`, within `total` digits. */
  | {
      readonly kind: 'samples';
      readonly delta: number;
      readonly pageSize: number;
      readonly total: number;
    }
  | {
      readonly kind: 'units';
      readonly delta: number;
      readonly pageSize: number;
      readonly total: number;
    }
  | { readonly kind: 'misclassified' }
  | { readonly kind: 'confirm'; readonly what: 'quit' | 'stop' | null };

export type Action =
  | { readonly type: 'event'; readonly event: TrainingEvent }
  /** A server job's status and config (attach mode). */
  | { readonly type: 'job'; readonly status: JobStatus; readonly config?: TrainConfig }
  | {
      readonly type: 'connection';
      readonly state: 'connecting' | 'connected' | 'lost';
      readonly message?: string;
    }
  | { readonly type: 'control'; readonly allowed: boolean; readonly reason: string | null }
  | { readonly type: 'stopping' }
  | { readonly type: 'saving' }
  | { readonly type: 'saved'; readonly path: string; readonly step: number }
  | { readonly type: 'notice'; readonly text: string; readonly tone: Tone }
  | { readonly type: 'ui'; readonly ui: UiAction };

const JOB_STATUS: Readonly<Record<JobStatus, RunStatus>> = {
  queued: 'queued',
  running: 'running',
  paused: 'paused',
  completed: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** The weights an evaluation event carries, if it carries them (typed arrays or JSON arrays). */
export function weightsOf(e: TrainingEvent): Weights | null {
  const p = (e as { params?: Partial<Record<keyof Weights, unknown>> | null }).params;
  if (!p || typeof p.hidden !== 'number') return null;
  const f32 = (v: unknown) =>
    v instanceof Float32Array ? v : Array.isArray(v) ? Float32Array.from(v as number[]) : null;
  const [W1, b1, W2, b2] = [f32(p.W1), f32(p.b1), f32(p.W2), f32(p.b2)];
  const H = p.hidden;
  if (
    !W1 ||
    !b1 ||
    !W2 ||
    !b2 ||
    W1.length !== H * 784 ||
    b1.length !== H ||
    W2.length !== 10 * H ||
    b2.length !== 10
  )
    return null;
  return { hidden: H, W1, b1, W2, b2 };
}

function onEvent(s: DashboardState, e: TrainingEvent): DashboardState {
  const t = { ...s, events: s.events + 1 };
  switch (e.type) {
    case 'start':
      return {
        ...t,
        status: s.status === 'paused' ? 'paused' : 'running',
        config: e.config,
        data: e.data,
        totalSteps: e.totalSteps,
        baseRate: s.baseRate ?? e.config.learningRate,
      };
    case 'progress': {
      // A reconnecting server may repeat events: keep each step once.
      const fresh = !s.progress || e.step > s.progress.step;
      return {
        ...t,
        status:
          s.status === 'starting' || s.status === 'connecting' || s.status === 'queued'
            ? 'running'
            : s.status,
        totalSteps: e.totalSteps,
        progress: fresh ? e : s.progress,
        loss: fresh ? appendPoint(s.loss, { x: e.step, y: e.loss }) : s.loss,
        trainAccuracy: fresh
          ? appendPoint(s.trainAccuracy, { x: e.step, y: e.accuracy })
          : s.trainAccuracy,
      };
    }
    case 'evaluation': {
      if (s.evaluation && e.step <= s.evaluation.step && s.testAccuracy.length > 0) return t;
      const weights = weightsOf(e);
      return {
        ...t,
        totalSteps: e.totalSteps,
        evaluation: {
          step: e.step,
          epoch: e.epoch,
          elapsedMs: e.elapsedMs,
          train: e.train,
          test: e.test,
          validation: e.validation,
        },
        testAccuracy: appendPoint(s.testAccuracy, { x: e.step, y: e.test.accuracy }),
        weights: weights ?? s.weights,
        weightsStep: weights ? e.step : s.weightsStep,
      };
    }
    case 'paused':
      return {
        ...t,
        status: s.status === 'stopping' ? s.status : 'paused',
        notice: { text: 'paused', tone: 'warn' },
      };
    case 'resumed':
      return {
        ...t,
        status: s.status === 'stopping' ? s.status : 'running',
        notice: { text: 'resumed', tone: 'info' },
      };
    case 'learning-rate':
      return {
        ...t,
        baseRate: e.learningRate,
        notice: { text: `α is now ${Number(e.learningRate.toPrecision(3))}`, tone: 'info' },
      };
    case 'done':
      return {
        ...t,
        status: 'done',
        result: e.result,
        evaluation: {
          step: e.result.step,
          epoch: e.result.epoch,
          elapsedMs: e.result.elapsedMs,
          train: e.result.train,
          test: e.result.test,
          validation: e.result.validation,
        },
        notice: { text: `done (${e.result.reason})`, tone: 'good' },
      };
    case 'failed':
      return { ...t, status: 'failed', error: e.message, notice: { text: e.message, tone: 'bad' } };
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The first item of the page `delta` pages away, aligned to pages and kept within `total` items. */
function page(offset: number, delta: number, size: number, total: number): number {
  const n = Math.max(1, size);
  const last = Math.max(0, Math.floor((Math.max(1, total) - 1) / n) * n);
  return clamp(Math.floor(offset / n) * n + delta * n, 0, last);
}

function onUi(u: UiState, a: UiAction): UiState {
  switch (a.kind) {
    case 'help':
      return { ...u, help: a.open ?? !u.help };
    case 'focus': {
      const i = PANELS.indexOf(u.focus);
      const focus = PANELS[(i + a.delta + PANELS.length * 8) % PANELS.length]!;
      return { ...u, focus, zoom: u.zoom === null ? null : focus };
    }
    case 'zoom': {
      const panel = a.panel === 'focused' ? u.focus : a.panel;
      if (panel === null || u.zoom === panel) return { ...u, zoom: null, help: false };
      return { ...u, zoom: panel, focus: panel, help: false };
    }
    case 'smoothing':
      return { ...u, smoothing: clamp(u.smoothing + a.delta, 0, SMOOTHING_LEVELS.length - 1) };
    case 'samples':
      return { ...u, sampleOffset: page(u.sampleOffset, a.delta, a.pageSize, a.total) };
    case 'units':
      return { ...u, unitOffset: page(u.unitOffset, a.delta, a.pageSize, a.total) };
    case 'misclassified':
      return { ...u, misclassifiedOnly: !u.misclassifiedOnly, sampleOffset: 0 };
    case 'confirm':
      return { ...u, confirm: a.what };
  }
}

/** The next state. Pure: the same state and action always give the same result. */
export function reduce(s: DashboardState, a: Action): DashboardState {
  switch (a.type) {
    case 'event':
      return onEvent(s, a.event);
    case 'job': {
      const status = JOB_STATUS[a.status] ?? s.status;
      const config = s.config ?? a.config ?? null;
      return {
        ...s,
        status,
        config,
        baseRate: s.baseRate ?? config?.learningRate ?? null,
        notice:
          status === s.status
            ? s.notice
            : { text: `job ${a.status}`, tone: status === 'failed' ? 'bad' : 'info' },
      };
    }
    case 'connection':
      if (a.state === 'connecting')
        return { ...s, notice: { text: a.message ?? 'connecting…', tone: 'info' } };
      if (a.state === 'connected')
        return {
          ...s,
          status: s.status === 'connecting' || s.status === 'disconnected' ? 'starting' : s.status,
          notice: null,
        };
      // Lost: the job may go on, but what is shown is no longer live (the snapshot of the next
      // connection brings the job's status back).
      return {
        ...s,
        status: isFinished(s) ? s.status : 'disconnected',
        notice: { text: a.message ?? 'connection lost', tone: 'bad' },
      };
    case 'control':
      return {
        ...s,
        control: { allowed: a.allowed, reason: a.reason },
        notice: a.allowed
          ? s.notice
          : { text: `read-only: ${a.reason ?? 'the server refused control'}`, tone: 'warn' },
      };
    case 'stopping':
      return {
        ...s,
        status: 'stopping',
        notice: { text: 'stopping after this step…', tone: 'warn' },
      };
    case 'saving':
      return { ...s, saving: true, notice: { text: 'saving…', tone: 'info' } };
    case 'saved':
      return {
        ...s,
        saving: false,
        saved: { path: a.path, step: a.step },
        notice: { text: `saved ${a.path}`, tone: 'good' },
      };
    case 'notice':
      return {
        ...s,
        saving: a.tone === 'bad' ? false : s.saving,
        notice: { text: a.text, tone: a.tone },
      };
    case 'ui':
      return { ...s, ui: onUi(s.ui, a.ui) };
  }
}
