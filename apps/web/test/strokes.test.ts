import { describe, expect, it } from 'vitest';
import { strokesOf } from './strokes.js';

describe('strokesOf', () => {
  it('turns each row run of ink into one stroke and covers every inked pixel once', () => {
    const px = new Uint8Array(784);
    for (const x of [3, 4, 5, 9]) px[2 * 28 + x] = 200;
    px[27 * 28 + 27] = 255;
    px[10 * 28 + 1] = 100; // below the threshold
    expect(strokesOf(px)).toEqual([
      { x0: 3.5, x1: 5.5, y: 2.5 },
      { x0: 9.5, x1: 9.5, y: 2.5 },
      { x0: 27.5, x1: 27.5, y: 27.5 },
    ]);
  });
});
