/** What the dashboard shows, as plain data: built from TrainingEvents by `reduce`. */
import type {
  DataSummary,
  JobStatus,
  LearningRateChange,
  Metrics,
  TrainConfig,
  TrainingEvent,
  TrainResultSummary,
  WeightsSnapshot,
} from '@mnist/net';
import type { ChartPoint } from '../render/chart.js';

export type ProgressEvent = Extract<TrainingEvent, { type: 'progress' }>;
export type EvaluationEvent = Extract<TrainingEvent, { type: 'evaluation' }>;

/**
 * Where the watched run is. `connecting`…`interrupted` come from a server's job in attach mode;
 * `disconnected`: attach mode lost the server (it retries), so nothing shown is live.
 */
export type RunStatus =
  | 'connecting'
  | 'disconnected'
  | 'starting'
  | 'queued'
  | 'running'
  | 'paused'
  | 'stopping'
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** Job statuses of the HTTP API (@mnist/net's vocabulary). */
export type { JobStatus };

/** Weights at an evaluation: @mnist/net's snapshot, W1 (H×784), b1 (H), W2 (10×H), b2 (10). */
export type Weights = WeightsSnapshot;

/** The numbers of the latest evaluation. */
export interface Evaluation {
  readonly step: number;
  readonly epoch: number;
  readonly elapsedMs: number;
  readonly train: Metrics;
  readonly test: Metrics;
  readonly validation: Metrics | null;
}

/** The panels, in the order of the number keys 1…6. */
export const PANELS = ['progress', 'loss', 'accuracy', 'confusion', 'samples', 'units'] as const;
export type PanelId = (typeof PANELS)[number];

export const PANEL_TITLES: Readonly<Record<PanelId, string>> = {
  progress: 'Progress',
  loss: 'Loss',
  accuracy: 'Accuracy',
  confusion: 'Confusion (test)',
  samples: 'Test digits',
  units: 'Hidden units (rows of W1)',
};

/** What only the viewer changes. */
export interface UiState {
  /** The panel that Tab moves between and `z` zooms. */
  readonly focus: PanelId;
  /** The panel shown alone, or null for the overview. */
  readonly zoom: PanelId | null;
  readonly help: boolean;
  /** A question waiting for y/n. */
  readonly confirm: 'quit' | 'stop' | null;
  /** Index into SMOOTHING_LEVELS. */
  readonly smoothing: number;
  /** First test image shown (an index into the shown list). */
  readonly sampleOffset: number;
  readonly misclassifiedOnly: boolean;
  /** First hidden unit shown. */
  readonly unitOffset: number;
  /** Whether the loss chart has a logarithmic y axis. */
  readonly logScale: boolean;
  /** Whether the end-of-run screen is shown (it opens when a run is done). */
  readonly summary: boolean;
}

/** A finished run drawn under the live one for comparison (from its run record). */
export interface CompareRun {
  readonly label: string;
  readonly loss: readonly ChartPoint[];
  readonly testAccuracy: readonly ChartPoint[];
}

/** A progress report's position in running time (pauses excluded), for speed and ETA. */
export interface SpeedSample {
  readonly step: number;
  readonly elapsedMs: number;
}

export type Tone = 'info' | 'good' | 'warn' | 'bad';

export interface DashboardState {
  readonly status: RunStatus;
  readonly config: TrainConfig | null;
  readonly data: DataSummary | null;
  readonly totalSteps: number;
  /** The latest progress event. */
  readonly progress: ProgressEvent | null;
  /** The base learning rate α (the schedule scales it), as the trainer last confirmed it. */
  readonly baseRate: number | null;
  /** The base α last asked for with the rate keys, until the trainer confirms it (then null). */
  readonly requestedRate: number | null;
  /** Every confirmed change of the base α: from step `step` on, `from` became `to`. */
  readonly rateChanges: readonly LearningRateChange[];
  /** Recent progress positions (running time), oldest first. */
  readonly speed: readonly SpeedSample[];
  /** Earlier runs overlaid on the charts. */
  readonly compare: readonly CompareRun[];
  /** The folder of this run's record (run.json, events.csv), once created. */
  readonly record: string | null;
  readonly loss: readonly ChartPoint[];
  /** Accuracy on the last reported training batches, by step. */
  readonly trainAccuracy: readonly ChartPoint[];
  /** Accuracy on the test set at each evaluation, by step. */
  readonly testAccuracy: readonly ChartPoint[];
  readonly evaluation: Evaluation | null;
  /** Weights of the latest evaluation that carried them, and its step. */
  readonly weights: Weights | null;
  readonly weightsStep: number;
  readonly result: TrainResultSummary | null;
  readonly error: string | null;
  /** Whether pause, rate and stop are allowed (a server may refuse them). */
  readonly control: { readonly allowed: boolean; readonly reason: string | null };
  readonly saved: { readonly step: number; readonly path: string } | null;
  readonly saving: boolean;
  /** A short message in the status line. */
  readonly notice: { readonly text: string; readonly tone: Tone } | null;
  readonly ui: UiState;
  /** Events received, for the stats line and tests. */
  readonly events: number;
}

export function initialState(status: RunStatus = 'starting'): DashboardState {
  return {
    status,
    config: null,
    data: null,
    totalSteps: 0,
    progress: null,
    baseRate: null,
    requestedRate: null,
    rateChanges: [],
    speed: [],
    compare: [],
    record: null,
    loss: [],
    trainAccuracy: [],
    testAccuracy: [],
    evaluation: null,
    weights: null,
    weightsStep: 0,
    result: null,
    error: null,
    control: { allowed: true, reason: null },
    saved: null,
    saving: false,
    notice: null,
    ui: {
      focus: 'loss',
      zoom: null,
      help: false,
      confirm: null,
      smoothing: 2,
      sampleOffset: 0,
      misclassifiedOnly: false,
      unitOffset: 0,
      logScale: false,
      summary: false,
    },
    events: 0,
  };
}

/** Steps done so far. */
export const stepOf = (s: DashboardState): number =>
  s.result?.step ?? s.progress?.step ?? s.evaluation?.step ?? 0;

/** Whether quitting would lose training that was not saved. */
export const hasUnsavedModel = (s: DashboardState): boolean =>
  stepOf(s) > 0 && (s.saved === null || s.saved.step < stepOf(s));

/** Whether the run is over (nothing more will come). */
export const isFinished = (s: DashboardState): boolean =>
  s.status === 'done' ||
  s.status === 'failed' ||
  s.status === 'cancelled' ||
  s.status === 'interrupted';
