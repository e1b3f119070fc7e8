// The two products with W1 over one example's non-zero pixels (compressed rows: pixel k =
// index[at], byte value[at], for at in from…to), in the transposed layout W1T (784, Hp):
//
//   W1·x:    Z1[h]     = Σ_at W1T[k, h] · value           (before the 1/255 and b1)
//   dZ1·xᵀ:  dW1T[k, h] += dZ1[h] · value  for each at    (dW1's sum)
//
// Hidden units go in blocks of n registers of 4 lanes: 16 at a time (n = 4), then a 12-lane
// block (n = 3: H = 10 pads to 12, not 16, a quarter less work), then 4 at a time (n = 1).
// Rows are rowBytes = 4·Hp apart. The block function is inlined with n a constant, so each
// size compiles to its own straight loop.

/** One example's non-zero pixels: pixel index[at] (u16) has byte value[at] (u8), at in from…to. */
@unmanaged
export class Pixels {
  index: usize;
  value: usize;
  from: u32;
  to: u32;
}

// @ts-ignore: decorator
@inline function splatByte(value: usize, at: u32): v128 {
  return f32x4.splat(<f32>load<u8>(value + <usize>at));
}
// @ts-ignore: decorator
@inline function rowOf(W: usize, index: usize, at: u32, rowBytes: usize): usize {
  return W + <usize>load<u16>(index + (<usize>at << 1)) * rowBytes;
}
// @ts-ignore: decorator
@inline function madd(acc: v128, w: v128, v: v128): v128 {
  return f32x4.add(acc, f32x4.mul(w, v));
}

/**
 * One block of 4n columns of either product, W and V at the block's first column:
 *   accumulate false: V[0…4n) = Σ W[k, 0…4n)·value over the pixels; two pixels per turn, in
 *                     two sets of sums, so no add waits on the last
 *   accumulate true:  W[k, 0…4n) += V[0…4n)·value for each pixel k
 */
// @ts-ignore: decorator
@inline function block(accumulate: bool, n: i32, rowBytes: usize, W: usize, px: Pixels, V: usize): void {
  const index = px.index;
  const value = px.value;
  const to = px.to;
  if (accumulate) {
    const d0 = v128.load(V);
    const d1 = n > 1 ? v128.load(V, 16) : d0;
    const d2 = n > 2 ? v128.load(V, 32) : d0;
    const d3 = n > 3 ? v128.load(V, 48) : d0;
    for (let at = px.from; at < to; at++) {
      const v = splatByte(value, at);
      const g = rowOf(W, index, at, rowBytes);
      v128.store(g, madd(v128.load(g), d0, v));
      if (n > 1) v128.store(g, madd(v128.load(g, 16), d1, v), 16);
      if (n > 2) v128.store(g, madd(v128.load(g, 32), d2, v), 32);
      if (n > 3) v128.store(g, madd(v128.load(g, 48), d3, v), 48);
    }
    return;
  }
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0);
  let b1 = f32x4.splat(0);
  let b2 = f32x4.splat(0);
  let b3 = f32x4.splat(0);
  let at = px.from;
  for (; at + 1 < to; at += 2) {
    const va = splatByte(value, at);
    const vb = splatByte(value, at + 1);
    const wa = rowOf(W, index, at, rowBytes);
    const wb = rowOf(W, index, at + 1, rowBytes);
    a0 = madd(a0, v128.load(wa), va);
    b0 = madd(b0, v128.load(wb), vb);
    if (n > 1) {
      a1 = madd(a1, v128.load(wa, 16), va);
      b1 = madd(b1, v128.load(wb, 16), vb);
    }
    if (n > 2) {
      a2 = madd(a2, v128.load(wa, 32), va);
      b2 = madd(b2, v128.load(wb, 32), vb);
    }
    if (n > 3) {
      a3 = madd(a3, v128.load(wa, 48), va);
      b3 = madd(b3, v128.load(wb, 48), vb);
    }
  }
  if (at < to) {
    const v = splatByte(value, at);
    const w = rowOf(W, index, at, rowBytes);
    a0 = madd(a0, v128.load(w), v);
    if (n > 1) a1 = madd(a1, v128.load(w, 16), v);
    if (n > 2) a2 = madd(a2, v128.load(w, 32), v);
    if (n > 3) a3 = madd(a3, v128.load(w, 48), v);
  }
  v128.store(V, f32x4.add(a0, b0));
  if (n > 1) v128.store(V, f32x4.add(a1, b1), 16);
  if (n > 2) v128.store(V, f32x4.add(a2, b2), 32);
  if (n > 3) v128.store(V, f32x4.add(a3, b3), 48);
}

/**
 * One of the two products over all Hp columns (blocks of 16, then one of 12, then of 4):
 *   accumulate false: V = Z1,  Z1[0…Hp) = Σ W1T[k, ·]·value over the pixels  (W = W1T)
 *   accumulate true:  V = dZ1, dW1T[k, ·] += dZ1·value for each pixel k      (W = dW1T)
 * Inlined where it is called, with `accumulate` a constant.
 */
// @ts-ignore: decorator
@inline export function productW1(
  accumulate: bool,
  rowBytes: usize,
  W: usize,
  px: Pixels,
  V: usize,
): void {
  let c: usize = 0;
  for (; c + 64 <= rowBytes; c += 64)
    block(accumulate, 4, rowBytes, W + c, px, V + c);
  if (rowBytes - c == 48) {
    block(accumulate, 3, rowBytes, W + c, px, V + c);
    c += 48;
  }
  for (; c < rowBytes; c += 16)
    block(accumulate, 1, rowBytes, W + c, px, V + c);
}
