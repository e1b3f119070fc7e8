/**
 * Latency as one client sees it: single-image requests sent one at a time (the next when the
 * previous has answered) over one keep-alive connection, each timed with `performance.now()`.
 *
 * autocannon's runs (api.ts) keep 10 requests in flight to find the most the server can do; its
 * p99 there is mostly queueing (each request waits behind up to 9 others) and the load generator
 * sharing the machine's 2 cores with the server, and it reports whole milliseconds. This run
 * measures what one request costs end to end when the server is not saturated, to the
 * microsecond: the p99 rows come from here, and the saturated p99 stays in the throughput rows.
 */
import { Agent, request } from 'node:http';
import { sig3 } from './format.js';
import { type MetricName, type Row, row } from './results.js';
import type { Context } from './run-peer.js';
import { quantile } from './stats.js';

/** What one sequential run measured. */
export interface Latency {
  readonly requests: number;
  readonly failures: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** One POST on `agent`, resolved with the status when the whole answer has arrived. */
function post(agent: Agent, url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends `body` to `url` one request at a time for `seconds` (after `warmup` untimed requests);
 * latencies in ms. A request that fails or answers non-2xx counts as a failure, not a sample.
 */
export async function sequentialLatency(
  url: string,
  body: string,
  seconds: number,
  warmup = 200,
): Promise<Latency> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const bytes = Buffer.from(body);
  const samples: number[] = [];
  let failures = 0;
  try {
    for (let i = 0; i < warmup; i++) await post(agent, target, bytes).catch(() => 0);
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const t = performance.now();
      const status = await post(agent, target, bytes).catch(() => 0);
      const ms = performance.now() - t;
      if (status >= 200 && status < 300) samples.push(ms);
      else failures++;
    }
  } finally {
    agent.destroy();
  }
  return {
    requests: samples.length + failures,
    failures,
    p50: quantile(samples, 0.5),
    p90: quantile(samples, 0.9),
    p99: quantile(samples, 0.99),
    max: samples.length ? Math.max(...samples) : Number.NaN,
  };
}

/** `p50 0.41 ms, p90 0.52 ms, p99 0.93 ms, max 4.1 ms over 12,345 requests`. */
export function describeLatency(l: Latency, fmt: (ms: number) => string): string {
  const failed = l.failures ? `, ${l.failures} failed` : '';
  return `p50 ${fmt(l.p50)}, p90 ${fmt(l.p90)}, p99 ${fmt(l.p99)}, max ${fmt(l.max)} over ${l.requests.toLocaleString('en-US')} requests${failed}`;
}

/** The p99 row of one client sending single images one at a time. */
export async function oneClientRow(
  ctx: Context,
  url: string,
  body: string,
  metric: MetricName,
  label: string,
  common: object,
): Promise<Row> {
  const { seconds } = ctx.plan.api;
  const end = ctx.progress.begin(`${label}: one client, one request at a time, ${seconds} s`);
  const l = await sequentialLatency(url, body, seconds);
  const measured = describeLatency(l, (ms) => `${sig3(ms)} ms`);
  end(measured);
  const work = `one client, one request at a time on one keep-alive connection, ${seconds} s: ${measured}`;
  const info = { ...l, client: 'sequential' };
  if (l.requests === l.failures)
    return row({
      metric,
      peer: 'ours',
      status: 'failed',
      reason: `no successful request: ${work}`,
      info,
    });
  return row({
    metric,
    peer: 'ours',
    status: 'ok',
    value: l.p99,
    samples: [l.p99],
    work,
    ...common,
    info,
  });
}
