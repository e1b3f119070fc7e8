import type { Model } from '@mnist/net';
import type { Action } from '../state/reducer.js';

/**
 * Where the dashboard's events come from and where its commands go: a training run in this
 * process (`LocalSource`) or a job on the HTTP API (`AttachSource`). The dashboard only renders
 * what a source dispatches and calls these methods on key presses.
 */
export interface TrainingSource {
  readonly kind: 'local' | 'attach';
  /** What the header shows as the run's origin. */
  readonly label: string;
  /** Starts the run (or the connection); every event arrives through `dispatch`. */
  start(dispatch: (action: Action) => void): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Sets the base learning rate α. */
  setLearningRate(learningRate: number): Promise<void>;
  /** Ends the run early (local: the model so far is kept; attach: cancels the job). */
  stop(): Promise<void>;
  /** The finished run's model, when this source has it (a local run that is done), else null. */
  finalModel(): Promise<Model | null>;
  /** Releases the run or the connection (a local run that is not done is ended). */
  close(): Promise<void>;
}
