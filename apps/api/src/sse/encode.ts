/**
 * TrainingEvents as JSON for the wire. Events carry metrics only: an evaluation's weight snapshot
 * (`params`, 13 MB at hidden 4096) is never sent to subscribers or kept in the history; clients
 * fetch it on demand from `GET /v1/trainings/{id}/weights`.
 */
import type { TrainingEvent } from '@mnist/net';

/** The shortest decimal that parses back to the float32 `v` (used for predicted probabilities). */
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

/** NaN and ±Infinity (a class with no examples has NaN accuracy) become null, as JSON does. */
const replacer = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? null : value;

/** The JSON of a TrainingEvent, without an evaluation's weights. */
export function eventJson(e: TrainingEvent): string {
  if (e.type !== 'evaluation') return JSON.stringify(e, replacer);
  const { params: _weights, ...rest } = e;
  return JSON.stringify(rest, replacer);
}

/** One SSE message. `data` must be one line (JSON without newlines is). */
export function sseMessage(event: string, id: number, data: string): string {
  return `event: ${event}\nid: ${id}\ndata: ${data}\n\n`;
}
