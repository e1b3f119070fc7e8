export { type IdxArray, IdxError, parseIdx, readIdxFile } from './idx.js';
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
} from './mnist.js';
