/**
 * Test oracles and fixtures for the net package: an independent float64 forward pass and loss
 * written as plain loops straight from the notes, and small random parameters and examples.
 * Nothing here imports the code under test except for types and `bind` (the tensor door).
 */
import { bind, Rng } from '@mnist/tensor';
import fc from 'fast-check';
import type { Params } from '../src/network/params.js';
import type { Examples } from '../src/train/examples.js';

export const PIXELS = 784;
export const CLASSES = 10;

/** Parameters as float64 arrays, row-major: W1 (H, 784), b1 (H), W2 (10, H), b2 (10). */
export interface Params64 {
  readonly H: number;
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

export const PARAM_KEYS = ['W1', 'b1', 'W2', 'b2'] as const;
export type ParamKey = (typeof PARAM_KEYS)[number];

/** Float32 parameters of hidden width H from a seed: weights uniform in [−scale, scale). */
export function randomParams(H: number, seed: number, scale = 0.5): Params<'h'> {
  const rng = new Rng(seed);
  const draw = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));
  return bind(
    { W1: ['h', 784], b1: ['h', 1], W2: [10, 'h'], b2: [10, 1] },
    {
      W1: { data: draw(H * PIXELS), shape: [H, PIXELS] },
      b1: { data: draw(H), shape: [H, 1] },
      W2: { data: draw(CLASSES * H), shape: [CLASSES, H] },
      b2: { data: draw(CLASSES), shape: [CLASSES, 1] },
    },
  );
}

/** The same parameters, widened to float64 (exactly: every float32 is a float64). */
export function toParams64(p: Params): Params64 {
  return {
    H: p.W1.shape[0]!,
    W1: Float64Array.from(p.W1.data),
    b1: Float64Array.from(p.b1.data),
    W2: Float64Array.from(p.W2.data),
    b2: Float64Array.from(p.b2.data),
  };
}

/** A copy of float32 parameters with their own storage. */
export function copyParams(p: Params<'h'>): Params<'h'> {
  const H = p.W1.shape[0]!;
  return bind(
    { W1: ['h', 784], b1: ['h', 1], W2: [10, 'h'], b2: [10, 1] },
    {
      W1: { data: p.W1.data.slice(), shape: [H, PIXELS] },
      b1: { data: p.b1.data.slice(), shape: [H, 1] },
      W2: { data: p.W2.data.slice(), shape: [CLASSES, H] },
      b2: { data: p.b2.data.slice(), shape: [CLASSES, 1] },
    },
  );
}

/** What the float64 forward pass gives for each example j (rows per example). */
export interface Forward64 {
  /** (m, H) unactivated first layer. */
  readonly Z1: Float64Array;
  /** (m, 10) class probabilities. */
  readonly A2: Float64Array;
  /** Mean cross-entropy `−(1/m) Σ log A2[y]`. */
  readonly loss: number;
  /** The smallest |Z1| over every example and unit: how close the batch is to a ReLU kink. */
  readonly minAbsZ1: number;
  /**
   * The mean size of the terms each example's loss is summed from (`|max z2| + |z2[y]| +
   * log Σ exp`): the loss's rounding error is a few ulps of this, not of the loss itself, which
   * can be far smaller when the logits are large and the answer is right.
   */
  readonly lossTerms: number;
}

/**
 * The notes' forward pass and mean cross-entropy in float64, one example at a time:
 * `z1 = W1·x + b1, a1 = ReLU(z1), z2 = W2·a1 + b2, a2 = softmax(z2)`, `loss = −(1/m) Σ log a2[y]`.
 * `x` is image j's pixels as float64 in [0, 1] (`pixels / 255`).
 */
export function forward64(
  p: Params64,
  pixels: Uint8Array,
  labels: ArrayLike<number>,
  m: number,
): Forward64 {
  const { H, W1, b1, W2, b2 } = p;
  const Z1 = new Float64Array(m * H);
  const A2 = new Float64Array(m * CLASSES);
  const a1 = new Float64Array(H);
  const z2 = new Float64Array(CLASSES);
  let loss = 0;
  let minAbsZ1 = Number.POSITIVE_INFINITY;
  let lossTerms = 0;
  for (let j = 0; j < m; j++) {
    const base = j * PIXELS;
    for (let h = 0; h < H; h++) {
      let z = b1[h]!;
      const row = h * PIXELS;
      for (let k = 0; k < PIXELS; k++) {
        const v = pixels[base + k]!;
        if (v !== 0) z += W1[row + k]! * (v / 255);
      }
      Z1[j * H + h] = z;
      minAbsZ1 = Math.min(minAbsZ1, Math.abs(z));
      a1[h] = Math.max(0, z); // ReLU
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < CLASSES; c++) {
      let z = b2[c]!;
      for (let h = 0; h < H; h++) z += W2[c * H + h]! * a1[h]!;
      z2[c] = z;
      max = Math.max(max, z);
    }
    let total = 0;
    for (let c = 0; c < CLASSES; c++) total += Math.exp(z2[c]! - max);
    const y = labels[j]!;
    // −log softmax(z2)[y] = log Σ exp(z2 − max) + max − z2[y]
    loss += Math.log(total) + max - z2[y]!;
    lossTerms += Math.log(total) + Math.abs(max) + Math.abs(z2[y]!);
    for (let c = 0; c < CLASSES; c++) A2[j * CLASSES + c] = Math.exp(z2[c]! - max) / total;
  }
  return { Z1, A2, loss: loss / m, minAbsZ1, lossTerms: lossTerms / m };
}

/** Examples from image bytes (m × 784) and labels. */
export function examplesOf(pixels: Uint8Array, labels: ArrayLike<number>): Examples {
  return { pixels, labels: Uint8Array.from(labels), count: labels.length };
}

/** A sparse image: a few (pixel index, byte value) pairs; every other pixel is 0. */
export const sparseImageArb = (maxInk = 40): fc.Arbitrary<Uint8Array> =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: PIXELS - 1 }), fc.integer({ min: 1, max: 255 })), {
      minLength: 0,
      maxLength: maxInk,
    })
    .map((ink) => {
      const image = new Uint8Array(PIXELS);
      for (const [k, v] of ink) image[k] = v;
      return image;
    });

/** A batch of m sparse images with labels, as Examples. */
export const examplesArb = (minM: number, maxM: number, maxInk = 40): fc.Arbitrary<Examples> =>
  fc.integer({ min: minM, max: maxM }).chain((m) =>
    fc
      .tuple(
        fc.array(sparseImageArb(maxInk), { minLength: m, maxLength: m }),
        fc.array(fc.integer({ min: 0, max: CLASSES - 1 }), { minLength: m, maxLength: m }),
      )
      .map(([images, labels]) => {
        const pixels = new Uint8Array(m * PIXELS);
        images.forEach((image, j) => {
          pixels.set(image, j * PIXELS);
        });
        return examplesOf(pixels, labels);
      }),
  );

/** `|a − b| / max(floor, |a| + |b|)`: relative error that tolerates two tiny values. */
export function relErr(a: number, b: number, floor: number): number {
  return Math.abs(a - b) / Math.max(floor, Math.abs(a) + Math.abs(b));
}

/** The largest relErr between two arrays, with the index where it happens. */
export function maxRelErr(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  floor: number,
): { err: number; at: number } {
  if (a.length !== b.length)
    throw new Error(`maxRelErr: lengths ${a.length} and ${b.length} differ`);
  let err = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const e = relErr(a[i]!, b[i]!, floor);
    if (!(e <= err)) {
      err = e;
      at = i;
    }
  }
  return { err, at };
}

/** The identity order 0…m−1 (examples in their stored order). */
export const identityOrder = (m: number): Uint32Array =>
  Uint32Array.from({ length: m }, (_, i) => i);

/** The examples at `order`, in that order (a permuted or subset copy). */
export function gatherExamples(ex: Examples, order: ArrayLike<number>): Examples {
  const pixels = new Uint8Array(order.length * PIXELS);
  const labels = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const j = order[i]!;
    pixels.set(ex.pixels.subarray(j * PIXELS, (j + 1) * PIXELS), i * PIXELS);
    labels[i] = ex.labels[j]!;
  }
  return { pixels, labels, count: order.length };
}

/** A (rows × cols) row-major matrix transposed: the notes' (10, m) A2 as one row per example. */
export function columnsToRows(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * `n` property runs, times PROP_RUNS_SCALE from the environment (default 1): CI keeps the suite
 * fast; `PROP_RUNS_SCALE=50 pnpm exec vitest run` searches much harder.
 */
export function runs(n: number): number {
  const scale = Number(process.env.PROP_RUNS_SCALE ?? 1);
  return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
