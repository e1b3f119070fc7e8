import { MODEL_FORMAT, type Model, paramsOf, saveModel } from '@mnist/net';
import { type DashboardState, isFinished, stepOf } from '../state/state.js';
import type { TrainingSource } from './source.js';

/** A model file's content from the state's latest weights (those of the latest evaluation). */
export function modelFromState(s: DashboardState, now = new Date()): Model | null {
  if (!s.weights || !s.config) return null;
  const evaluated = s.evaluation?.step === s.weightsStep ? s.evaluation : null;
  return {
    params: paramsOf(s.weights),
    meta: {
      format: MODEL_FORMAT,
      hidden: s.weights.hidden,
      config: { ...s.config },
      trainAccuracy: evaluated?.train.accuracy ?? null,
      testAccuracy: evaluated?.test.accuracy ?? null,
      seed: s.config.seed,
      dataChecksum: null,
      createdAt: now.toISOString(),
      step: s.weightsStep,
      // The α the weights were trained with: the config's, then each change before these weights.
      learningRateChanges: s.rateChanges.filter((c) => c.step <= s.weightsStep),
    },
  };
}

/**
 * Saves the model to `path`: the final model of a finished local run, else the weights of the
 * latest evaluation. Returns the step the saved weights belong to.
 */
export async function saveCurrent(
  path: string,
  s: DashboardState,
  source: TrainingSource,
): Promise<number> {
  const final = isFinished(s) ? await source.finalModel() : null;
  if (final) {
    await saveModel(path, final);
    return stepOf(s);
  }
  const model = modelFromState(s);
  if (!model) throw new Error('nothing to save yet: the weights arrive with the first evaluation');
  await saveModel(path, model);
  return s.weightsStep;
}
