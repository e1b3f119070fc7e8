/** MNIST-style image preprocessing: no Node built-ins, so the web page bundles this entry as is. */
export {
  detectPolarity,
  inkFromPixels,
  luminance,
  type Polarity,
  type RawPixels,
} from './pixels.js';
export {
  BOX,
  CENTRE,
  centreOfMass,
  crop,
  fittedSize,
  INK_THRESHOLD,
  type InkImage,
  inkBounds,
  mnistImage,
  resizeArea,
  SIDE,
} from './preprocess.js';
