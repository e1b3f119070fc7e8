import type { WeightsSnapshot } from '../model/weights.js';
import type { Params } from '../network/params.js';
import type { TrainConfig } from './config.js';
import type { Metrics } from './metrics.js';

/** Sizes of the data a run uses. */
export interface DataSummary {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

/** Where a run is. Shared by progress events and the final result. */
export interface Position {
  /** Steps (parameter updates) done, and planned. */
  readonly step: number;
  readonly totalSteps: number;
  /** Completed epochs (mini-batch) or the iteration count (full batch), 1-based in events. */
  readonly epoch: number;
  readonly iteration: number;
  readonly elapsedMs: number;
}

/** What a training run reports, in order: start, then progress/evaluation/control events, then done. */
export type TrainingEvent =
  | {
      readonly type: 'start';
      readonly config: TrainConfig;
      readonly data: DataSummary;
      readonly totalSteps: number;
    }
  | (Position & {
      readonly type: 'progress';
      /** Mean loss and accuracy over the examples of the last reported steps. */
      readonly loss: number;
      readonly accuracy: number;
      readonly learningRate: number;
      readonly examplesPerSecond: number;
      /** Estimated time left, from the rate so far. */
      readonly etaMs: number;
    })
  | (Position & {
      readonly type: 'evaluation';
      readonly train: Metrics;
      readonly test: Metrics;
      readonly validation: Metrics | null;
      /** A copy of the weights at this evaluation, for views of what the network learned. */
      readonly params: WeightsSnapshot;
    })
  | {
      /** Something the user should know that does not stop the run (a kernel fallback). */
      readonly type: 'warning';
      readonly message: string;
    }
  | { readonly type: 'paused' | 'resumed' }
  | {
      readonly type: 'learning-rate';
      readonly learningRate: number;
      /** The step from which the new base rate applies, and the base rate before it. */
      readonly step?: number;
      readonly previous?: number;
    }
  | { readonly type: 'done'; readonly result: TrainResultSummary }
  | { readonly type: 'failed'; readonly message: string };

/** @deprecated the same type as WeightsSnapshot (model/weights.ts); use that name. */
export type ParamsSnapshot = WeightsSnapshot;

/** Why a run ended. */
export type StopReason = 'completed' | 'stopped' | 'early-stopped';

/** The final numbers of a run (what events carry; the weights travel separately). */
export interface TrainResultSummary extends Position {
  readonly reason: StopReason;
  readonly config: TrainConfig;
  readonly train: Metrics;
  readonly test: Metrics;
  readonly validation: Metrics | null;
}

/** A finished run: its summary and the trained parameters. */
export interface TrainResult extends TrainResultSummary {
  readonly params: Params<'h'>;
}

/**
 * The type of every TrainingEvent, in the order a run reports them: the names a server's event
 * stream uses and a client accepts.
 */
export const TRAINING_EVENT_TYPES = [
  'start',
  'warning',
  'progress',
  'evaluation',
  'paused',
  'resumed',
  'learning-rate',
  'done',
  'failed',
] as const satisfies readonly TrainingEvent['type'][];
export type TrainingEventType = TrainingEvent['type'];
// Every event type is listed: a type added above without its name fails to compile here.
const listed: Exclude<TrainingEventType, (typeof TRAINING_EVENT_TYPES)[number]> extends never
  ? true
  : false = true;
void listed;

/** The statuses of a training job on a server, from `queued` to one of the final ones. */
export const JOB_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job never leaves. */
export const FINAL_JOB_STATUSES = [
  'completed',
  'failed',
  'cancelled',
  'interrupted',
] as const satisfies readonly JobStatus[];
export const isFinalJobStatus = (s: JobStatus): boolean =>
  (FINAL_JOB_STATUSES as readonly JobStatus[]).includes(s);

/**
 * What a job's event stream adds to the training events: `status` (`{"status": …}`, on every
 * change) and `cancelled` (the end of a cancelled job).
 */
export const JOB_STREAM_EVENTS = ['status', 'cancelled'] as const;
