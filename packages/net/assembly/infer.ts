// The inference kernel: the notes' forward pass ① for a batch of images, in AssemblyScript with
// 128-bit SIMD, compiled to its own WebAssembly module (`dist/infer.wasm`) at build time:
//
//   z1 = W1·x + b1,  a1 = ReLU(z1),  z2 = W2·a1 + b2,  a2 = softmax(z2)        (per image)
//
// Per image: gather the non-zero pixels (infer-pixels.ts), z1 tile by tile over them
// (infer-z1.ts), then a1, z2 and a2 here. The memory is shared: the caller
// (src/model/infer-kernel.ts) owns the layout, and one instance per thread runs `infer` on its
// own Job (its images, scratch and outputs) over the same model. Layouts (all f32 unless said):
//   W1P     (T, 784, R)   W1 in tiles of up to 16 hidden units, pixel-major inside a tile: the
//                         weights of one pixel are one row of rowBytes(H) = 4·R bytes (R = 16
//                         lanes when T > 1, else H rounded up to 4); T = ceil(H / 16); lanes past
//                         H are zero
//   b1      (16·T)        zero past H
//   W2T     (H, 16)       W2 transposed: the 10 class weights of hidden unit h, padded to 16
//   b2      (16)
//   tables  tableBytes()  the gather's tables (fillTables, once per kernel)
//   x       (n, 784)      u8 bytes (scale 1/255) or f32 values (scale 1)
//   probs   (n, 10)       out: a2, one row per image (+ 8 bytes of slack after the last row)
//   labels  (n)    u8     out: argmax of z2 (the first of equal maxima)
//   scratch scratchBytes(H): the image's non-zero pixels, a1, z2

import { fillTables, gatherF32, gatherU8, PIXELS, SLACK, TABLE_BYTES } from './infer-pixels';
import { tileZ1 } from './infer-z1';

export { fillTables };

/** Bytes of the gather's tables. */
export function tableBytes(): i32 {
  return TABLE_BYTES;
}

/** One thread's work: the fields are i32 byte offsets (or counts), in this order. */
@unmanaged
class Job {
  H: i32;
  n: i32;
  x: i32;
  float: i32;
  W1P: i32;
  b1: i32;
  W2T: i32;
  b2: i32;
  tables: i32;
  scratch: i32;
  probs: i32;
  labels: i32;
}

/** Bytes of one pixel's row in a tile of W1P. */
export function rowBytes(H: i32): i32 {
  return H > 16 ? 64 : ((H + 3) >> 2) << 4;
}

/** Bytes of one thread's scratch. */
export function scratchBytes(H: i32): i32 {
  return ((PIXELS + SLACK) << 1) + ((PIXELS + SLACK) << 2) + (((H + 15) >> 4) << 6) + 64;
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
 * The forward pass for the n images of `job` (a Job at that byte offset). `float` says whether
 * x holds f32 values (else u8 bytes, scaled by 1/255 after the sum, as the notes scale pixels).
 */
export function infer(job: usize): void {
  const J = changetype<Job>(job);
  const H = J.H;
  const float = J.float != 0;
  const W2T = <usize>J.W2T;
  const b1 = <usize>J.b1;
  const rows = <usize>J.scratch;
  const vals = rows + (<usize>(PIXELS + SLACK) << 1);
  const a1 = vals + (<usize>(PIXELS + SLACK) << 2);
  const tiles = (H + 15) >> 4;
  const z2 = a1 + (<usize>tiles << 6);
  const row = rowBytes(H);
  const scale = f32x4.splat(float ? 1.0 : <f32>(1.0 / 255.0));
  const zero = f32x4.splat(0);
  const imageBytes: usize = float ? <usize>PIXELS << 2 : <usize>PIXELS;
  const tileBytes: usize = <usize>PIXELS * row;
  for (let j = 0; j < J.n; j++) {
    const image = <usize>J.x + <usize>j * imageBytes;
    const count = float
      ? gatherF32(image, row, rows, vals)
      : gatherU8(image, <usize>J.tables, row, rows, vals);
    // z1 = W1·x, tile by tile; then a1 = ReLU(z1·scale + b1), 4 lanes at a time.
    for (let t = 0; t < tiles; t++) {
      const lanes = min(16, H - (t << 4));
      const out = a1 + (<usize>t << 6);
      tileZ1(lanes, float, <usize>J.W1P + <usize>t * tileBytes, rows, vals, count, out);
      for (let q = 0; q < lanes; q += 4) {
        const at = out + (<usize>q << 2);
        const z = f32x4.add(f32x4.mul(v128.load(at), scale), v128.load(b1 + (at - a1)));
        v128.store(at, f32x4.max(z, zero));
      }
    }
    // z2 = W2·a1 + b2, skipping the units ReLU zeroed (10 classes in 3 registers).
    let c0 = v128.load(J.b2);
    let c1 = v128.load(J.b2, 16);
    let c2 = v128.load(J.b2, 32);
    for (let h = 0; h < H; h++) {
      const a = load<f32>(a1 + (<usize>h << 2));
      if (a == 0) continue;
      const v = f32x4.splat(a);
      const p = W2T + (<usize>h << 6);
      c0 = f32x4.add(c0, f32x4.mul(v, v128.load(p)));
      c1 = f32x4.add(c1, f32x4.mul(v, v128.load(p, 16)));
      c2 = f32x4.add(c2, f32x4.mul(v, v128.load(p, 32)));
    }
    softmax(c0, c1, c2, z2, <usize>J.probs + <usize>j * 40, <usize>J.labels + <usize>j);
  }
}

/** a2 = softmax(z2) with the max subtracted, into the 10 floats at `row`; the label is the first maximum. */
// @ts-ignore: decorator
@inline
function softmax(c0: v128, c1: v128, c2: v128, z2: usize, row: usize, label: usize): void {
  v128.store(z2, c0);
  v128.store(z2, c1, 16);
  v128.store(z2, c2, 32);
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
  v128.store(row, f32x4.mul(e0, inv));
  v128.store(row, f32x4.mul(e1, inv), 16);
  store<i64>(row, i64x2.extract_lane(f32x4.mul(e2, inv), 0), 32);
  store<u8>(label, <u8>best);
}


