export { writeFileAtomic } from './atomic.js';
export {
  type DecodedSafetensors,
  decodeSafetensors,
  encodeSafetensors,
  type LoadedTensor,
  SafetensorsError,
  type TensorToSave,
} from './safetensors.js';
