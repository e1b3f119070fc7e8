import { bind, type Tensor } from '@mnist/tensor';
import { PIXELS } from '../network/params.js';

/**
 * A set of examples kept compactly: pixels as bytes (count × 784, one image after another, as
 * in the IDX file) and labels as bytes. Floats are made only where they are needed.
 */
export interface Examples {
  readonly pixels: Uint8Array; // (count, 784) u8
  readonly labels: Uint8Array; // (count)      u8, 0…9
  readonly count: number;
}

/**
 * The non-zero pixels of every image (compressed sparse rows): about 150 of 784 per MNIST
 * image. Image j's pixels are `index[start[j]] … index[start[j+1] − 1]` with byte values
 * `value[…]`. The fast kernels only touch these.
 */
export interface SparsePixels {
  readonly start: Uint32Array; // (count + 1)
  readonly index: Uint16Array; // (nnz) pixel index 0…783
  readonly value: Uint8Array; //  (nnz) pixel value 1…255
}

/** Builds the sparse view of `ex`. */
export function sparsePixels(ex: Examples): SparsePixels {
  const { pixels, count } = ex;
  let nnz = 0;
  for (let i = 0; i < pixels.length; i++) if (pixels[i] !== 0) nnz++;
  const start = new Uint32Array(count + 1);
  const index = new Uint16Array(nnz);
  const value = new Uint8Array(nnz);
  let at = 0;
  for (let j = 0; j < count; j++) {
    start[j] = at;
    const base = j * PIXELS;
    for (let k = 0; k < PIXELS; k++) {
      const v = pixels[base + k]!;
      if (v !== 0) {
        index[at] = k;
        value[at++] = v;
      }
    }
  }
  start[count] = at;
  return { start, index, value };
}

/** Examples `from` (inclusive) to `to` (exclusive), sharing storage. */
export function sliceExamples(ex: Examples, from: number, to: number): Examples {
  return {
    pixels: ex.pixels.subarray(from * PIXELS, to * PIXELS),
    labels: ex.labels.subarray(from, to),
    count: to - from,
  };
}

/**
 * The notes' `X` (784 × m, one example per column, pixels / 255) and labels `[m]`, entering the
 * typed world through the tensor package's `bind`. Costs 784 × m floats: for the reference
 * path and small sets; training uses the sparse kernels.
 */
export function toTensors(ex: Examples): { X: Tensor<[784, 'm']>; labels: Tensor<['m']> } {
  const m = ex.count;
  const x = new Float32Array(PIXELS * m);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < PIXELS; k++) x[k * m + j] = ex.pixels[j * PIXELS + k]! / 255;
  }
  return bind(
    { X: [784, 'm'], labels: ['m'] },
    {
      X: { data: x, shape: [PIXELS, m] },
      labels: { data: Float32Array.from(ex.labels), shape: [m] },
    },
  );
}
