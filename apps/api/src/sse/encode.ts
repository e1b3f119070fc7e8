/**
 * TrainingEvents as JSON for the wire. An evaluation's weight snapshot (Float32Arrays) becomes
 * plain number arrays `{ hidden, W1: number[], b1, W2, b2 }`, each value written with the fewest
 * digits that read back as the same float32 (lossless, about half the size of a double's digits).
 */
import type { ParamsSnapshot, TrainingEvent } from '@mnist/net';

/** The shortest decimal that parses back to the float32 `v`. */
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

/** A weight snapshot with plain arrays. */
export function paramsJson(p: ParamsSnapshot) {
  return {
    hidden: p.hidden,
    W1: f32Array(p.W1),
    b1: f32Array(p.b1),
    W2: f32Array(p.W2),
    b2: f32Array(p.b2),
  };
}

/** NaN and ±Infinity (a class with no examples has NaN accuracy) become null, as JSON does. */
const replacer = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? null : value;

/** The JSON of a TrainingEvent; `withParams: false` drops an evaluation's weights. */
export function eventJson(e: TrainingEvent, withParams = true): string {
  if (e.type !== 'evaluation') return JSON.stringify(e, replacer);
  const { params, ...rest } = e;
  return JSON.stringify(withParams ? { ...rest, params: paramsJson(params) } : rest, replacer);
}

/** One SSE message. `data` must be one line (JSON without newlines is). */
export function sseMessage(event: string, id: number, data: string): string {
  return `event: ${event}\nid: ${id}\ndata: ${data}\n\n`;
}
