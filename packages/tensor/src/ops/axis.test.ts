import { describe, expect, it } from 'vitest';
import { zeros } from '../create.js';
import { axisGeometry, reducedDims } from './axis.js';

describe('axisGeometry: a tensor as outer × n × inner around one axis', () => {
  it('splits [2, 3, 4] around each axis', () => {
    const t = zeros([2, 3, 4]);
    expect(axisGeometry('sum', t, 0)).toEqual({ outer: 1, n: 2, inner: 12 });
    expect(axisGeometry('sum', t, 1)).toEqual({ outer: 2, n: 3, inner: 4 });
    expect(axisGeometry('sum', t, 2)).toEqual({ outer: 6, n: 4, inner: 1 });
  });
});

describe('reducedDims: what a reduction leaves', () => {
  it('drops the axis, or keeps it as an unnamed 1', () => {
    const t = zeros([2, 'm', 4], { m: 3 });
    expect(reducedDims(t, 1, false)).toEqual({ shape: [2, 4], names: [null, null] });
    expect(reducedDims(t, 1, true)).toEqual({ shape: [2, 1, 4], names: [null, null, null] });
    expect(reducedDims(t, 0, true)).toEqual({ shape: [1, 3, 4], names: [null, 'm', null] });
  });
});
