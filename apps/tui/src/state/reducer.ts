/** The dashboard's state machine: TrainingEvents and key presses in, a new DashboardState out. */
import {
  type LearningRateChange,
  type TrainConfig,
  type TrainingEvent,
  weightsFromJson,
} from '@mnist/net';
import type { ChartPoint } from '../render/chart.js';
import { shown } from '../summary.js';
import { appendPoint } from './series.js';
import {
  type CompareRun,
  type DashboardState,
  isFinished,
  type JobStatus,
  type RunStatus,
  stepOf,
  type Tone,
  type Weights,
} from './state.js';
import { onUi, type UiAction } from './ui.js';

export type { UiAction } from './ui.js';

/** Progress positions kept for the speed and ETA (the latest ~10 s of running time). */
const SPEED_SAMPLES = 40;

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
  /** A new base α was asked for (shown at once, pending until the trainer confirms it). */
  | { readonly type: 'rate-requested'; readonly rate: number }
  /** This run's record folder. */
  | { readonly type: 'record'; readonly dir: string }
  /** Earlier runs to draw under the live curves. */
  | { readonly type: 'compare'; readonly runs: readonly CompareRun[] }
  /** The history of the run this one resumes: its curves and α changes, drawn before the new steps. */
  | {
      readonly type: 'history';
      readonly loss: readonly ChartPoint[];
      readonly trainAccuracy: readonly ChartPoint[];
      readonly testAccuracy: readonly ChartPoint[];
      readonly rateChanges: readonly LearningRateChange[];
    }
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
  return weightsFromJson((e as { params?: unknown }).params);
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
        speed: fresh
          ? [...s.speed, { step: e.step, elapsedMs: e.elapsedMs }].slice(-SPEED_SAMPLES)
          : s.speed,
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
    case 'warning':
      return { ...t, notice: { text: `warning: ${e.message}`, tone: 'warn' } };
    case 'learning-rate': {
      const from = e.previous ?? s.baseRate ?? s.config?.learningRate ?? e.learningRate;
      const change = { step: e.step ?? stepOf(s), from, to: e.learningRate };
      const last = s.rateChanges.at(-1);
      const repeated = last?.step === change.step && last.to === change.to; // a replayed event
      const pending =
        s.requestedRate !== null && s.requestedRate !== e.learningRate ? s.requestedRate : null;
      return {
        ...t,
        baseRate: e.learningRate,
        requestedRate: pending,
        rateChanges: repeated ? s.rateChanges : [...s.rateChanges, change],
        notice: { text: `α is now ${Number(e.learningRate.toPrecision(3))}`, tone: 'info' },
      };
    }
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
        requestedRate: null,
        ui: { ...s.ui, summary: s.status !== 'done' ? true : s.ui.summary },
        notice: { text: `done (${e.result.reason})`, tone: 'good' },
      };
    case 'failed':
      return { ...t, status: 'failed', error: e.message, notice: { text: e.message, tone: 'bad' } };
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
        notice: { text: `saved ${shown(a.path)}`, tone: 'good' },
      };
    case 'notice':
      return {
        ...s,
        saving: a.tone === 'bad' ? false : s.saving,
        notice: { text: a.text, tone: a.tone },
      };
    case 'ui':
      return { ...s, ui: onUi(s.ui, a.ui) };
    case 'rate-requested':
      return {
        ...s,
        requestedRate: a.rate,
        notice: { text: `α ${Number(a.rate.toPrecision(3))} requested`, tone: 'info' },
      };
    case 'record':
      return { ...s, record: a.dir };
    case 'compare':
      return { ...s, compare: a.runs };
    case 'history':
      return {
        ...s,
        loss: [...a.loss, ...s.loss],
        trainAccuracy: [...a.trainAccuracy, ...s.trainAccuracy],
        testAccuracy: [...a.testAccuracy, ...s.testAccuracy],
        rateChanges: [...a.rateChanges, ...s.rateChanges],
      };
  }
}
