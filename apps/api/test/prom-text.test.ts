import { describe, expect, it } from 'vitest';
import { histogramOf, parsePromText, sampleValue } from './prom-text.js';

describe('parsePromText', () => {
  it('reads HELP, TYPE, labels with escapes, special values and histograms', () => {
    const m = parsePromText(
      [
        '# HELP reqs_total Requests.',
        '# TYPE reqs_total counter',
        'reqs_total{route="/a",status="200"} 3',
        'reqs_total{route="/\\"b\\"\\n"} 1e0',
        '# TYPE lat histogram',
        'lat_bucket{route="/a",le="0.1"} 1',
        'lat_bucket{route="/a",le="+Inf"} 2',
        'lat_sum{route="/a"} 5.55',
        'lat_count{route="/a"} 2',
        '# TYPE g gauge',
        'g NaN',
        '',
      ].join('\n'),
    );
    expect(m.get('reqs_total')?.help).toBe('Requests.');
    expect(sampleValue(m, 'reqs_total', { route: '/a' })).toBe(3);
    expect(sampleValue(m, 'reqs_total', { route: '/"b"\n' })).toBe(1);
    expect(histogramOf(m, 'lat', { route: '/a' })).toEqual({
      buckets: [
        [0.1, 1],
        [Number.POSITIVE_INFINITY, 2],
      ],
      sum: 5.55,
      count: 2,
    });
    expect(sampleValue(m, 'g')).toBeNaN();
  });

  it('refuses what the format does not allow, naming the line', () => {
    const bad: [string, RegExp][] = [
      ['# TYPE foo counter\nfoo{bar} 1\n', /line 2: malformed labels/],
      ['# TYPE foo counter\nfoo{a="b} 1\n', /line 2: not a sample|malformed labels/],
      ['foo 1\n', /line 1: sample foo has no # TYPE/],
      ['# TYPE foo nonsense\n', /unknown type nonsense/],
      ['# TYPE foo gauge\nfoo 1\nfoo 2\n', /twice/],
      ['# TYPE foo gauge\nfoo one\n', /not a sample/],
      ['# TYPE foo gauge\nfoo 1', /end with a newline/],
    ];
    for (const [text, err] of bad) expect(() => parsePromText(text), text).toThrow(err);
  });
});
