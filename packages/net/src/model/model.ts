import { readFile } from 'node:fs/promises';
import { bind, ShapeError } from '@mnist/tensor';
import {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
  writeFileAtomic,
} from '../io/index.js';
import { hiddenWidth, PARAM_NAMES, type Params } from '../network/params.js';
import { PARAM_SHAPES, paramTensors } from './weights.js';

/** The format tag written into every model file's metadata. */
export const MODEL_FORMAT = 'mnist-ts/1';

/** What a model file records beside its weights (all in safetensors' `__metadata__`). */
export interface ModelMeta {
  readonly format: typeof MODEL_FORMAT;
  readonly hidden: number;
  /** Hyperparameters as a JSON object (the run's TrainConfig). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly seed: number | null;
  /** sha256 of the training data the model was trained on. */
  readonly dataChecksum: string | null;
  readonly createdAt: string;
  /** Steps (parameter updates) the weights have had, when known (a resumed run goes on from it). */
  readonly step?: number | null;
  /** Changes of the base learning rate α made while training (`config.learningRate` is the first). */
  readonly learningRateChanges?: readonly LearningRateChange[];
}

/** A change of the base learning rate α during a run: from the step `step` on, `from` became `to`. */
export interface LearningRateChange {
  readonly step: number;
  readonly from: number;
  readonly to: number;
}

/** A trained network: its parameters and what is known about it. */
export interface Model {
  readonly params: Params<'h'>;
  readonly meta: ModelMeta;
}

/** A model file that could not be used; the message names the file and what was wrong. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}

const numberOrNull = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

/** The model as safetensors bytes: W1 (H, 784), b1 (H, 1), W2 (10, H), b2 (10, 1), F32. */
export function modelToBytes(model: Model): Uint8Array {
  const { params: p, meta } = model;
  const tensors = paramTensors(p);
  const metadata: Record<string, string> = {
    format: meta.format,
    hidden: String(meta.hidden),
    config: JSON.stringify(meta.config),
    train_accuracy: meta.trainAccuracy === null ? '' : String(meta.trainAccuracy),
    test_accuracy: meta.testAccuracy === null ? '' : String(meta.testAccuracy),
    seed: meta.seed === null ? '' : String(meta.seed),
    data_sha256: meta.dataChecksum ?? '',
    created_at: meta.createdAt,
    ...(meta.step === undefined || meta.step === null ? {} : { step: String(meta.step) }),
    ...(meta.learningRateChanges?.length
      ? { learning_rate_changes: JSON.stringify(meta.learningRateChanges) }
      : {}),
  };
  return encodeSafetensors(tensors, metadata);
}

/**
 * A model from safetensors bytes. Every shape is checked (W1 must be (H, 784), b1 (H, 1),
 * W2 (10, H), b2 (10, 1) with one H), and corrupt or truncated bytes are refused with a
 * ModelFileError naming `source`.
 */
export function modelFromBytes(bytes: Uint8Array, source = 'model'): Model {
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(bytes, source);
  } catch (e) {
    if (e instanceof SafetensorsError)
      throw new ModelFileError(source, e.message.replace(`${source}: `, ''));
    throw e;
  }
  const { tensors, metadata } = decoded;
  for (const name of PARAM_NAMES) {
    if (!tensors[name])
      throw new ModelFileError(
        source,
        `missing tensor ${name}; a model has ${PARAM_NAMES.join(', ')}`,
      );
  }
  const extra = Object.keys(tensors).filter((n) => !(PARAM_NAMES as readonly string[]).includes(n));
  if (extra.length)
    throw new ModelFileError(
      source,
      `unexpected tensors ${extra.join(', ')}; a model has ${PARAM_NAMES.join(', ')}`,
    );
  let params: Params<'h'>;
  try {
    params = bind(PARAM_SHAPES, tensors as never);
  } catch (e) {
    if (e instanceof ShapeError) throw new ModelFileError(source, `wrong shapes: ${e.message}`);
    throw e;
  }
  for (const name of PARAM_NAMES) {
    const bad = params[name].data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new ModelFileError(
        source,
        `${name} has a non-finite value (${params[name].data[bad]}) at index ${bad}`,
      );
  }
  if (metadata.format !== undefined && metadata.format !== MODEL_FORMAT)
    throw new ModelFileError(
      source,
      `metadata format is ${JSON.stringify(metadata.format)}, expected ${MODEL_FORMAT}`,
    );
  let config: Record<string, unknown> = {};
  try {
    config = metadata.config ? (JSON.parse(metadata.config) as Record<string, unknown>) : {};
  } catch {
    throw new ModelFileError(source, 'metadata config is not valid JSON');
  }
  const meta: ModelMeta = {
    format: MODEL_FORMAT,
    hidden: hiddenWidth(params),
    config,
    trainAccuracy: numberOrNull(metadata.train_accuracy),
    testAccuracy: numberOrNull(metadata.test_accuracy),
    seed: numberOrNull(metadata.seed),
    dataChecksum: metadata.data_sha256 || null,
    createdAt: metadata.created_at ?? '',
    ...(metadata.step === undefined ? {} : { step: numberOrNull(metadata.step) }),
    ...(metadata.learning_rate_changes === undefined
      ? {}
      : { learningRateChanges: rateChangesOf(metadata.learning_rate_changes, source) }),
  };
  return { params, meta };
}

function rateChangesOf(json: string | undefined, source: string): LearningRateChange[] {
  if (!json) return [];
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new ModelFileError(source, 'metadata learning_rate_changes is not valid JSON');
  }
  const ok = (c: unknown): c is LearningRateChange =>
    typeof c === 'object' &&
    c !== null &&
    ['step', 'from', 'to'].every((k) => typeof (c as Record<string, unknown>)[k] === 'number');
  if (!Array.isArray(v) || !v.every(ok))
    throw new ModelFileError(
      source,
      'metadata learning_rate_changes: expected a list of {step, from, to} numbers',
    );
  return v;
}

/** Saves atomically (a temp file renamed over `path`): a crash never leaves half a model. */
export async function saveModel(path: string, model: Model): Promise<void> {
  await writeFileAtomic(path, modelToBytes(model));
}

/** Loads and checks a model file. */
export async function loadModel(path: string): Promise<Model> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFileError(
      path,
      code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(e)})`,
    );
  }
  return modelFromBytes(bytes, path);
}
