import { Rng } from '@mnist/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initParams, PARAM_NAMES } from '../network/params.js';
import {
  f32,
  paramSizes,
  paramsOf,
  paramTensors,
  snapshotOf,
  transferList,
  weightsFromJson,
  weightsToJson,
} from './weights.js';

/** Whether two float32 arrays hold the same bits. */
const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
const hidden = fc.integer({ min: 1, max: 6 });
const runs = { numRuns: 25 };
const seed = fc.integer({ min: 0, max: 2 ** 32 - 1 });

describe('the weights snapshot', { timeout: 60_000 }, () => {
  it('snapshotOf copies; paramsOf gives the same tensors back, over the same arrays', () => {
    fc.assert(
      fc.property(hidden, seed, (H, s) => {
        const p = initParams(H, 'he', new Rng(s));
        const w = snapshotOf(p);
        expect(w.hidden).toBe(H);
        for (const n of PARAM_NAMES) {
          expect(w[n]).not.toBe(p[n].data);
          expect(same(w[n], p[n].data)).toBe(true);
          expect(w[n].length).toBe(paramSizes(H)[n]);
        }
        const q = paramsOf(w);
        for (const n of PARAM_NAMES) {
          expect(q[n].shape).toEqual(p[n].shape);
          expect(q[n].data).toBe(w[n]);
        }
        expect(transferList(w)).toEqual(PARAM_NAMES.map((n) => w[n].buffer));
        expect(paramTensors(q).W2.shape).toEqual([10, H]);
        expect(paramTensors(q).W2.data).toBe(w.W2);
      }),
      runs,
    );
  });

  it('survives JSON bit for bit (shortest float32 decimals)', () => {
    fc.assert(
      fc.property(hidden, seed, (H, s) => {
        const w = snapshotOf(initParams(H, 'uniform', new Rng(s)));
        const back = weightsFromJson(JSON.parse(JSON.stringify(weightsToJson(w))));
        expect(back).not.toBeNull();
        for (const n of PARAM_NAMES) expect(same(back![n], w[n])).toBe(true);
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (v) => {
        // JSON has no −0: it reads back as 0, which compares equal
        expect(Math.fround(JSON.parse(JSON.stringify(f32(v)))) === Math.fround(v)).toBe(true);
      }),
    );
  });

  it('weightsFromJson refuses what is not a snapshot of its hidden width', () => {
    const w = weightsToJson(snapshotOf(initParams(3, 'he', new Rng(1))));
    expect(weightsFromJson(w)?.hidden).toBe(3);
    expect(weightsFromJson({ ...w, hidden: 4 })).toBeNull();
    expect(weightsFromJson({ ...w, b2: w.b2.slice(1) })).toBeNull();
    expect(weightsFromJson({ ...w, W1: undefined })).toBeNull();
    expect(weightsFromJson({ ...w, hidden: 0 })).toBeNull();
    expect(weightsFromJson(null)).toBeNull();
    expect(weightsFromJson('weights')).toBeNull();
  });
});
