// The fused training kernel of packages/net/src/train/kernel.ts, in AssemblyScript with 128-bit
// SIMD, compiled to WebAssembly at build time (`pnpm build`). Same math, same names:
//
//   z1 = W1·x + b1, a1 = ReLU(z1), z2 = W2·a1 + b2, a2 = softmax(z2)        (per example)
//   dz2 = a2 − y,   dz1 = W2ᵀ·dz2 ∗ g′(z1)
//   dW2 += dz2·a1ᵀ, db2 += dz2, dW1 += dz1·xᵀ (x as bytes), db1 += dz1
//
// The caller owns the memory (shared between threads) and passes byte offsets. Layouts:
//   W1T, dW1T  (784, Hp) f32   W1 transposed, each pixel's H weights contiguous, padded to Hp,
//                              a multiple of 16
//   b1, db1    (Hp)      f32
//   W2, dW2    (10, Hp)  f32   padded rows
//   b2, db2    (16)      f32
//   start (m+1) u32, index (nnz) u16, value (nnz) u8, labels (m) u8, order u32
//   scratch    4·Hp + 32 f32 per thread
// Sums are left unscaled: dW1T is Σ dz1·pixel (bytes), the caller divides by 255·m (and the
// rest by m). Padded lanes of the weights must be zero; they then stay zero.

const PIXELS: i32 = 784;
const CLASSES: i32 = 10;
const INV255: f32 = 1.0 / 255.0;

/** The first byte the caller may use (past this module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline
function forwardOne(
  Hp: i32,
  start: usize,
  index: usize,
  value: usize,
  j: i32,
  W1T: usize,
  b1: usize,
  W2: usize,
  b2: usize,
  z1: usize,
  a1: usize,
  z2: usize,
): i32 {
  const rowBytes = <usize>Hp << 2;
  const from = load<u32>(start + (<usize>j << 2));
  const to = load<u32>(start + (<usize>(j + 1) << 2));
  // W1·x over the non-zero pixels, 16 hidden units at a time in four registers (no memory
  // round trip per pixel: that dependency chain, not the arithmetic, is what costs).
  for (let c: usize = 0; c < rowBytes; c += 64) {
    // Two pixels per turn into two sets of sums, so that no add waits on the one before it.
    let acc0 = f32x4.splat(0);
    let acc1 = f32x4.splat(0);
    let acc2 = f32x4.splat(0);
    let acc3 = f32x4.splat(0);
    let bcc0 = f32x4.splat(0);
    let bcc1 = f32x4.splat(0);
    let bcc2 = f32x4.splat(0);
    let bcc3 = f32x4.splat(0);
    let at = from;
    for (; at + 1 < to; at += 2) {
      const ka = <usize>load<u16>(index + (<usize>at << 1));
      const kb = <usize>load<u16>(index + (<usize>at << 1), 2);
      const va = f32x4.splat(<f32>load<u8>(value + <usize>at));
      const vb = f32x4.splat(<f32>load<u8>(value + <usize>at, 1));
      const wa = W1T + ka * rowBytes + c;
      const wb = W1T + kb * rowBytes + c;
      acc0 = f32x4.add(acc0, f32x4.mul(v128.load(wa), va));
      bcc0 = f32x4.add(bcc0, f32x4.mul(v128.load(wb), vb));
      acc1 = f32x4.add(acc1, f32x4.mul(v128.load(wa, 16), va));
      bcc1 = f32x4.add(bcc1, f32x4.mul(v128.load(wb, 16), vb));
      acc2 = f32x4.add(acc2, f32x4.mul(v128.load(wa, 32), va));
      bcc2 = f32x4.add(bcc2, f32x4.mul(v128.load(wb, 32), vb));
      acc3 = f32x4.add(acc3, f32x4.mul(v128.load(wa, 48), va));
      bcc3 = f32x4.add(bcc3, f32x4.mul(v128.load(wb, 48), vb));
    }
    if (at < to) {
      const k = <usize>load<u16>(index + (<usize>at << 1));
      const v = f32x4.splat(<f32>load<u8>(value + <usize>at));
      const w = W1T + k * rowBytes + c;
      acc0 = f32x4.add(acc0, f32x4.mul(v128.load(w), v));
      acc1 = f32x4.add(acc1, f32x4.mul(v128.load(w, 16), v));
      acc2 = f32x4.add(acc2, f32x4.mul(v128.load(w, 32), v));
      acc3 = f32x4.add(acc3, f32x4.mul(v128.load(w, 48), v));
    }
    acc0 = f32x4.add(acc0, bcc0);
    acc1 = f32x4.add(acc1, bcc1);
    acc2 = f32x4.add(acc2, bcc2);
    acc3 = f32x4.add(acc3, bcc3);
    v128.store(z1 + c, acc0);
    v128.store(z1 + c, acc1, 16);
    v128.store(z1 + c, acc2, 32);
    v128.store(z1 + c, acc3, 48);
  }
  const scale = f32x4.splat(INV255);
  const zero = f32x4.splat(0);
  for (let h = 0; h < Hp; h += 4) {
    const o = <usize>h << 2;
    const z = f32x4.add(f32x4.mul(v128.load(z1 + o), scale), v128.load(b1 + o));
    v128.store(z1 + o, z);
    v128.store(a1 + o, f32x4.max(z, zero));
  }
  let max: f32 = -Infinity;
  let best: i32 = 0;
  for (let c = 0; c < CLASSES; c++) {
    const w = W2 + <usize>c * rowBytes;
    let acc = f32x4.splat(0);
    for (let h = 0; h < Hp; h += 4) {
      const o = <usize>h << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(w + o), v128.load(a1 + o)));
    }
    const z =
      f32x4.extract_lane(acc, 0) +
      f32x4.extract_lane(acc, 1) +
      f32x4.extract_lane(acc, 2) +
      f32x4.extract_lane(acc, 3) +
      load<f32>(b2 + (<usize>c << 2));
    store<f32>(z2 + (<usize>c << 2), z);
    if (z > max) {
      max = z;
      best = c;
    }
  }
  let total: f32 = 0;
  for (let c = 0; c < CLASSES; c++) {
    const e = Mathf.exp(load<f32>(z2 + (<usize>c << 2)) - max);
    store<f32>(z2 + (<usize>c << 2), e);
    total += e;
  }
  const inv: f32 = 1.0 / total;
  for (let c = 0; c < CLASSES; c++) store<f32>(z2 + (<usize>c << 2), load<f32>(z2 + (<usize>c << 2)) * inv);
  return best;
}

/**
 * Forward and backward over examples order[from…to): zeroes and fills the accumulators, and
 * writes the summed loss (f64) and the count correct (i32) at `result`.
 */
export function trainRange(
  H: i32,
  Hp: i32,
  start: usize,
  index: usize,
  value: usize,
  labels: usize,
  order: usize,
  from: i32,
  to: i32,
  W1T: usize,
  b1: usize,
  W2: usize,
  b2: usize,
  dW1T: usize,
  db1: usize,
  dW2: usize,
  db2: usize,
  scratch: usize,
  result: usize,
): void {
  const rowBytes = <usize>Hp << 2;
  memory.fill(dW1T, 0, <usize>PIXELS * rowBytes);
  memory.fill(db1, 0, rowBytes);
  memory.fill(dW2, 0, <usize>CLASSES * rowBytes);
  memory.fill(db2, 0, 64);
  const z1 = scratch;
  const a1 = z1 + rowBytes;
  const dz1 = a1 + rowBytes;
  const z2 = dz1 + rowBytes;
  let loss: f64 = 0;
  let correct: i32 = 0;
  const zero = f32x4.splat(0);
  for (let i = from; i < to; i++) {
    const j = <i32>load<u32>(order + (<usize>i << 2));
    const y = <i32>load<u8>(labels + <usize>j);
    const predicted = forwardOne(Hp, start, index, value, j, W1T, b1, W2, b2, z1, a1, z2);
    if (predicted == y) correct++;
    const py = load<f32>(z2 + (<usize>y << 2));
    loss -= Math.log(<f64>(py > <f32>1e-30 ? py : <f32>1e-30));
    store<f32>(z2 + (<usize>y << 2), py - 1); // z2 is now dz2 = a2 − y
    for (let h = 0; h < Hp; h += 4) v128.store(dz1 + (<usize>h << 2), zero);
    for (let c = 0; c < CLASSES; c++) {
      const d = load<f32>(z2 + (<usize>c << 2));
      store<f32>(db2 + (<usize>c << 2), load<f32>(db2 + (<usize>c << 2)) + d);
      const dv = f32x4.splat(d);
      const w = W2 + <usize>c * rowBytes;
      const g = dW2 + <usize>c * rowBytes;
      for (let h = 0; h < Hp; h += 4) {
        const o = <usize>h << 2;
        v128.store(g + o, f32x4.add(v128.load(g + o), f32x4.mul(dv, v128.load(a1 + o))));
        v128.store(dz1 + o, f32x4.add(v128.load(dz1 + o), f32x4.mul(v128.load(w + o), dv)));
      }
    }
    for (let h = 0; h < Hp; h += 4) {
      const o = <usize>h << 2;
      const d = v128.and(v128.load(dz1 + o), f32x4.gt(v128.load(z1 + o), zero)); // ∗ g′(z1)
      v128.store(dz1 + o, d);
      v128.store(db1 + o, f32x4.add(v128.load(db1 + o), d));
    }
    // dW1 += dz1·xᵀ over the non-zero pixels, 16 hidden units at a time.
    const from2 = load<u32>(start + (<usize>j << 2));
    const to2 = load<u32>(start + (<usize>(j + 1) << 2));
    for (let c: usize = 0; c < rowBytes; c += 64) {
      const d0 = v128.load(dz1 + c);
      const d1 = v128.load(dz1 + c, 16);
      const d2 = v128.load(dz1 + c, 32);
      const d3 = v128.load(dz1 + c, 48);
      for (let at = from2; at < to2; at++) {
        const k = <usize>load<u16>(index + (<usize>at << 1));
        const v = f32x4.splat(<f32>load<u8>(value + <usize>at));
        const g = dW1T + k * rowBytes + c;
        v128.store(g, f32x4.add(v128.load(g), f32x4.mul(d0, v)));
        v128.store(g, f32x4.add(v128.load(g, 16), f32x4.mul(d1, v)), 16);
        v128.store(g, f32x4.add(v128.load(g, 32), f32x4.mul(d2, v)), 32);
        v128.store(g, f32x4.add(v128.load(g, 48), f32x4.mul(d3, v)), 48);
      }
    }
  }
  store<f64>(result, loss);
  store<i32>(result, correct, 8);
  void H;
}

/**
 * Forward only over examples from…to (in order): summed loss and count correct at `result`
 * (when `labels` is non-zero), and optionally the confusion matrix (u32, true·10 + predicted,
 * added to), the probabilities (f32, 10 per example) and the predictions (u8).
 */
export function evalRange(
  Hp: i32,
  start: usize,
  index: usize,
  value: usize,
  labels: usize,
  from: i32,
  to: i32,
  W1T: usize,
  b1: usize,
  W2: usize,
  b2: usize,
  scratch: usize,
  result: usize,
  confusion: usize,
  probabilities: usize,
  predictions: usize,
): void {
  const rowBytes = <usize>Hp << 2;
  const z1 = scratch;
  const a1 = z1 + rowBytes;
  const z2 = a1 + (rowBytes << 1);
  let loss: f64 = 0;
  let correct: i32 = 0;
  for (let j = from; j < to; j++) {
    const predicted = forwardOne(Hp, start, index, value, j, W1T, b1, W2, b2, z1, a1, z2);
    if (probabilities) memory.copy(probabilities + (<usize>j * 40), z2, 40);
    if (predictions) store<u8>(predictions + <usize>j, <u8>predicted);
    if (labels) {
      const y = <i32>load<u8>(labels + <usize>j);
      const py = load<f32>(z2 + (<usize>y << 2));
      loss -= Math.log(<f64>(py > <f32>1e-30 ? py : <f32>1e-30));
      if (predicted == y) correct++;
      if (confusion) {
        const at = confusion + (<usize>(y * CLASSES + predicted) << 2);
        store<u32>(at, load<u32>(at) + 1);
      }
    }
  }
  store<f64>(result, loss);
  store<i32>(result, correct, 8);
}
