import { check } from '@mnist/tensor';
import { CLASSES, hiddenWidth, type Params, PIXELS } from '../network/params.js';
import { InferenceKernel, inferenceKernelAvailable } from './infer-kernel.js';

/** Images to classify: n × 784 values, one image after another. */
export type Images =
  /** Bytes 0…255, as in the MNIST files. */
  | { readonly uint8: Uint8Array }
  /** Floats in [0, 1] (the notes' scaling). */
  | { readonly float32: Float32Array | readonly number[] };

/** Class probabilities (n × 10, row per image) and the most likely class of each image. */
export interface Prediction {
  readonly count: number;
  readonly probabilities: Float32Array;
  readonly labels: Uint8Array;
}

/**
 * A model ready to classify images: `predictor(params)(images)`. Large batches are split with
 * a helper thread (see `InferenceKernel.run`); `close` stops it.
 */
export interface Predictor {
  (images: Images): Prediction;
  /**
   * Starts the helper thread now, rather than on the second large batch, and resolves once it is
   * up: true if later large batches will be split across two threads.
   */
  ready(): Promise<boolean>;
  /** Threads the last call ran on: 2 if the helper thread took part, else 1. */
  lastThreads(): number;
  /** Stops the helper thread; the predictor keeps answering on the calling thread. */
  close(): void;
}

export interface PredictorOptions {
  /**
   * 2: share batches of 384+ images with a helper thread; 1: run every call on the calling thread
   * (for a process whose cores are already busy, e.g. training: a helper thread the OS leaves
   * waiting holds up the call that shares with it).
   * @default 2
   */
  readonly threads?: 1 | 2;
}

/**
 * The notes' forward pass ① for a batch of images: class probabilities and labels. Runs on the
 * WebAssembly SIMD inference kernel (`assembly/infer.ts`) when it is built, else on
 * `referencePredictor`; both give the probabilities of `forward` within float tolerance. Lays
 * the model out on every call and uses one thread: to serve many calls, use `predictor`.
 */
export function predict(params: Params, images: Images): Prediction {
  if (!inferenceKernelAvailable()) return referencePredictor(params)(images);
  const { values, float } = pixelsOf(images);
  const kernel = new InferenceKernel(params);
  kernel.close(); // one call: a helper thread would not pay for its start
  return answer(kernel, values, float);
}

/**
 * `predict` with the model's preparation (its layout in the kernel's memory) done once, for
 * serving many requests with one model. The weights are copied: later changes to `params` do not
 * reach the predictor. A call allocates only its answer (n × 10 probabilities, n labels).
 */
export function predictor(params: Params, options: PredictorOptions = {}): Predictor {
  const threads = options.threads ?? 2;
  check(
    threads === 1 || threads === 2,
    'predictor',
    () => `expected threads 1 or 2, got ${JSON.stringify(threads)}`,
  );
  if (!inferenceKernelAvailable()) {
    const reference = referencePredictor(params);
    return Object.assign((images: Images) => reference(images), {
      ready: async () => false,
      lastThreads: () => 1,
      close: () => {},
    });
  }
  const kernel = new InferenceKernel(params);
  if (threads === 1) kernel.close();
  return Object.assign(
    (images: Images) => {
      const { values, float } = pixelsOf(images);
      return answer(kernel, values, float);
    },
    {
      ready: () => kernel.ready(),
      lastThreads: () => kernel.lastThreads,
      close: () => kernel.close(),
    },
  );
}

function answer(
  kernel: InferenceKernel,
  values: Uint8Array | Float32Array | readonly number[],
  float: boolean,
): Prediction {
  const n = values.length / PIXELS;
  const out = { count: n, probabilities: new Float32Array(n * CLASSES), labels: new Uint8Array(n) };
  kernel.run(values, float, out.probabilities, out.labels);
  return out;
}

/** The images' values, checked to be whole images. */
function pixelsOf(images: Images): {
  values: Uint8Array | Float32Array | readonly number[];
  float: boolean;
} {
  const float = !('uint8' in images);
  const values = 'uint8' in images ? images.uint8 : images.float32;
  check(
    values.length % PIXELS === 0,
    'predict',
    () => `expected n × 784 values, got ${values.length} (${values.length / PIXELS} images)`,
  );
  return { values, float };
}

/**
 * The plain TypeScript forward pass, one image at a time with zero pixels skipped, in float64:
 * the reference the kernel is tested against, and the fallback where it cannot run.
 */
export function referencePredictor(params: Params): (images: Images) => Prediction {
  const H = hiddenWidth(params);
  const W1 = params.W1.data;
  const W1T = new Float32Array(PIXELS * H);
  for (let h = 0; h < H; h++) for (let k = 0; k < PIXELS; k++) W1T[k * H + h] = W1[h * PIXELS + k]!;
  return (images) => run(params, W1T, H, images);
}

function run(params: Params, W1T: Float32Array, H: number, images: Images): Prediction {
  const { values, float } = pixelsOf(images);
  const scale = float ? 1 : 1 / 255;
  const n = values.length / PIXELS;
  const b1 = params.b1.data;
  const W2 = params.W2.data;
  const b2 = params.b2.data;
  const z1 = new Float64Array(H);
  const z2 = new Float64Array(CLASSES);
  const probabilities = new Float32Array(n * CLASSES);
  const labels = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    z1.fill(0);
    const base = j * PIXELS;
    for (let k = 0; k < PIXELS; k++) {
      const v = values[base + k]!;
      if (v === 0) continue;
      const col = k * H;
      for (let h = 0; h < H; h++) z1[h]! += W1T[col + h]! * v;
    }
    for (let h = 0; h < H; h++) {
      const z = z1[h]! * scale + b1[h]!;
      z1[h] = z > 0 ? z : 0; // A1
    }
    let max = -Infinity;
    let best = 0;
    for (let c = 0; c < CLASSES; c++) {
      let z = b2[c]!;
      for (let h = 0; h < H; h++) z += W2[c * H + h]! * z1[h]!;
      z2[c] = z;
      if (z > max) {
        max = z;
        best = c;
      }
    }
    let total = 0;
    for (let c = 0; c < CLASSES; c++) total += z2[c] = Math.exp(z2[c]! - max);
    for (let c = 0; c < CLASSES; c++) probabilities[j * CLASSES + c] = z2[c]! / total;
    labels[j] = best;
  }
  return { count: n, probabilities, labels };
}
