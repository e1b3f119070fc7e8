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

/** Labels as little-endian INT64 bytes: each label in the low word (no BigInt per value). */
function int64Bytes(labels: Uint8Array): Uint8Array {
  const words = new Uint32Array(labels.length * 2);
  for (let i = 0; i < labels.length; i++) words[2 * i] = labels[i]!;
  return new Uint8Array(words.buffer);
}

/** A KServe output tensor: its values as JSON `data`, or as raw bytes (binary data extension). */
export type KserveOutput =
  | { name: OutputName; shape: number[]; datatype: string; data: number[] }
  | {
      name: OutputName;
      shape: number[];
      datatype: string;
      parameters: { binary_data_size: number };
      raw: Uint8Array;
    };

/**
 * KServe output tensors: probabilities FP32 [N, 10], labels INT64 [N]. The outputs `binary` names
 * come as raw little-endian bytes (`raw`, with `binary_data_size`) instead of JSON `data`.
 */
export function kserveOutputs(
  model: Model,
  input: DecodedImages,
  wanted: readonly OutputName[],
  binary: (name: OutputName) => boolean = () => false,
): KserveOutput[] {
  const p = predict(model, input.images);
  const tensor = (name: OutputName, shape: number[], datatype: string): KserveOutput => {
    const values = name === 'probabilities' ? p.probabilities : p.labels;
    if (!binary(name))
      return {
        name,
        shape,
        datatype,
        data: name === 'probabilities' ? f32Array(p.probabilities) : Array.from(p.labels),
      };
    const raw =
      name === 'probabilities'
        ? new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
        : int64Bytes(p.labels);
    return { name, shape, datatype, parameters: { binary_data_size: raw.length }, raw };
  };
  return wanted.map((name) =>
    name === 'probabilities'
      ? tensor(name, [p.count, 10], 'FP32')
      : tensor(name, [p.count], 'INT64'),
  );
}

/** The simple route's predictions: a label and ten probabilities per image. */
export function simplePredictions(model: Model, input: DecodedImages) {
  const p = predict(model, input.images);
  return Array.from(p.labels, (label, i) => ({
    label,
    probabilities: f32Array(p.probabilities.subarray(i * 10, i * 10 + 10)),
  }));
}
