// The non-zero pixels of one image, for the inference kernel (infer.ts). Only ~19 % of MNIST's
// pixels are non-zero, so z1 = W1·x sums over those alone. A gather writes, for each in order,
//   rows  u16   the byte offset of its row in a W1P tile (pixel · rowBytes)
//   vals  u8    its byte (u8 images) or f32 its value (f32 images)
// and returns how many; the next 4 slots are written as zeros (offset 0, value 0), so the sums
// may run in steps of 4. Bytes are compacted without a branch per pixel: a 16-byte chunk's
// non-zero mask, 8 bits at a time, indexes two tables (built once per kernel by `fillTables`)
// that give the offsets and positions of its set bits in order; a half chunk's 8 slots are
// written whole and the count moves on by its number of set bits.

/** Pixels per image. */
export const PIXELS: i32 = 784;
/** Slots a gather may write past the last non-zero pixel. */
export const SLACK: i32 = 8;
/** For each 8-bit mask m: its set bits' row offsets (8 × u16) at OFFSETS + 16·m. */
const OFFSETS: usize = 0;
/** For each 8-bit mask m: its set bits' positions (8 bytes, 0x80 past the last) at POSITIONS + 8·m. */
const POSITIONS: usize = 256 * 16;
/** Bytes of the tables. */
export const TABLE_BYTES: i32 = 256 * 16 + 256 * 8;

/** Builds the tables at `at` for W1P rows of `rowBytes` bytes. */
export function fillTables(at: usize, rowBytes: i32): void {
  memory.fill(at, 0, OFFSETS + 256 * 16);
  memory.fill(at + POSITIONS, 0x80, 256 * 8); // a swizzle gives 0 for these
  for (let m = 0; m < 256; m++) {
    let slot = 0;
    for (let bit = 0; bit < 8; bit++) {
      if ((m & (1 << bit)) == 0) continue;
      store<u16>(at + OFFSETS + (<usize>m << 4) + (<usize>slot << 1), <u16>(bit * rowBytes));
      store<u8>(at + POSITIONS + (<usize>m << 3) + <usize>slot, <u8>bit);
      slot++;
    }
  }
}

/** Half a chunk: the bytes in lanes 0…7 of `v`, their mask m, the first one's row at `base`. */
// @ts-ignore: decorator
@inline
function half(v: v128, m: i32, base: v128, table: usize, rows: usize, vals: usize, count: i32): i32 {
  const offsets = i16x8.add(v128.load(table + OFFSETS + (<usize>m << 4)), base);
  v128.store(rows + (<usize>count << 1), offsets);
  const bytes = i8x16.swizzle(v, v128.load64_zero(table + POSITIONS + (<usize>m << 3)));
  v128.store64_lane(vals + <usize>count, bytes, 0);
  return count + <i32>popcnt(m);
}

/** The non-zero pixels of the u8 image at x; returns how many. */
// @ts-ignore: decorator
@inline
export function gatherU8(x: usize, table: usize, row: i32, rows: usize, vals: usize): i32 {
  let count = 0;
  const zero = i8x16.splat(0);
  let base = i16x8.splat(0);
  const eight = i16x8.splat(<i16>(8 * row));
  const sixteen = i16x8.splat(<i16>(16 * row));
  for (let k = 0; k < PIXELS; k += 16) {
    const v = v128.load(x + <usize>k);
    const mask = i8x16.bitmask(i8x16.ne(v, zero));
    if (mask != 0) {
      count = half(v, mask & 0xff, base, table, rows, vals, count);
      const high = i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0);
      count = half(high, mask >> 8, i16x8.add(base, eight), table, rows, vals, count);
    }
    base = i16x8.add(base, sixteen);
  }
  store<u64>(rows + (<usize>count << 1), 0);
  store<u32>(vals + <usize>count, 0);
  return count;
}

/** The non-zero pixels of the f32 image at x (one by one: floats are the rare input). */
// @ts-ignore: decorator
@inline
export function gatherF32(x: usize, row: i32, rows: usize, vals: usize): i32 {
  let count = 0;
  const zero = f32x4.splat(0);
  for (let k = 0; k < PIXELS; k += 4) {
    let mask = i32x4.bitmask(f32x4.ne(v128.load(x + (<usize>k << 2)), zero));
    while (mask != 0) {
      const at = k + ctz(mask);
      store<u16>(rows + (<usize>count << 1), <u16>(at * row));
      store<f32>(vals + (<usize>count << 2), load<f32>(x + (<usize>at << 2)));
      count++;
      mask &= mask - 1;
    }
  }
  store<u64>(rows + (<usize>count << 1), 0);
  v128.store(vals + (<usize>count << 2), zero);
  return count;
}
