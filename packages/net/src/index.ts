// biome-ignore-all assist/source/organizeImports: the public face is ordered by topic, math first
// @mnist/net: the notes' network over shape-typed tensors, math first: ① forward, ② backward,
// ③ update; then training (the config's field table, the loop, its kernels, the trainer), the
// model (its weights snapshot, files, inference), and the MNIST data. Command-line helpers
// (flags, terminal formatting) live in `@mnist/net/cli`.

// The network: parameters, ① forward, ② backward and ③ update.
export {
  CLASSES,
  hiddenWidth,
  type InitScheme,
  initParams,
  PARAM_NAMES,
  type ParamName,
  type Params,
  PIXELS,
} from './network/params.js';
export { type ForwardCache, forward } from './network/forward.js';
export { backward, type Gradients, update } from './network/backward.js';

// Training: the config (one field table), the loop, its kernels, metrics, events.
export {
  type AppliesTo,
  accepts,
  CONFIG_FIELD_NAMES,
  CONFIG_FIELDS,
  ConfigError,
  type ConfigField,
  checkField,
  type EnumKind,
  expectedOf,
  type FieldFlag,
  type FieldKind,
  type FieldSpec,
  type IntKind,
  type NumberKind,
  PRESET_NAMES,
  type PresetName,
  showValue,
  type ValueOf,
} from './train/fields.js';
export {
  applies,
  checkConfig,
  PRESETS,
  resolveConfig,
  scheduledRate,
  type TrainConfig,
} from './train/config.js';
export {
  type Control,
  KERNEL_FALLBACK_WARNING,
  type LoopOptions,
  type Resume,
  runTraining,
  type TrainingData,
  trainingLoop,
} from './train/loop.js';
export { type BatchStats, type FlatGradients, Kernel } from './train/kernel.js';
export { Optimizer, type OptimizerName, type OptimizerSettings } from './train/optimizer.js';
export { evaluate, type Metrics, metricsFrom } from './train/metrics.js';
export {
  type Examples,
  type SparsePixels,
  sliceExamples,
  sparsePixels,
  toTensors,
} from './train/examples.js';
export {
  type DataSummary,
  FINAL_JOB_STATUSES,
  isFinalJobStatus,
  JOB_STATUSES,
  JOB_STREAM_EVENTS,
  type JobStatus,
  type ParamsSnapshot,
  type Position,
  type StopReason,
  TRAINING_EVENT_TYPES,
  type TrainingEvent,
  type TrainingEventType,
  type TrainResult,
  type TrainResultSummary,
} from './train/events.js';

// The trainer: a run in a worker thread, shared by the CLI, the dashboard, the API and the bench.
export {
  type RunState,
  startTraining,
  type TrainedModel,
  type TrainerOptions,
  TrainingRun,
} from './trainer/trainer.js';

// The model: its weights snapshot (threads, files, wires), model files (safetensors), inference.
export {
  type LearningRateChange,
  loadModel,
  MODEL_FORMAT,
  type Model,
  ModelFileError,
  type ModelMeta,
  modelFromBytes,
  modelToBytes,
  saveModel,
} from './model/model.js';
export { modelToOnnx, ONNX_IR_VERSION, ONNX_OPSET } from './model/onnx.js';
export {
  type Images,
  type Prediction,
  type Predictor,
  predict,
  predictor,
} from './model/predict.js';
export {
  f32,
  f32Array,
  PARAM_SHAPES,
  paramSizes,
  paramsOf,
  paramTensors,
  snapshotOf,
  transferList,
  type WeightsJson,
  type WeightsSnapshot,
  weightsFromJson,
  weightsToJson,
} from './model/weights.js';

// Data: IDX files and MNIST (also the `@mnist/net/data` entry, without the kernels), images,
// safetensors and atomic writes.
export { type IdxArray, IdxError, parseIdx, readIdxFile } from './data/idx.js';
export {
  defaultMnistDir,
  loadMnist,
  loadMnistSplit,
  MNIST_DIMS,
  type MnistDim,
  MnistError,
  type MnistOptions,
  type MnistSplit,
  type MnistSplitData,
  type MnistSplitName,
  type MnistTensors,
  mnistChecksum,
  mnistTensors,
} from './data/mnist.js';
// MNIST-style preprocessing of drawings and pictures (also the `@mnist/net/image` entry, for browsers).
export {
  BOX,
  CENTRE,
  centreOfMass,
  crop,
  detectPolarity,
  fittedSize,
  INK_THRESHOLD,
  type InkImage,
  inkBounds,
  inkFromPixels,
  luminance,
  mnistImage,
  type Polarity,
  type RawPixels,
  resizeArea,
  SIDE,
} from './image/index.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
  writeFileAtomic,
} from './io/index.js';
