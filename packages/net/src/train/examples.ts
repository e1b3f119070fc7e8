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

/** Builds the sparse view of `ex` in one pass over the pixels. */
export function sparsePixels(ex: Examples): SparsePixels {
  const { pixels, count } = ex;
  const n = count * PIXELS;
  const start = new Uint32Array(count + 1);
  // MNIST is ~19 % non-zero; start at a quarter and grow if a data set is denser.
  let index = new Uint16Array(Math.max(1024, n >>> 2));
  let value = new Uint8Array(index.length);
  let at = 0;
  for (let j = 0, base = 0; j < count; j++, base += PIXELS) {
    start[j] = at;
    if (at + PIXELS + 1 > index.length) {
      const bigger = Math.min(n, index.length * 2 + PIXELS);
      const i2 = new Uint16Array(bigger);
      const v2 = new Uint8Array(bigger);
      i2.set(index.subarray(0, at));
      v2.set(value.subarray(0, at));
      index = i2;
      value = v2;
    }
    for (let k = 0; k < PIXELS; k++) {
      // Branch-free: always write, advance only past a non-zero pixel (zeros are unpredictable).
      const v = pixels[base + k]!;
      index[at] = k;
      value[at] = v;
      at += v === 0 ? 0 : 1;
    }
  }
  start[count] = at;
  return { start, index: index.slice(0, at), value: value.slice(0, at) };
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
