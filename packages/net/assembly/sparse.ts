// A data set's non-zero pixels (compressed rows), built from raw image bytes with SIMD: each
// 16-byte run of an image gives a bitmask of its non-zero bytes; counting and walking the set
// bits skips the zero pixels (~81 % of MNIST's) without a branch per pixel.

import { IMAGE_PIXELS } from '../src/train/wasm/layout';

/** Non-zero pixels of each of `count` images (784 bytes each) at `pixels`, into counts (u32). */
export function countNonZero(pixels: usize, count: i32, counts: usize): void {
  const zero = i8x16.splat(0);
  for (let j = 0; j < count; j++) {
    const image = pixels + <usize>j * IMAGE_PIXELS;
    let n = 0;
    for (let k: usize = 0; k < <usize>IMAGE_PIXELS; k += 16)
      n += popcnt<i32>(i8x16.bitmask(i8x16.ne(v128.load(image + k), zero)));
    store<u32>(counts + (<usize>j << 2), n);
  }
}

/**
 * The compressed rows of `count` images at `pixels`: image j's non-zero pixels go to
 * index/value from position start[j] on (start filled from countNonZero's counts).
 */
export function sparsify(pixels: usize, count: i32, start: usize, index: usize, value: usize): void {
  const zero = i8x16.splat(0);
  for (let j = 0; j < count; j++) {
    const image = pixels + <usize>j * IMAGE_PIXELS;
    let at = <usize>load<u32>(start + (<usize>j << 2));
    for (let k: usize = 0; k < <usize>IMAGE_PIXELS; k += 16) {
      let mask = i8x16.bitmask(i8x16.ne(v128.load(image + k), zero));
      while (mask) {
        const b = <usize>ctz<i32>(mask);
        store<u16>(index + (at << 1), <u16>(k + b));
        store<u8>(value + at, load<u8>(image + k + b));
        at++;
        mask &= mask - 1;
      }
    }
  }
}
