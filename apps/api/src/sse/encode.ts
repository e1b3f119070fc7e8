/**
 * TrainingEvents as JSON for the wire. Events carry metrics only: an evaluation's weight snapshot
 * (`params`, 13 MB at hidden 4096) is never sent to subscribers or kept in the history; clients
 * fetch it on demand from `GET /v1/trainings/{id}/weights`.
 */
import { f32, f32Array, type TrainingEvent } from '@mnist/net';

// The float32 decimals are @mnist/net's (the weights snapshot's wire form uses them too).
export { f32, f32Array };

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
