/**
 * The weights snapshot: the notes' four parameters as flat row-major Float32Arrays beside the
 * hidden width H, the one form in which weights cross threads (the trainer's worker), files
 * (models, benchmark inputs) and wires (the API's events, the dashboard). Its conversions:
 * to and from tensors (`paramsOf`, `snapshotOf`), to the safetensors layout (`paramTensors`) and
 * to and from JSON (`weightsToJson`, `weightsFromJson`).
 */
import { bind } from '@mnist/tensor';
import { CLASSES, PARAM_NAMES, type ParamName, type Params, PIXELS } from '../network/params.js';

/** W1 (H×784), b1 (H), W2 (10×H), b2 (10), row-major, with H. */
export interface WeightsSnapshot {
  readonly hidden: number;
  readonly W1: Float32Array; // (H, 784)
  readonly b1: Float32Array; // (H)
  readonly W2: Float32Array; // (10, H)
  readonly b2: Float32Array; // (10)
}

/** Each parameter's shape, `'h'` for the hidden width: the layout of tensors and model files. */
export const PARAM_SHAPES = {
  W1: ['h', PIXELS],
  b1: ['h', 1],
  W2: [CLASSES, 'h'],
  b2: [CLASSES, 1],
} as const;

/** The values each parameter holds for hidden width `hidden`. */
export const paramSizes = (hidden: number): Readonly<Record<ParamName, number>> => ({
  W1: hidden * PIXELS,
  b1: hidden,
  W2: CLASSES * hidden,
  b2: CLASSES,
});

/** The parameters as shape-typed tensors over the snapshot's arrays (no copy). */
export function paramsOf(w: WeightsSnapshot): Params<'h'> {
  const H = w.hidden;
  return bind(PARAM_SHAPES, {
    W1: { data: w.W1, shape: [H, PIXELS] },
    b1: { data: w.b1, shape: [H, 1] },
    W2: { data: w.W2, shape: [CLASSES, H] },
    b2: { data: w.b2, shape: [CLASSES, 1] },
  });
}

/** A snapshot of `p`: copies of its arrays, so that later steps do not change it. */
export function snapshotOf(p: Params): WeightsSnapshot {
  return {
    hidden: p.W1.shape[0]!,
    W1: p.W1.data.slice(),
    b1: p.b1.data.slice(),
    W2: p.W2.data.slice(),
    b2: p.b2.data.slice(),
  };
}

/** The buffers to transfer (not copy) when posting `w` to another thread. */
export const transferList = (w: WeightsSnapshot): ArrayBuffer[] =>
  PARAM_NAMES.map((n) => w[n].buffer as ArrayBuffer);

/** The parameters in safetensors' layout: W1 (H, 784), b1 (H, 1), W2 (10, H), b2 (10, 1). */
export function paramTensors(
  p: Params,
): Record<ParamName, { shape: number[]; data: Float32Array }> {
  return {
    W1: { shape: [...p.W1.shape], data: p.W1.data },
    b1: { shape: [...p.b1.shape], data: p.b1.data },
    W2: { shape: [...p.W2.shape], data: p.W2.data },
    b2: { shape: [...p.b2.shape], data: p.b2.data },
  };
}

/** A snapshot on the wire: plain number arrays. */
export interface WeightsJson {
  readonly hidden: number;
  readonly W1: number[];
  readonly b1: number[];
  readonly W2: number[];
  readonly b2: number[];
}

/** The shortest decimal that parses back to the float32 `v` (lossless, about half the digits). */
export function f32(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  for (let p = 6; p < 9; p++) {
    const short = Number(v.toPrecision(p));
    if (Math.fround(short) === v) return short;
  }
  return Number(v.toPrecision(9));
}

/** Float32 values as a JSON-ready array (NaN stays NaN: JSON writes it as null). */
export function f32Array(a: Float32Array | readonly number[]): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f32(a[i]!);
  return out;
}

/** The snapshot as JSON-ready arrays, each value with the fewest digits that read back exactly. */
export function weightsToJson(w: WeightsSnapshot): WeightsJson {
  return {
    hidden: w.hidden,
    W1: f32Array(w.W1),
    b1: f32Array(w.b1),
    W2: f32Array(w.W2),
    b2: f32Array(w.b2),
  };
}

/**
 * A snapshot from what a thread or a wire delivered (Float32Arrays or number arrays), or null
 * when it is not one: a missing part, or a part whose length does not fit the hidden width.
 */
export function weightsFromJson(v: unknown): WeightsSnapshot | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const hidden = o.hidden;
  if (typeof hidden !== 'number' || !Number.isInteger(hidden) || hidden < 1) return null;
  const sizes = paramSizes(hidden);
  const parts: Partial<Record<ParamName, Float32Array>> = {};
  for (const name of PARAM_NAMES) {
    const a = o[name];
    const f =
      a instanceof Float32Array ? a : Array.isArray(a) ? Float32Array.from(a as number[]) : null;
    if (f === null || f.length !== sizes[name]) return null;
    parts[name] = f;
  }
  return { hidden, ...(parts as Record<ParamName, Float32Array>) };
}
