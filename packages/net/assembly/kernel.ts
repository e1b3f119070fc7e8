// The training kernel in AssemblyScript with 128-bit SIMD, compiled to WebAssembly at build time
// (`pnpm build`). The notes' equations per example (one column of X), over its non-zero pixels:
//
//   Z1 = W1·x + b1, A1 = ReLU(Z1), Z2 = W2·A1 + b2, A2 = softmax(Z2)
//   dZ2 = A2 − y,   dZ1 = W2ᵀ·dZ2 ∗ g′(Z1)
//   dW2 += dZ2·A1ᵀ, db2 += dZ2, dW1 += dZ1·xᵀ (x as bytes), db1 += dZ1
//
// then `update` sums the parts, scales by 1/m (and 1/255 for dW1) and applies the optimiser
// to the resident weights. Every function takes a job header's address; the memory layout and
// every slot are described once, in ../src/train/wasm/layout.ts (imported here as it is).

import {
  B1_ROW,
  B2_ROW,
  CONFUSION_BYTES,
  D_INDEX,
  D_LABELS,
  D_START,
  D_VALUE,
  J_BLOCK_BYTES,
  J_CONFUSION,
  J_DATA,
  J_FROM,
  J_GRADS,
  J_HP,
  J_ORDER,
  J_PARTS,
  J_RESULTS,
  J_SCRATCH,
  J_SCRATCH_BYTES,
  J_TO,
  J_WEIGHTS,
  OUTPUTS,
  RESULT_BYTES,
  W2_ROW,
} from '../src/train/wasm/layout';

import { addr, int } from './job';
import { Pixels, productW1 } from './w1';

export { countNonZero, sparsify } from './sparse';
export { update } from './update';

const INV255: f32 = 1.0 / 255.0;

/** The first byte the caller may use (past this module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

/** First example (in the order) of part `part` of the batch. */
// @ts-ignore: decorator
@inline function partStart(job: usize, part: i32): i32 {
  const from = int(job, J_FROM);
  const n = <i64>(int(job, J_TO) - from);
  return from + <i32>((n * <i64>part) / <i64>int(job, J_PARTS));
}

/** The pointers one example's pass needs, read once per call from the job header. */
@unmanaged
class Pass extends Pixels {
  Hp: i32;
  rowBytes: usize;
  W1T: usize;
  b1: usize;
  W2: usize;
  b2: usize;
  start: usize;
  labels: usize;
  Z1: usize;
  A1: usize;
  dZ1: usize;
  Z2: usize;
}

/** Reads the job header into a Pass kept at the end of the part's scratch (threads share memory). */
function setup(job: usize, part: i32): Pass {
  const Hp = int(job, J_HP);
  const rowBytes = <usize>Hp << 2;
  const W = addr(job, J_WEIGHTS);
  const data = addr(job, J_DATA);
  const scratchBytes = <usize>int(job, J_SCRATCH_BYTES);
  const scratch = addr(job, J_SCRATCH) + <usize>part * scratchBytes;
  const p = changetype<Pass>(scratch + scratchBytes - 64);
  p.Hp = Hp;
  p.rowBytes = rowBytes;
  p.W1T = W;
  p.b1 = W + <usize>B1_ROW * rowBytes;
  p.W2 = W + <usize>W2_ROW * rowBytes;
  p.b2 = W + <usize>B2_ROW * rowBytes;
  p.start = addr(data, D_START);
  p.index = addr(data, D_INDEX);
  p.value = addr(data, D_VALUE);
  p.labels = addr(data, D_LABELS);
  p.Z1 = scratch;
  p.A1 = scratch + rowBytes;
  p.dZ1 = scratch + 2 * rowBytes;
  p.Z2 = scratch + 3 * rowBytes;
  return p;
}

/** Forward for example j: its pixels in p, Z1, A1 and Z2 (A2 afterwards, in place) in scratch; the argmax. */
function forwardOne(p: Pass, j: i32): i32 {
  p.from = load<u32>(p.start + (<usize>j << 2));
  p.to = load<u32>(p.start + (<usize>(j + 1) << 2));
  productW1(false, p.rowBytes, p.W1T, p, p.Z1);
  const scale = f32x4.splat(INV255);
  const zero = f32x4.splat(0);
  for (let o: usize = 0; o < p.rowBytes; o += 16) {
    const z = f32x4.add(f32x4.mul(v128.load(p.Z1 + o), scale), v128.load(p.b1 + o));
    v128.store(p.Z1 + o, z);
    v128.store(p.A1 + o, f32x4.max(z, zero));
  }
  let max: f32 = -Infinity;
  let best: i32 = 0;
  for (let c = 0; c < OUTPUTS; c++) {
    const w = p.W2 + <usize>c * p.rowBytes;
    let acc = f32x4.splat(0);
    for (let o: usize = 0; o < p.rowBytes; o += 16)
      acc = f32x4.add(acc, f32x4.mul(v128.load(w + o), v128.load(p.A1 + o)));
    const z =
      f32x4.extract_lane(acc, 0) +
      f32x4.extract_lane(acc, 1) +
      f32x4.extract_lane(acc, 2) +
      f32x4.extract_lane(acc, 3) +
      load<f32>(p.b2 + (<usize>c << 2));
    store<f32>(p.Z2 + (<usize>c << 2), z);
    if (z > max) {
      max = z;
      best = c;
    }
  }
  let total: f32 = 0;
  for (let c = 0; c < OUTPUTS; c++) {
    const e = Mathf.exp(load<f32>(p.Z2 + (<usize>c << 2)) - max);
    store<f32>(p.Z2 + (<usize>c << 2), e);
    total += e;
  }
  const inv: f32 = 1.0 / total;
  for (let c = 0; c < OUTPUTS; c++)
    store<f32>(p.Z2 + (<usize>c << 2), load<f32>(p.Z2 + (<usize>c << 2)) * inv);
  return best;
}

// @ts-ignore: decorator
@inline function crossEntropy(py: f32): f64 {
  return -Math.log(<f64>(py > <f32>1e-30 ? py : <f32>1e-30));
}

/**
 * Forward and backward over part `part` of the batch: zeroes and fills that part's gradient
 * sums, and writes its summed loss and count correct to its results.
 */
export function gradients(job: usize, part: i32): void {
  const p = setup(job, part);
  const rowBytes = p.rowBytes;
  const block = <usize>int(job, J_BLOCK_BYTES);
  const G = addr(job, J_GRADS) + <usize>part * block;
  const dW1T = G;
  const db1 = G + <usize>B1_ROW * rowBytes;
  const dW2 = G + <usize>W2_ROW * rowBytes;
  const db2 = G + <usize>B2_ROW * rowBytes;
  memory.fill(G, 0, block);
  const order = addr(job, J_ORDER);
  const Z1 = p.Z1;
  const A1 = p.A1;
  const dZ1 = p.dZ1;
  const dZ2 = p.Z2; // A2 becomes dZ2 in place
  let loss: f64 = 0;
  let correct: i32 = 0;
  const zero = f32x4.splat(0);
  let touched: u32 = 0;
  for (let i = partStart(job, part), end = partStart(job, part + 1); i < end; i++) {
    const j = order ? <i32>load<u32>(order + (<usize>i << 2)) : i;
    if (order && i + 2 < end) {
      // Touch the next examples' data early (wasm has no prefetch): the next one's pixels,
      // and where the one after starts, so their cache misses overlap this example's work.
      const next = <usize>load<u32>(order + (<usize>(i + 1) << 2));
      const first = load<u32>(p.start + (next << 2));
      touched += load<u8>(p.value + <usize>first) + <u32>load<u16>(p.index + (<usize>first << 1));
      touched += load<u32>(p.start + (<usize>load<u32>(order + (<usize>(i + 2) << 2)) << 2));
    }
    const y = <i32>load<u8>(p.labels + <usize>j);
    if (forwardOne(p, j) == y) correct++;
    const py = load<f32>(dZ2 + (<usize>y << 2));
    loss += crossEntropy(py);
    store<f32>(dZ2 + (<usize>y << 2), py - 1); // dZ2 = A2 − Y
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(dZ1 + o, zero);
    for (let c = 0; c < OUTPUTS; c++) {
      const d = load<f32>(dZ2 + (<usize>c << 2));
      store<f32>(db2 + (<usize>c << 2), load<f32>(db2 + (<usize>c << 2)) + d);
      const dv = f32x4.splat(d);
      const w = p.W2 + <usize>c * rowBytes;
      const g = dW2 + <usize>c * rowBytes;
      for (let o: usize = 0; o < rowBytes; o += 16) {
        v128.store(g + o, f32x4.add(v128.load(g + o), f32x4.mul(dv, v128.load(A1 + o))));
        v128.store(dZ1 + o, f32x4.add(v128.load(dZ1 + o), f32x4.mul(v128.load(w + o), dv)));
      }
    }
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const d = v128.and(v128.load(dZ1 + o), f32x4.gt(v128.load(Z1 + o), zero)); // ∗ g′(Z1)
      v128.store(dZ1 + o, d);
      v128.store(db1 + o, f32x4.add(v128.load(db1 + o), d));
    }
    productW1(true, rowBytes, dW1T, p, dZ1); // example j's pixels, as forwardOne left them
  }
  const result = addr(job, J_RESULTS) + <usize>part * RESULT_BYTES;
  store<f64>(result, loss);
  store<i32>(result, correct, 8);
  store<u32>(result, touched, 12); // kept, so the touches are not optimised away
}

/**
 * Forward only over part `part` of examples FROM…TO (in the order, if one is set): that part's
 * summed loss and count correct, and its confusion matrix (zeroed first) if one is given.
 */
export function evaluate(job: usize, part: i32): void {
  const p = setup(job, part);
  const order = addr(job, J_ORDER);
  const confusion = addr(job, J_CONFUSION);
  const mine = confusion ? confusion + <usize>part * CONFUSION_BYTES : 0;
  if (mine) memory.fill(mine, 0, CONFUSION_BYTES);
  let loss: f64 = 0;
  let correct: i32 = 0;
  for (let i = partStart(job, part), end = partStart(job, part + 1); i < end; i++) {
    const j = order ? <i32>load<u32>(order + (<usize>i << 2)) : i;
    const y = <i32>load<u8>(p.labels + <usize>j);
    const predicted = forwardOne(p, j);
    loss += crossEntropy(load<f32>(p.Z2 + (<usize>y << 2)));
    if (predicted == y) correct++;
    if (mine) {
      const at = mine + (<usize>(y * OUTPUTS + predicted) << 2);
      store<u32>(at, load<u32>(at) + 1);
    }
  }
  const result = addr(job, J_RESULTS) + <usize>part * RESULT_BYTES;
  store<f64>(result, loss);
  store<i32>(result, correct, 8);
}
