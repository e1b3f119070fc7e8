import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventJson, f32, f32Array, sseMessage } from './encode.js';

describe('f32', () => {
  it('round-trips every float32 through JSON (lossless)', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const back = JSON.parse(JSON.stringify(f32(v))) as number;
        expect(Math.fround(back)).toBe(v === 0 ? 0 : v);
      }),
      { numRuns: 2000 },
    );
  });

  it('is shorter than the double rendering', () => {
    const v = Math.fround(0.1);
    expect(String(v)).toBe('0.10000000149011612');
    expect(String(f32(v))).toBe('0.1');
  });

  it('keeps non-finite values (JSON writes null)', () => {
    expect(f32Array(new Float32Array([Number.NaN, 1]))).toEqual([Number.NaN, 1]);
  });
});

describe('eventJson', () => {
  const params = {
    hidden: 1,
    W1: new Float32Array(784).fill(0.25),
    b1: new Float32Array([0.5]),
    W2: new Float32Array(10),
    b2: new Float32Array(10),
  };
  const metrics = { loss: 1, accuracy: Number.NaN, perClass: [], confusion: [], count: 0 };
  const evaluation = {
    type: 'evaluation' as const,
    step: 1,
    totalSteps: 2,
    epoch: 1,
    iteration: 1,
    elapsedMs: 3,
    train: metrics,
    test: metrics,
    validation: null,
    params,
  };

  it('never carries the weights of an evaluation, and writes NaN as null', () => {
    const e = JSON.parse(eventJson(evaluation)) as Record<string, unknown>;
    expect(e.params).toBeUndefined();
    expect(e).toMatchObject({ type: 'evaluation', step: 1, epoch: 1 });
    expect((e.train as { accuracy: unknown }).accuracy).toBeNull();
  });
});

describe('sseMessage', () => {
  it('formats event, id and data', () =>
    expect(sseMessage('status', 7, '{"a":1}')).toBe('event: status\nid: 7\ndata: {"a":1}\n\n'));
});
