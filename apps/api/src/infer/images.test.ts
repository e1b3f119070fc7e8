import { describe, expect, it } from 'vitest';
import { ProblemError } from '../problem.js';
import { decodeImages, decodeSimple, imageCount } from './images.js';

const o = { dataPath: 'inputs[0].data', shapePath: 'inputs[0].shape', maxBatch: 4 };
const flat = (n: number, v = 0.5) => Array.from({ length: n * 784 }, () => v);
const rows = (v = 0.5) => Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => v));

/** The field error a call throws. */
function refusal(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof ProblemError) return e.extra.errors?.[0];
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('imageCount', () => {
  it.each([
    [[784], 1],
    [[28, 28], 1],
    [[3, 784], 3],
    [[3, 28, 28], 3],
    [[0, 784], 0],
    [[3, 3], null],
    [[1, 1, 784], null],
    [[785], null],
  ])('%j → %s', (shape, n) => expect(imageCount(shape)).toBe(n));
});

describe('decodeImages', () => {
  it('reads flat and nested data into the same n × 784 array', () => {
    const a = decodeImages(flat(2), [2, 784], 'FP32', o);
    const b = decodeImages([rows(), rows()], [2, 28, 28], 'FP32', o);
    const c = decodeImages([flat(1), flat(1)], [2, 784], 'FP32', o);
    expect(a.count).toBe(2);
    for (const d of [a, b, c])
      expect(d.images).toEqual({ float32: new Float32Array(2 * 784).fill(0.5) });
  });

  it('reads UINT8 into bytes', () => {
    const d = decodeImages(flat(1, 255), [784], 'UINT8', o);
    expect(d.images).toEqual({ uint8: new Uint8Array(784).fill(255) });
  });

  it('refuses shapes other than [N, 784], [N, 28, 28], [784], [28, 28]', () => {
    expect(refusal(() => decodeImages([], [3, 3], 'FP32', o))).toEqual({
      field: 'inputs[0].shape',
      in: 'body',
      expected: '[N, 784], [N, 28, 28], [784] or [28, 28]',
      got: '[3, 3]',
    });
    expect(refusal(() => decodeImages([], [0, 784], 'FP32', o))).toMatchObject({
      expected: 'at least 1 image',
      got: '[0, 784]',
    });
    expect(refusal(() => decodeImages([], [5, 784], 'FP32', o))).toMatchObject({
      expected: 'at most 4 images per request',
      got: '5 images',
    });
  });

  it('refuses data that does not fill the shape', () => {
    expect(refusal(() => decodeImages(flat(1).slice(1), [1, 784], 'FP32', o))).toEqual({
      field: 'inputs[0].data',
      in: 'body',
      expected: '784 values flat, or arrays nested as [1, 784]',
      got: 'an array of 783',
    });
    const ragged = [rows(), rows()];
    ragged[1]![27] = [0];
    expect(refusal(() => decodeImages(ragged, [2, 28, 28], 'FP32', o))).toMatchObject({
      field: 'inputs[0].data[1][27]',
      expected: 'an array of 28',
      got: 'an array of 1',
    });
  });

  it('names the first bad value and its place', () => {
    const data = flat(1);
    data[100] = 1.5;
    expect(refusal(() => decodeImages(data, [784], 'FP32', o))).toEqual({
      field: 'inputs[0].data[100]',
      in: 'body',
      expected: 'a number in [0, 1] (FP32)',
      got: '1.5',
    });
    const nested = [rows()];
    (nested[0]![3] as unknown[])[4] = 'NaN';
    expect(refusal(() => decodeImages(nested, [1, 28, 28], 'FP32', o))).toMatchObject({
      field: 'inputs[0].data[0][3][4]',
      got: '"NaN"',
    });
    const bytes = flat(1, 3);
    bytes[0] = 3.5;
    expect(refusal(() => decodeImages(bytes, [784], 'UINT8', o))).toMatchObject({
      expected: 'an integer in 0..255 (UINT8)',
      got: '3.5',
    });
    bytes[0] = 256;
    expect(refusal(() => decodeImages(bytes, [784], 'UINT8', o))).toMatchObject({ got: '256' });
    bytes[0] = Number.POSITIVE_INFINITY;
    expect(refusal(() => decodeImages(bytes, [784], 'UINT8', o))).toMatchObject({
      got: 'Infinity',
    });
  });
});

describe('decodeSimple', () => {
  it('takes one image as 784 values or 28 rows', () => {
    expect(decodeSimple({ image: flat(1), encoding: 'float' }, 4).count).toBe(1);
    expect(decodeSimple({ image: rows(), encoding: 'float' }, 4).count).toBe(1);
    expect(decodeSimple({ image: flat(1, 255), encoding: 'uint8' }, 4).images).toEqual({
      uint8: new Uint8Array(784).fill(255),
    });
  });

  it('takes several images', () => {
    expect(decodeSimple({ images: [flat(1), flat(1), flat(1)], encoding: 'float' }, 4).count).toBe(
      3,
    );
    expect(decodeSimple({ images: [rows(), rows()], encoding: 'float' }, 4).count).toBe(2);
  });

  it('refuses neither, both, wrong sizes and mixed layouts', () => {
    expect(refusal(() => decodeSimple({ encoding: 'float' }, 4))).toMatchObject({
      field: 'image',
      expected: 'exactly one of image and images',
      got: 'neither',
    });
    expect(
      refusal(() => decodeSimple({ image: flat(1), images: [flat(1)], encoding: 'float' }, 4)),
    ).toMatchObject({ got: 'both' });
    expect(refusal(() => decodeSimple({ image: [1, 2], encoding: 'float' }, 4))).toEqual({
      field: 'image',
      in: 'body',
      expected: '784 numbers or 28 arrays of 28 numbers',
      got: 'an array of 2',
    });
    expect(
      refusal(() => decodeSimple({ images: [flat(1), rows()], encoding: 'float' }, 4)),
    ).toMatchObject({ field: 'images[1]', expected: 'an array of 784', got: 'an array of 28' });
    expect(
      refusal(() =>
        decodeSimple(
          { images: [flat(1), flat(1), flat(1), flat(1), flat(1)], encoding: 'float' },
          4,
        ),
      ),
    ).toMatchObject({ field: 'images', got: '5 images' });
  });
});
