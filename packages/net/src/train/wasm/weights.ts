/**
 * The notes' parameters to and from the kernel's weights block (layout.ts): W1 (H, 784) becomes
 * W1T (784, Hp), each pixel's weights contiguous; W2's rows are padded from H to Hp; the padded
 * lanes are zero. Done when a run starts and when its weights are read (evaluations, the end),
 * never per step.
 */
import type { Params } from '../../network/params.js';
import type { FlatGradients } from '../kernel.js';
import { B1_ROW, B2_FLOATS, B2_ROW, IMAGE_PIXELS, OUTPUTS, PART_ALIGN, W2_ROW } from './layout.js';
import { align } from './memory.js';

/**
 * Floats of a weights block of padded width Hp, rounded up to PART_ALIGN bytes (the parts'
 * gradient sums lie one block apart). The kernel reads it from the job header (J_BLOCK_BYTES).
 */
export const blockFloats = (Hp: number) => align(B2_ROW * Hp + B2_FLOATS, PART_ALIGN / 4);

/** Hidden width rounded up to the kernel's 4 lanes. */
export const paddedWidth = (hidden: number) => Math.ceil(hidden / 4) * 4;

/** Writes `p` into the block at float index `at` of `f32` (padding zeroed). */
export function writeWeights(f32: Float32Array, at: number, Hp: number, p: Params): void {
  const H = p.W1.shape[0]!;
  f32.fill(0, at, at + blockFloats(Hp));
  const W1 = p.W1.data;
  for (let h = 0; h < H; h++) {
    for (let k = 0, src = h * IMAGE_PIXELS, dst = at + h; k < IMAGE_PIXELS; k++, dst += Hp)
      f32[dst] = W1[src + k]!;
  }
  f32.set(p.b1.data, at + B1_ROW * Hp);
  for (let c = 0; c < OUTPUTS; c++)
    f32.set(p.W2.data.subarray(c * H, (c + 1) * H), at + (W2_ROW + c) * Hp);
  f32.set(p.b2.data, at + B2_ROW * Hp);
}

/** Reads the block at float index `at` back into `p`. */
export function readWeights(f32: Float32Array, at: number, Hp: number, p: Params): void {
  const H = p.W1.shape[0]!;
  const W1 = p.W1.data;
  for (let h = 0; h < H; h++) {
    for (let k = 0, dst = h * IMAGE_PIXELS, src = at + h; k < IMAGE_PIXELS; k++, src += Hp)
      W1[dst + k] = f32[src]!;
  }
  p.b1.data.set(f32.subarray(at + B1_ROW * Hp, at + B1_ROW * Hp + H));
  for (let c = 0; c < OUTPUTS; c++) {
    const row = at + (W2_ROW + c) * Hp;
    p.W2.data.set(f32.subarray(row, row + H), c * H);
  }
  p.b2.data.set(f32.subarray(at + B2_ROW * Hp, at + B2_ROW * Hp + OUTPUTS));
}

/** Reads a (mean) gradient block into the notes' layout, in float64. */
export function readGradients(f32: Float32Array, at: number, Hp: number, g: FlatGradients): void {
  const H = g.db1.length;
  for (let h = 0; h < H; h++) {
    for (let k = 0, dst = h * IMAGE_PIXELS, src = at + h; k < IMAGE_PIXELS; k++, src += Hp)
      g.dW1[dst + k] = f32[src]!;
  }
  for (let h = 0; h < H; h++) g.db1[h] = f32[at + B1_ROW * Hp + h]!;
  for (let c = 0; c < OUTPUTS; c++)
    for (let h = 0; h < H; h++) g.dW2[c * H + h] = f32[at + (W2_ROW + c) * Hp + h]!;
  for (let c = 0; c < OUTPUTS; c++) g.db2[c] = f32[at + B2_ROW * Hp + c]!;
}
