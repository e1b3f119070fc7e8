import { type Model, startTraining, type TrainerOptions, type TrainingRun } from '@mnist/net';
import type { Action } from '../state/reducer.js';
import type { TrainingSource } from './source.js';

/** A training run in this process's worker thread (`startTraining` of @mnist/net). */
export class LocalSource implements TrainingSource {
  readonly kind = 'local';
  readonly label = 'local worker';
  private run: TrainingRun | null = null;
  private closing = false;

  constructor(
    private readonly options: TrainerOptions,
    private readonly begin: (o: TrainerOptions) => TrainingRun = startTraining,
  ) {}

  start(dispatch: (action: Action) => void): void {
    if (this.run) return;
    const run = this.begin(this.options);
    this.run = run;
    let failed = false;
    run.on('event', (event) => {
      if (event.type === 'failed') failed = true;
      dispatch({ type: 'event', event });
    });
    run.result.catch((e: unknown) => {
      if (!failed && !this.closing)
        dispatch({
          type: 'event',
          event: { type: 'failed', message: e instanceof Error ? e.message : String(e) },
        });
    });
  }

  /** The run, once started. */
  get training(): TrainingRun | null {
    return this.run;
  }

  async pause(): Promise<void> {
    this.run?.pause();
  }

  async resume(): Promise<void> {
    this.run?.resume();
  }

  async setLearningRate(learningRate: number): Promise<void> {
    this.run?.setLearningRate(learningRate);
  }

  async stop(): Promise<void> {
    this.run?.stop();
  }

  async finalModel(): Promise<Model | null> {
    if (this.run?.state !== 'done') return null;
    return (await this.run.result).model;
  }

  async close(): Promise<void> {
    const run = this.run;
    this.closing = true;
    if (run && run.state !== 'done' && run.state !== 'failed') await run.kill();
  }
}
