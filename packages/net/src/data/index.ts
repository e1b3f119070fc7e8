export { type IdxArray, IdxError, parseIdx, readIdxFile } from './idx.js';
export {
  defaultMnistDir,
  loadMnist,
  loadMnistSplit,
  MnistError,
  type MnistOptions,
  type MnistSplit,
  type MnistSplitName,
  mnistChecksum,
} from './mnist.js';
