import { describe, expect, it } from 'vitest';
import { SamplePicker, type TestSet } from './samples.js';
import type { Weights } from './state/state.js';

/** Ten images: image i lights row i·2 of the picture; its label is i. */
function stripes(): TestSet {
  const images = new Uint8Array(10 * 784);
  for (let i = 0; i < 10; i++) for (let x = 0; x < 28; x++) images[i * 784 + i * 2 * 28 + x] = 255;
  return { images, labels: Uint8Array.from({ length: 10 }, (_, i) => i), count: 10 };
}

/** Unit h sees row 2h; class c follows unit c, except that class 3 follows unit 5 (a mistake). */
function weights(): Weights {
  const H = 10;
  const W1 = new Float32Array(H * 784);
  for (let h = 0; h < H; h++) for (let x = 0; x < 28; x++) W1[h * 784 + h * 2 * 28 + x] = 1;
  const W2 = new Float32Array(10 * H);
  for (let c = 0; c < 10; c++) W2[c * H + c] = 1;
  W2[3 * H + 3] = 0;
  W2[5 * H + 3] = 2;
  return { hidden: H, W1, b1: new Float32Array(H), W2, b2: new Float32Array(10) };
}

describe('SamplePicker', () => {
  it('lists test digits in order, without predictions before the first weights', () => {
    const page = new SamplePicker(stripes()).pick(null, 8, 4, false);
    expect(page.samples.map((s) => s.index)).toEqual([8, 9, 0, 1]);
    expect(page.samples[0]).toMatchObject({ label: 8, predicted: null, probabilities: null });
  });
  it('predicts the shown digits with the notes’ forward pass', () => {
    const page = new SamplePicker(stripes()).pick(weights(), 0, 4, false);
    expect(page.samples.map((s) => s.predicted)).toEqual([0, 1, 2, 5]);
    const p = page.samples[0]!.probabilities!;
    expect(p).toHaveLength(10);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Math.max(...p)).toBe(p[0]);
  });
  it('lists only the mistakes when asked', () => {
    const page = new SamplePicker(stripes()).pick(weights(), 0, 4, true);
    expect(page).toMatchObject({ total: 1, misclassifiedOnly: true });
    expect(page.samples.map((s) => [s.index, s.label, s.predicted])).toEqual([[3, 3, 5]]);
  });
});
