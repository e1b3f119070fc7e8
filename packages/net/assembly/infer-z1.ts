// z1 = W1·x for one tile of up to 16 hidden units, for the inference kernel (infer.ts): the sum
// of value · (W1P row) over an image's gathered non-zero pixels (infer-pixels.ts), kept in R
// registers of 4 lanes (a load and store per pixel is what would cost). R and the value type
// (u8 or f32) are constants at each call site, so each case compiles to its own loop: a tile of
// 10 units does 3 vectors of work. Pixels go 4 at a time (their values converted together) into
// two sets of sums, so that no add waits on the one before it.

/** acc + v · (the 4 weights at p + offset). */
// @ts-ignore: decorator
@inline
function madd(acc: v128, v: v128, p: usize, offset: usize): v128 {
  return f32x4.add(acc, f32x4.mul(v, v128.load(p + offset)));
}

// @ts-ignore: decorator
@inline
function sums(R: i32, FLOAT: bool, w: usize, rows: usize, vals: usize, count: i32, out: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let c0 = a0;
  let c1 = a0;
  let c2 = a0;
  let c3 = a0;
  for (let i = 0; i < count; i += 4) {
    // The 4 values as floats (bytes are 0…255, so the signed conversion is exact and cheap).
    const x4 = FLOAT
      ? v128.load(vals + (<usize>i << 2))
      : f32x4.convert_i32x4_s(
          i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(vals + <usize>i))),
        );
    const r = rows + (<usize>i << 1);
    const p0 = w + <usize>load<u16>(r);
    const p1 = w + <usize>load<u16>(r, 2);
    const p2 = w + <usize>load<u16>(r, 4);
    const p3 = w + <usize>load<u16>(r, 6);
    const v0 = v128.shuffle<f32>(x4, x4, 0, 0, 0, 0);
    const v1 = v128.shuffle<f32>(x4, x4, 1, 1, 1, 1);
    const v2 = v128.shuffle<f32>(x4, x4, 2, 2, 2, 2);
    const v3 = v128.shuffle<f32>(x4, x4, 3, 3, 3, 3);
    a0 = madd(madd(a0, v0, p0, 0), v2, p2, 0);
    c0 = madd(madd(c0, v1, p1, 0), v3, p3, 0);
    if (R > 1) {
      a1 = madd(madd(a1, v0, p0, 16), v2, p2, 16);
      c1 = madd(madd(c1, v1, p1, 16), v3, p3, 16);
    }
    if (R > 2) {
      a2 = madd(madd(a2, v0, p0, 32), v2, p2, 32);
      c2 = madd(madd(c2, v1, p1, 32), v3, p3, 32);
    }
    if (R > 3) {
      a3 = madd(madd(a3, v0, p0, 48), v2, p2, 48);
      c3 = madd(madd(c3, v1, p1, 48), v3, p3, 48);
    }
  }
  v128.store(out, f32x4.add(a0, c0));
  if (R > 1) v128.store(out, f32x4.add(a1, c1), 16);
  if (R > 2) v128.store(out, f32x4.add(a2, c2), 32);
  if (R > 3) v128.store(out, f32x4.add(a3, c3), 48);
}

/** One tile of z1, R (1…4) vectors, for u8 (FLOAT false) or f32 values. */
// @ts-ignore: decorator
@inline
function tile(FLOAT: bool, R: i32, w: usize, rows: usize, vals: usize, count: i32, out: usize): void {
  if (R == 4) sums(4, FLOAT, w, rows, vals, count, out);
  else if (R == 3) sums(3, FLOAT, w, rows, vals, count, out);
  else if (R == 2) sums(2, FLOAT, w, rows, vals, count, out);
  else sums(1, FLOAT, w, rows, vals, count, out);
}

/**
 * One tile of z1 with `lanes` (1…16) hidden units into `out` (⌈lanes/4⌉ vectors), from the W1P
 * tile at w and the `count` gathered pixels at rows and vals (bytes, or f32 if `float`).
 */
export function tileZ1(lanes: i32, float: bool, w: usize, rows: usize, vals: usize, count: i32, out: usize): void {
  const R = (lanes + 3) >> 2;
  if (float) tile(true, R, w, rows, vals, count, out);
  else tile(false, R, w, rows, vals, count, out);
}
