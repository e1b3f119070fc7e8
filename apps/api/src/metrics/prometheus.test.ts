import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from './prometheus.js';

describe('prometheus', () => {
  it('renders counters, gauges and histograms in the text format', () => {
    const r = new Registry();
    const c = r.add(new Counter('reqs_total', 'Requests.'));
    c.inc({ route: '/a', status: '200' });
    c.inc({ status: '200', route: '/a' }, 2);
    c.inc({ route: '/"b"\n' });
    r.add(new Gauge('jobs', 'Jobs.', () => [[{ status: 'running' }, 1]]));
    const h = r.add(new Histogram('lat_seconds', 'Latency.', [0.1, 1]));
    h.observe({ route: '/a' }, 0.05);
    h.observe({ route: '/a' }, 0.5);
    h.observe({ route: '/a' }, 5);
    expect(c.get({ route: '/a', status: '200' })).toBe(3);
    expect(r.render()).toBe(
      [
        '# HELP reqs_total Requests.',
        '# TYPE reqs_total counter',
        'reqs_total{route="/a",status="200"} 3',
        'reqs_total{route="/\\"b\\"\\n"} 1',
        '# HELP jobs Jobs.',
        '# TYPE jobs gauge',
        'jobs{status="running"} 1',
        '# HELP lat_seconds Latency.',
        '# TYPE lat_seconds histogram',
        'lat_seconds_bucket{route="/a",le="0.1"} 1',
        'lat_seconds_bucket{route="/a",le="1"} 2',
        'lat_seconds_bucket{route="/a",le="+Inf"} 3',
        'lat_seconds_sum{route="/a"} 5.55',
        'lat_seconds_count{route="/a"} 3',
        '',
      ].join('\n'),
    );
  });
});
