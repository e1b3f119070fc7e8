/** Runs the notes' forward pass on decoded images and shapes the answers of both protocols. */
import { type Images, type Model, type Prediction, predictor } from '@mnist/net';
import { f32Array } from '../sse/encode.js';
import type { DecodedImages } from './images.js';

/** Models are immutable snapshots, so each one's prepared predictor is kept beside it. */
const predictors = new WeakMap<Model, (images: Images) => Prediction>();

function predict(model: Model, images: Images): Prediction {
  let run = predictors.get(model);
  if (!run) {
    run = predictor(model.params);
    predictors.set(model, run);
  }
  return run(images);
}

export const OUTPUTS = ['probabilities', 'labels'] as const;
export type OutputName = (typeof OUTPUTS)[number];

/** KServe output tensors: probabilities FP32 [N, 10], labels INT64 [N]. */
export function kserveOutputs(model: Model, input: DecodedImages, wanted: readonly OutputName[]) {
  const p = predict(model, input.images);
  const all = {
    probabilities: {
      name: 'probabilities',
      shape: [p.count, 10],
      datatype: 'FP32',
      data: f32Array(p.probabilities),
    },
    labels: { name: 'labels', shape: [p.count], datatype: 'INT64', data: Array.from(p.labels) },
  };
  return wanted.map((name) => all[name]);
}

/** The simple route's predictions: a label and ten probabilities per image. */
export function simplePredictions(model: Model, input: DecodedImages) {
  const p = predict(model, input.images);
  return Array.from(p.labels, (label, i) => ({
    label,
    probabilities: f32Array(p.probabilities.subarray(i * 10, i * 10 + 10)),
  }));
}
