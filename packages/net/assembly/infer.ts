// The inference kernel: the notes' forward pass ① for a batch of images, in AssemblyScript with
// 128-bit SIMD, compiled to its own WebAssembly module (`dist/infer.wasm`) at build time:
//
//   z1 = W1·x + b1,  a1 = ReLU(z1),  z2 = W2·a1 + b2,  a2 = softmax(z2)        (per image)
//
// The caller (src/model/infer-kernel.ts) owns the layout and passes byte offsets into this
// module's memory. Layouts (all f32 unless said):
//   W1P     (T, 784, 16)  W1 in tiles of 16 hidden units, pixel-major inside a tile: the 16
//                         weights of one pixel are one 64-byte row; T = ceil(H / 16); lanes past
//                         H are zero
//   b1      (16·T)        zero past H
//   W2T     (H, 16)       W2 transposed: the 10 class weights of hidden unit h, padded to 16
//   b2      (16)
//   x       (n, 784)      u8 bytes (scale 1/255) or f32 values (scale 1)
//   probs   (n, 10)       out: a2, one row per image
//   labels  (n)    u8     out: argmax of z2 (the first of equal maxima)
//   scratch 784 i32 + 784 f32 + 16·T f32 (+ 16 f32): the image's non-zero pixels, a1, z2
//
// Bytes with H ≤ 16 take a fused path (fused3/fused4, ~25 % faster); wider models and float
// input gather each image's non-zero pixels first, then sum tile by tile.

const PIXELS: i32 = 784;

/** Writes image x's non-zero pixels as (byte offset of its W1P row, value); returns how many. */
// @ts-ignore: decorator
@inline
function gatherU8(x: usize, rows: usize, vals: usize): i32 {
  let count = 0;
  const zero = i8x16.splat(0);
  for (let k = 0; k < PIXELS; k += 16) {
    let mask = i8x16.bitmask(i8x16.ne(v128.load(x + <usize>k), zero));
    while (mask != 0) {
      const at = k + ctz(mask);
      store<i32>(rows + (<usize>count << 2), at << 6);
      store<f32>(vals + (<usize>count << 2), <f32>load<u8>(x + <usize>at));
      count++;
      mask &= mask - 1;
    }
  }
  return count;
}

// @ts-ignore: decorator
@inline
function gatherF32(x: usize, rows: usize, vals: usize): i32 {
  let count = 0;
  const zero = f32x4.splat(0);
  for (let k = 0; k < PIXELS; k += 4) {
    let mask = i32x4.bitmask(f32x4.ne(v128.load(x + (<usize>k << 2)), zero));
    while (mask != 0) {
      const at = k + ctz(mask);
      store<i32>(rows + (<usize>count << 2), at << 6);
      store<f32>(vals + (<usize>count << 2), load<f32>(x + (<usize>at << 2)));
      count++;
      mask &= mask - 1;
    }
  }
  return count;
}

// One tile of z1: Σ value · W1P row over the gathered pixels, in `lanes / 4` registers (kept out
// of memory: a load and store per pixel is what would cost). Written once per register count so
// that a tile of 10 hidden units does 3 vectors of work, not 4.

function tile1(w: usize, rows: usize, vals: usize, count: i32, out: usize): void {
  let a0 = f32x4.splat(0);
  for (let i = 0; i < count; i++) {
    const p = w + <usize>load<i32>(rows + (<usize>i << 2));
    const v = f32x4.splat(load<f32>(vals + (<usize>i << 2)));
    a0 = f32x4.add(a0, f32x4.mul(v, v128.load(p)));
  }
  v128.store(out, a0);
}

function tile2(w: usize, rows: usize, vals: usize, count: i32, out: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  for (let i = 0; i < count; i++) {
    const p = w + <usize>load<i32>(rows + (<usize>i << 2));
    const v = f32x4.splat(load<f32>(vals + (<usize>i << 2)));
    a0 = f32x4.add(a0, f32x4.mul(v, v128.load(p)));
    a1 = f32x4.add(a1, f32x4.mul(v, v128.load(p, 16)));
  }
  v128.store(out, a0);
  v128.store(out, a1, 16);
}

function tile3(w: usize, rows: usize, vals: usize, count: i32, out: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  for (let i = 0; i < count; i++) {
    const p = w + <usize>load<i32>(rows + (<usize>i << 2));
    const v = f32x4.splat(load<f32>(vals + (<usize>i << 2)));
    a0 = f32x4.add(a0, f32x4.mul(v, v128.load(p)));
    a1 = f32x4.add(a1, f32x4.mul(v, v128.load(p, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v, v128.load(p, 32)));
  }
  v128.store(out, a0);
  v128.store(out, a1, 16);
  v128.store(out, a2, 32);
}

function tile4(w: usize, rows: usize, vals: usize, count: i32, out: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  for (let i = 0; i < count; i++) {
    const p = w + <usize>load<i32>(rows + (<usize>i << 2));
    const v = f32x4.splat(load<f32>(vals + (<usize>i << 2)));
    a0 = f32x4.add(a0, f32x4.mul(v, v128.load(p)));
    a1 = f32x4.add(a1, f32x4.mul(v, v128.load(p, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v, v128.load(p, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v, v128.load(p, 48)));
  }
  v128.store(out, a0);
  v128.store(out, a1, 16);
  v128.store(out, a2, 32);
  v128.store(out, a3, 48);
}

// H ≤ 16 from bytes (the notes' width and the presets'): the gather fused into the sums, so each
// non-zero pixel is read once and its weights go straight into registers; two sets of sums so
// that no add waits on the one before it.
function fused3(x: usize, w: usize, out: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  const zero = i8x16.splat(0);
  for (let k = 0; k < PIXELS; k += 16) {
    let mask = i8x16.bitmask(i8x16.ne(v128.load(x + <usize>k), zero));
    while (mask != 0) {
      const at = k + ctz(mask);
      mask &= mask - 1;
      const p = w + (<usize>at << 6);
      const v = f32x4.splat(<f32>load<u8>(x + <usize>at));
      a0 = f32x4.add(a0, f32x4.mul(v, v128.load(p)));
      a1 = f32x4.add(a1, f32x4.mul(v, v128.load(p, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v, v128.load(p, 32)));
      if (mask == 0) break;
      const bt = k + ctz(mask);
      mask &= mask - 1;
      const q = w + (<usize>bt << 6);
      const u = f32x4.splat(<f32>load<u8>(x + <usize>bt));
      c0 = f32x4.add(c0, f32x4.mul(u, v128.load(q)));
      c1 = f32x4.add(c1, f32x4.mul(u, v128.load(q, 16)));
      c2 = f32x4.add(c2, f32x4.mul(u, v128.load(q, 32)));
    }
  }
  v128.store(out, f32x4.add(a0, c0));
  v128.store(out, f32x4.add(a1, c1), 16);
  v128.store(out, f32x4.add(a2, c2), 32);
}

function fused4(x: usize, w: usize, out: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  const zero = i8x16.splat(0);
  for (let k = 0; k < PIXELS; k += 16) {
    let mask = i8x16.bitmask(i8x16.ne(v128.load(x + <usize>k), zero));
    while (mask != 0) {
      const at = k + ctz(mask);
      mask &= mask - 1;
      const p = w + (<usize>at << 6);
      const v = f32x4.splat(<f32>load<u8>(x + <usize>at));
      a0 = f32x4.add(a0, f32x4.mul(v, v128.load(p)));
      a1 = f32x4.add(a1, f32x4.mul(v, v128.load(p, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v, v128.load(p, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v, v128.load(p, 48)));
      if (mask == 0) break;
      const bt = k + ctz(mask);
      mask &= mask - 1;
      const q = w + (<usize>bt << 6);
      const u = f32x4.splat(<f32>load<u8>(x + <usize>bt));
      c0 = f32x4.add(c0, f32x4.mul(u, v128.load(q)));
      c1 = f32x4.add(c1, f32x4.mul(u, v128.load(q, 16)));
      c2 = f32x4.add(c2, f32x4.mul(u, v128.load(q, 32)));
      c3 = f32x4.add(c3, f32x4.mul(u, v128.load(q, 48)));
    }
  }
  v128.store(out, f32x4.add(a0, c0));
  v128.store(out, f32x4.add(a1, c1), 16);
  v128.store(out, f32x4.add(a2, c2), 32);
  v128.store(out, f32x4.add(a3, c3), 48);
}


/**
 * e^x for x ≤ 0, four lanes (Cephes' expf: x = n·ln2 + r, |r| ≤ ln2/2, a degree-6 polynomial
 * in r, times 2^n; relative error about 1e-7). Lanes below −87 give about 1.6e-38, not 0.
 */
// @ts-ignore: decorator
@inline
function expNeg(x: v128): v128 {
  x = f32x4.max(x, f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

/**
 * The forward pass for n images at x. `float` says whether x holds f32 values (else u8 bytes,
 * scaled by 1/255 after the sum, as the notes scale pixels).
 */
export function infer(
  H: i32,
  n: i32,
  x: usize,
  float: bool,
  W1P: usize,
  b1: usize,
  W2T: usize,
  b2: usize,
  scratch: usize,
  probs: usize,
  labels: usize,
): void {
  const rows = scratch;
  const vals = rows + (<usize>PIXELS << 2);
  const a1 = vals + (<usize>PIXELS << 2);
  const tiles = (H + 15) >> 4;
  const z2 = a1 + (<usize>tiles << 6);
  const scale = f32x4.splat(float ? 1.0 : <f32>(1.0 / 255.0));
  const zero = f32x4.splat(0);
  const imageBytes: usize = float ? <usize>PIXELS << 2 : <usize>PIXELS;
  const tileBytes: usize = <usize>PIXELS << 6;
  for (let j = 0; j < n; j++) {
    const image = x + <usize>j * imageBytes;
    const fused = tiles == 1 && !float; // H ≤ 16, bytes
    const count = fused ? 0 : float ? gatherF32(image, rows, vals) : gatherU8(image, rows, vals);
    // z1 = W1·x, tile by tile; then a1 = ReLU(z1·scale + b1), 4 lanes at a time.
    for (let t = 0; t < tiles; t++) {
      const lanes = min(16, H - (t << 4));
      const w = W1P + <usize>t * tileBytes;
      const out = a1 + (<usize>t << 6);
      if (fused) {
        if (lanes > 12) fused4(image, w, out);
        else fused3(image, w, out);
      } else if (lanes > 12) tile4(w, rows, vals, count, out);
      else if (lanes > 8) tile3(w, rows, vals, count, out);
      else if (lanes > 4) tile2(w, rows, vals, count, out);
      else tile1(w, rows, vals, count, out);
      for (let q = 0; q < lanes; q += 4) {
        const at = out + (<usize>q << 2);
        const z = f32x4.add(f32x4.mul(v128.load(at), scale), v128.load(b1 + (at - a1)));
        v128.store(at, f32x4.max(z, zero));
      }
    }
    // z2 = W2·a1 + b2, skipping the units ReLU zeroed (10 classes in 3 registers).
    let c0 = v128.load(b2);
    let c1 = v128.load(b2, 16);
    let c2 = v128.load(b2, 32);
    for (let h = 0; h < H; h++) {
      const a = load<f32>(a1 + (<usize>h << 2));
      if (a == 0) continue;
      const v = f32x4.splat(a);
      const p = W2T + (<usize>h << 6);
      c0 = f32x4.add(c0, f32x4.mul(v, v128.load(p)));
      c1 = f32x4.add(c1, f32x4.mul(v, v128.load(p, 16)));
      c2 = f32x4.add(c2, f32x4.mul(v, v128.load(p, 32)));
    }
    v128.store(z2, c0);
    v128.store(z2, c1, 16);
    v128.store(z2, c2, 32);
    // a2 = softmax(z2) with the max subtracted; the label is the first maximum.
    let max = load<f32>(z2);
    let best = 0;
    for (let c = 1; c < 10; c++) {
      const z = load<f32>(z2 + (<usize>c << 2));
      if (z > max) {
        max = z;
        best = c;
      }
    }
    const m = f32x4.splat(max);
    const e0 = expNeg(f32x4.sub(c0, m));
    const e1 = expNeg(f32x4.sub(c1, m));
    const e2 = expNeg(f32x4.sub(c2, m));
    const s = f32x4.add(e0, e1);
    const total =
      f32x4.extract_lane(s, 0) +
      f32x4.extract_lane(s, 1) +
      f32x4.extract_lane(s, 2) +
      f32x4.extract_lane(s, 3) +
      f32x4.extract_lane(e2, 0) +
      f32x4.extract_lane(e2, 1);
    const inv = f32x4.splat(1.0 / total);
    const row = probs + <usize>j * 40;
    v128.store(row, f32x4.mul(e0, inv));
    v128.store(row, f32x4.mul(e1, inv), 16);
    store<i64>(row, i64x2.extract_lane(f32x4.mul(e2, inv), 0), 32);
    store<u8>(labels + <usize>j, <u8>best);
  }
}
