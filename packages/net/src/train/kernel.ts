import { CLASSES, type Params, PIXELS } from '../network/params.js';
import { type Examples, type SparsePixels, sparsePixels } from './examples.js';

/** Flat gradients as the fast kernel produces them, in float64 (summed over many examples). */
export interface FlatGradients {
  readonly dW1: Float64Array; // (H, 784)
  readonly db1: Float64Array; // (H)
  readonly dW2: Float64Array; // (10, H)
  readonly db2: Float64Array; // (10)
}

/** What one pass over a batch measured. */
export interface BatchStats {
  /** Summed cross-entropy over the batch. */
  loss: number;
  /** Correctly classified examples in the batch. */
  correct: number;
}

/** A data set made ready for a kernel (its sparse view, copied into the kernel's memory…). */
export interface KernelData {
  readonly examples: Examples;
}

/**
 * What the training loop needs of a kernel: the fused forward+backward over a batch, leaving
 * the mean gradients in `grads`, and a forward-only evaluation. Two implementations: `Kernel`
 * below (plain TypeScript, the reference and fallback) and `WasmKernel` (SIMD, threads).
 */
export interface TrainingKernel {
  readonly hidden: number;
  readonly grads: FlatGradients;
  /** Makes a data set available to the kernel. */
  attach(examples: Examples): KernelData;
  /** Forward and backward over examples `order[from…to)` with parameters `p`. */
  step(p: Params, data: KernelData, order: Uint32Array, from: number, to: number): BatchStats;
  /** Forward over every example: summed loss, count correct, and the confusion matrix (added to). */
  evaluate(p: Params, data: KernelData, confusion: Uint32Array | null): BatchStats;
  /** Frees threads and memory. */
  dispose(): void;
}

interface JsData extends KernelData {
  readonly sparse: SparsePixels;
}

const INV255 = 1 / 255;

/**
 * The fused training kernel: the notes' forward and backward pass for a batch of examples in one
 * sweep over their non-zero pixels, with the 1/255 pixel scale folded into the arithmetic.
 * Per example j (a column of the notes' matrices):
 *
 *   z1 = W1·x + b1, a1 = ReLU(z1), z2 = W2·a1 + b2, a2 = softmax(z2)
 *   dz2 = a2 − y,   dz1 = W2ᵀ·dz2 ∗ g′(z1)
 *   dW2 += dz2·a1ᵀ, db2 += dz2, dW1 += dz1·xᵀ, db1 += dz1
 *
 * and the sums are divided by m at the end, so the gradients equal the reference `backward`
 * (within float tolerance). W1·x and dz1·xᵀ touch only the ~19 % non-zero pixels, through a
 * transposed copy of W1 whose columns are contiguous. Deterministic: a fixed summation order.
 */
export class Kernel implements TrainingKernel {
  readonly hidden: number;
  private readonly W1T: Float32Array; //  (784, H) W1 transposed
  private readonly dW1T: Float64Array; // (784, H)
  private readonly z1: Float64Array;
  private readonly a1: Float64Array;
  private readonly dz1: Float64Array;
  private readonly z2 = new Float64Array(CLASSES);
  readonly grads: FlatGradients;

  constructor(hidden: number) {
    this.hidden = hidden;
    this.W1T = new Float32Array(PIXELS * hidden);
    this.dW1T = new Float64Array(PIXELS * hidden);
    this.z1 = new Float64Array(hidden);
    this.a1 = new Float64Array(hidden);
    this.dz1 = new Float64Array(hidden);
    this.grads = {
      dW1: new Float64Array(hidden * PIXELS),
      db1: new Float64Array(hidden),
      dW2: new Float64Array(CLASSES * hidden),
      db2: new Float64Array(CLASSES),
    };
  }

  attach(examples: Examples): JsData {
    return { examples, sparse: sparsePixels(examples) };
  }

  dispose(): void {}

  /** Copies W1 into the kernel's transposed layout; call after every change of W1. */
  private loadW1(W1: Float32Array): void {
    const H = this.hidden;
    const W1T = this.W1T;
    for (let h = 0; h < H; h++) {
      const row = h * PIXELS;
      for (let k = 0; k < PIXELS; k++) W1T[k * H + h] = W1[row + k]!;
    }
  }

  /**
   * Forward for one example: fills z1, a1 and z2 (z2 holds the probabilities a2 afterwards)
   * and returns the predicted class.
   */
  private forwardOne(p: Params, sp: SparsePixels, j: number): number {
    const H = this.hidden;
    const { z1, a1, z2, W1T } = this;
    const b1 = p.b1.data;
    const W2 = p.W2.data;
    const b2 = p.b2.data;
    z1.fill(0);
    for (let at = sp.start[j]!, end = sp.start[j + 1]!; at < end; at++) {
      const v = sp.value[at]!;
      const col = sp.index[at]! * H;
      for (let h = 0; h < H; h++) z1[h]! += W1T[col + h]! * v;
    }
    for (let h = 0; h < H; h++) {
      const z = z1[h]! * INV255 + b1[h]!;
      z1[h] = z;
      a1[h] = z > 0 ? z : 0;
    }
    let max = -Infinity;
    let best = 0;
    for (let c = 0; c < CLASSES; c++) {
      let z = b2[c]!;
      const row = c * H;
      for (let h = 0; h < H; h++) z += W2[row + h]! * a1[h]!;
      z2[c] = z;
      if (z > max) {
        max = z;
        best = c;
      }
    }
    let total = 0;
    for (let c = 0; c < CLASSES; c++) {
      const e = Math.exp(z2[c]! - max);
      z2[c] = e;
      total += e;
    }
    for (let c = 0; c < CLASSES; c++) z2[c]! /= total;
    return best;
  }

  /**
   * Forward and backward over the examples `order[from…to)`; leaves the mean gradients in
   * `this.grads` and returns the summed loss and the number correct.
   */
  step(p: Params, data: KernelData, order: Uint32Array, from: number, to: number): BatchStats {
    const { sparse: sp, examples } = data as JsData;
    const labels = examples.labels;
    const H = this.hidden;
    const { a1, z1, z2, dz1, dW1T } = this;
    const W2 = p.W2.data;
    const { dW1, db1, dW2, db2 } = this.grads;
    this.loadW1(p.W1.data);
    dW1T.fill(0);
    db1.fill(0);
    dW2.fill(0);
    db2.fill(0);
    let loss = 0;
    let correct = 0;
    for (let i = from; i < to; i++) {
      const j = order[i]!;
      const y = labels[j]!;
      const predicted = this.forwardOne(p, sp, j);
      if (predicted === y) correct++;
      loss -= Math.log(Math.max(z2[y]!, 1e-300));
      z2[y]! -= 1; // z2 is now dz2 = a2 − y
      dz1.fill(0);
      for (let c = 0; c < CLASSES; c++) {
        const d = z2[c]!;
        db2[c]! += d;
        const row = c * H;
        for (let h = 0; h < H; h++) {
          dW2[row + h]! += d * a1[h]!;
          dz1[h]! += W2[row + h]! * d;
        }
      }
      for (let h = 0; h < H; h++) {
        const d = z1[h]! > 0 ? dz1[h]! : 0;
        dz1[h] = d;
        db1[h]! += d;
      }
      for (let at = sp.start[j]!, end = sp.start[j + 1]!; at < end; at++) {
        const v = sp.value[at]!;
        const col = sp.index[at]! * H;
        for (let h = 0; h < H; h++) dW1T[col + h]! += dz1[h]! * v;
      }
    }
    const m = to - from;
    const inv = 1 / m;
    for (let h = 0; h < H; h++) {
      const row = h * PIXELS;
      for (let k = 0; k < PIXELS; k++) dW1[row + k] = dW1T[k * H + h]! * INV255 * inv;
    }
    for (let h = 0; h < H; h++) db1[h]! *= inv;
    for (let i = 0; i < dW2.length; i++) dW2[i]! *= inv;
    for (let c = 0; c < CLASSES; c++) db2[c]! *= inv;
    return { loss, correct };
  }

  evaluate(p: Params, data: KernelData, confusion: Uint32Array | null): BatchStats {
    const { sparse: sp, examples } = data as JsData;
    this.loadW1(p.W1.data);
    const z2 = this.z2;
    let loss = 0;
    let correct = 0;
    for (let j = 0; j < examples.count; j++) {
      const predicted = this.forwardOne(p, sp, j);
      const y = examples.labels[j]!;
      loss -= Math.log(Math.max(z2[y]!, 1e-300));
      if (predicted === y) correct++;
      if (confusion) confusion[y * CLASSES + predicted]!++;
    }
    return { loss, correct };
  }
}
