// A data set's non-zero pixels (compressed rows), built from raw image bytes with SIMD: each
// 16-byte run of an image gives a bitmask of its non-zero bytes; counting its set bits skips the
// zero pixels (~81 % of MNIST's), and a shuffle per 8-byte half packs the non-zero bytes and
// their pixel numbers together without a branch per pixel.

import { IMAGE_PIXELS } from '../src/train/wasm/layout';

/**
 * Fills the PACK_BYTES at `table`: for each 8-bit mask m, the positions of its set bits in
 * increasing order (8 bytes, the rest 0x80: a swizzle gives 0 there). In the caller's memory,
 * not in static data, which each thread's instantiation writes again.
 */
function fillPack(table: usize): void {
  for (let m = 0; m < 256; m++) {
    let n = 0;
    for (let b = 0; b < 8; b++) if (m & (1 << b)) store<u8>(table + (m << 3) + n++, <u8>b);
    for (; n < 8; n++) store<u8>(table + (m << 3) + n, 0x80);
  }
}

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
 * Packs the non-zero bytes among the 8 of `bytes` starting at lane `half` (0 or 8), whose mask
 * is m, to value + at and their pixel numbers (first + lane) to index + 2·at; returns the count.
 * Writes 8 values and 8 pixel numbers whatever the count: the extra ones are overwritten next.
 */
// @ts-ignore: decorator
@inline function pack(table: usize, bytes: v128, m: i32, half: u8, first: usize, index: usize, value: usize, at: usize): usize {
  // Lanes of the set bits (0x80 + half ≥ 16 for the rest: the swizzle gives 0 there).
  const lanes = i8x16.add(i64x2.splat(load<i64>(table + (<usize>m << 3))), i8x16.splat(half));
  v128.store64_lane(value + at, i8x16.swizzle(bytes, lanes), 0);
  const pixel = i16x8.add(i16x8.extend_low_i8x16_u(lanes), i16x8.splat(<i16>first));
  v128.store(index + (at << 1), pixel);
  return <usize>popcnt<i32>(m);
}

/**
 * The compressed rows of `count` images at `pixels`: image j's non-zero pixels go to
 * index/value from position start[j] on (start filled from countNonZero's counts). May write
 * up to SLACK_BYTES (layout.ts) past the last pixel of either array. Uses PACK_BYTES at `table`.
 */
export function sparsify(pixels: usize, count: i32, start: usize, index: usize, value: usize, table: usize): void {
  fillPack(table);
  const zero = i8x16.splat(0);
  for (let j = 0; j < count; j++) {
    const image = pixels + <usize>j * IMAGE_PIXELS;
    let at = <usize>load<u32>(start + (<usize>j << 2));
    for (let k: usize = 0; k < <usize>IMAGE_PIXELS; k += 16) {
      const bytes = v128.load(image + k);
      const mask = i8x16.bitmask(i8x16.ne(bytes, zero));
      if (!mask) continue;
      at += pack(table, bytes, mask & 255, 0, k, index, value, at);
      at += pack(table, bytes, mask >> 8, 8, k, index, value, at);
    }
  }
}
