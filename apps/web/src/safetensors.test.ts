import { encodeSafetensors } from '@mnist/net';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from './safetensors.js';

describe('readSafetensors (the page reads what @mnist/net writes)', () => {
  it('gives back every F32 tensor with its shape and values', () => {
    const W1 = Float32Array.from({ length: 3 * 784 }, (_, i) => Math.sin(i) * 0.1);
    const b2 = Float32Array.from([1.5, -2, 3e-8, 0, 0, 0, 0, 0, 0, 7]);
    const bytes = encodeSafetensors(
      { W1: { shape: [3, 784], data: W1 }, b2: { shape: [10, 1], data: b2 } },
      { note: 'x' },
    );
    const t = readSafetensors(bytes);
    expect(Object.keys(t).sort()).toEqual(['W1', 'b2']);
    expect(t.W1!.shape).toEqual([3, 784]);
    expect(t.W1!.data).toEqual(W1);
    expect(t.b2!.data).toEqual(b2);
  });

  it('names what is wrong with a short file', () => {
    expect(() => readSafetensors(new Uint8Array(4))).toThrow('expected at least 8 bytes, got 4');
  });
});
