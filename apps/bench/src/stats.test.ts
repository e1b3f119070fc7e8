import { describe, expect, it } from 'vitest';
import { afterWarmup, median, quantile, ratio, spread } from './stats.js';

describe('quantile', () => {
  it('is linear between neighbours, unsorted input: p90 of 1…11 is 10', () =>
    expect(quantile([11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(10));
  it('interpolates: p90 of [49, 50, 51] is 50.8', () =>
    expect(quantile([51, 49, 50], 0.9)).toBeCloseTo(50.8, 12));
  it('is the median at 0.5 and the extremes at 0 and 1', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(median([4, 1, 3, 2]));
    expect(quantile([4, 1, 3, 2], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
  });
  it('is NaN for no samples', () => expect(quantile([], 0.9)).toBeNaN());
});

describe('median', () => {
  it('takes the middle of an odd count, unsorted input', () => expect(median([5, 1, 3])).toBe(3));
  it('averages the two middle values of an even count', () =>
    expect(median([4, 1, 3, 2])).toBe(2.5));
  it('is the value itself for one sample', () => expect(median([7])).toBe(7));
  it('is NaN for no samples', () => expect(median([])).toBeNaN());
  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('ignores an outlier', () => expect(median([10, 11, 12, 500, 9])).toBe(11));
});

describe('ratio', () => {
  it('is peer ÷ ours for costs: a peer taking 3× the time gives 3', () =>
    expect(ratio(300, 100, 'lower')).toBe(3));
  it('is ours ÷ peer for rates: a peer with half the throughput gives 2', () =>
    expect(ratio(50, 100, 'higher')).toBe(2));
  it('is below 1 when the peer is ahead', () => {
    expect(ratio(50, 100, 'lower')).toBe(0.5);
    expect(ratio(400, 100, 'higher')).toBe(0.25);
  });
  it('is null when a value is missing, zero or not finite', () => {
    expect(ratio(null, 1, 'lower')).toBeNull();
    expect(ratio(1, null, 'lower')).toBeNull();
    expect(ratio(0, 1, 'lower')).toBeNull();
    expect(ratio(1, 0, 'higher')).toBeNull();
    expect(ratio(Number.NaN, 1, 'lower')).toBeNull();
    expect(ratio(Number.POSITIVE_INFINITY, 1, 'lower')).toBeNull();
  });
});

describe('afterWarmup and spread', () => {
  it('drops the first samples', () => expect(afterWarmup([9, 1, 2, 3], 1)).toEqual([1, 2, 3]));
  it('keeps everything rather than nothing', () => expect(afterWarmup([9, 1], 2)).toEqual([9, 1]));
  it('spread is (max − min) / median', () => expect(spread([1, 2, 3])).toBe(1));
  it('spread of one sample is 0', () => expect(spread([4])).toBe(0));
});
