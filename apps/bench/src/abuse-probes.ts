/**
 * The probes of the `api-abuse` task (api-abuse.ts runs the phases): what it reads of the server
 * (resident memory, the event-loop delay and open streams from /metrics) and the load it makes
 * (single-image KServe infer requests, SSE clients that never read).
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

/** The `q` quantile of `xs` (NaN when empty). */
export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
};

/** The server's resident memory in MB (Linux /proc; null elsewhere). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Scrapes /metrics: the event-loop delay p99 (ms) since the previous scrape, and open streams. */
export async function scrape(base: string): Promise<{ loopP99Ms: number; streams: number | null }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const p99 =
    /^nodejs_eventloop_delay_seconds\{quantile="0\.99"\} (\S+)/m.exec(text) ??
    /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? (\S+)/m.exec(text);
  const streams = /^mnist_sse_clients(?:\{[^}]*\})? (\S+)/m.exec(text);
  return {
    loopP99Ms: p99 ? Number(p99[1]) * 1000 : Number.NaN,
    streams: streams ? Number(streams[1]) : null,
  };
}

/** Sequential single-image infer requests for `ms`; latencies in ms (failures counted apart). */
export async function inferLoop(
  base: string,
  ms: number,
  failures: { count: number },
): Promise<number[]> {
  const body = JSON.stringify({
    inputs: [{ name: 'input', shape: [1, 784], datatype: 'UINT8', data: new Array(784).fill(7) }],
  });
  const times: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const t0 = performance.now();
    const res = await fetch(`${base}/v2/models/abuse/infer`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    }).catch(() => null);
    await res?.arrayBuffer();
    if (res?.status === 200) times.push(performance.now() - t0);
    else failures.count++;
  }
  return times;
}

/** A client that never reads its SSE stream. */
export function nonReader(base: string, path: string): Socket {
  const url = new URL(base);
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => {});
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
  socket.pause(); // never read: the kernel buffers fill, then the server's
  return socket;
}
