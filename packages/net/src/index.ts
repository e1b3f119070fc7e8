// The notes' network: ① forward, ② backward, ③ update, over shape-typed tensors.

// Command-line flags shared by every front end that starts a run.
export {
  parseTrainFlags,
  TRAIN_FLAGS,
  type TrainArgs,
  trainArgsFrom,
  trainFlagsHelp,
  UsageError,
  userCwd,
} from './cli/flags.js';
export { bar, count, duration, paint, percent, useColor } from './cli/format.js';
// Data: IDX files and MNIST.
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
// Models on disk and inference.
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
export { type Images, type Prediction, predict, predictor } from './model/predict.js';
export { backward, type Gradients, update } from './network/backward.js';
export { type ForwardCache, forward } from './network/forward.js';
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
// Training: config, the loop and its fast kernel, metrics.
export {
  ConfigError,
  PRESETS,
  type PresetName,
  resolveConfig,
  scheduledRate,
  type TrainConfig,
} from './train/config.js';
export type {
  DataSummary,
  ParamsSnapshot,
  Position,
  StopReason,
  TrainingEvent,
  TrainResult,
  TrainResultSummary,
} from './train/events.js';
export {
  type Examples,
  type SparsePixels,
  sliceExamples,
  sparsePixels,
  toTensors,
} from './train/examples.js';
export { type BatchStats, type FlatGradients, Kernel } from './train/kernel.js';
export {
  type Control,
  type LoopOptions,
  type Resume,
  runTraining,
  type TrainingData,
  trainingLoop,
} from './train/loop.js';
export { evaluate, type Metrics, metricsFrom } from './train/metrics.js';
export { Optimizer, type OptimizerName, type OptimizerSettings } from './train/optimizer.js';
// The shared trainer (worker thread).
export {
  type RunState,
  startTraining,
  type TrainedModel,
  type TrainerOptions,
  TrainingRun,
} from './trainer/trainer.js';
