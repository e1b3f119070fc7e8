/** Test helpers: a source that records commands, and events with known numbers. */
import {
  type Metrics,
  metricsFrom,
  PRESETS,
  type TrainConfig,
  type TrainingEvent,
} from '@mnist/net';
import type { TrainingSource } from '../source/source.js';
import type { Action } from '../state/reducer.js';
import type { Weights } from '../state/state.js';

export class FakeSource implements TrainingSource {
  readonly kind: 'local' | 'attach';
  readonly label = 'fake';
  readonly calls: string[] = [];
  dispatch: (a: Action) => void = () => {};
  constructor(kind: 'local' | 'attach' = 'local') {
    this.kind = kind;
  }
  start(dispatch: (a: Action) => void): void {
    this.dispatch = dispatch;
  }
  emit(event: TrainingEvent): void {
    this.dispatch({ type: 'event', event });
  }
  async pause() {
    this.calls.push('pause');
  }
  async resume() {
    this.calls.push('resume');
  }
  async setLearningRate(r: number) {
    this.calls.push(`rate ${r}`);
  }
  async stop() {
    this.calls.push('stop');
  }
  async finalModel() {
    return null;
  }
  async close() {
    this.calls.push('close');
  }
}

export const CONFIG: TrainConfig = { ...PRESETS.fast, epochs: 4 };

/** A confusion matrix with t*10+p... : diagonal 900+t, off-diagonal t+p. */
export function knownMetrics(): Metrics {
  const flat = new Uint32Array(100);
  for (let t = 0; t < 10; t++)
    for (let p = 0; p < 10; p++) flat[t * 10 + p] = t === p ? 900 + t : t + p;
  let correct = 0;
  for (let t = 0; t < 10; t++) correct += flat[t * 11]!;
  return metricsFrom(0.5 * 10_000, correct, 10_000, flat);
}

export function start(config = CONFIG, totalSteps = 1000): TrainingEvent {
  return { type: 'start', config, data: { train: 60000, validation: 0, test: 10000 }, totalSteps };
}

export function progress(
  step: number,
  loss: number,
  over: Partial<Extract<TrainingEvent, { type: 'progress' }>> = {},
): TrainingEvent {
  return {
    type: 'progress',
    step,
    totalSteps: 1000,
    epoch: 1 + Math.floor(step / 250),
    iteration: step,
    elapsedMs: step * 10,
    loss,
    accuracy: 0.9,
    learningRate: 0.003,
    examplesPerSecond: 52_000,
    etaMs: (1000 - step) * 10,
    ...over,
  };
}

/** Weights whose unit h is positive on row h of the image and negative elsewhere. */
export function stripeWeights(hidden = 10): Weights {
  const W1 = new Float32Array(hidden * 784);
  for (let h = 0; h < hidden; h++)
    for (let k = 0; k < 784; k++) W1[h * 784 + k] = Math.floor(k / 28) === h ? 1 : -0.5;
  const W2 = new Float32Array(10 * hidden);
  for (let c = 0; c < 10; c++) W2[c * hidden + (c % hidden)] = 1;
  return { hidden, W1, b1: new Float32Array(hidden), W2, b2: new Float32Array(10) };
}

export function evaluation(step: number, params?: Weights): TrainingEvent {
  const m = knownMetrics();
  return {
    type: 'evaluation',
    step,
    totalSteps: 1000,
    epoch: 1 + Math.floor(step / 250),
    iteration: step,
    elapsedMs: step * 10,
    train: m,
    test: m,
    validation: null,
    ...(params ? { params } : {}),
  } as TrainingEvent;
}
