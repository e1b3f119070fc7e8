import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLatency, sequentialLatency } from './api-latency.js';

/** A server that answers every third request 500, and counts requests, connections, overlap. */
let server: Server;
let url = '';
const seen = {
  requests: 0,
  connections: 0,
  inFlight: 0,
  mostInFlight: 0,
  bodies: new Set<string>(),
};
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.mostInFlight = Math.max(seen.mostInFlight, ++seen.inFlight);
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      seen.requests++;
      seen.bodies.add(body);
      seen.inFlight--;
      res.statusCode = seen.requests % 3 === 0 ? 500 : 200;
      res.end('{"ok":true}');
    });
  });
  server.on('connection', () => {
    seen.connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/infer`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('sequentialLatency', () => {
  it('sends one request at a time on one kept-alive connection, counting non-2xx as failures', async () => {
    const l = await sequentialLatency(url, '{"x":1}', 0.3, 6);
    expect(seen.connections).toBe(1);
    expect(seen.mostInFlight).toBe(1);
    expect(seen.bodies).toEqual(new Set(['{"x":1}']));
    expect(l.requests).toBe(seen.requests - 6);
    // every third request of the whole sequence failed, warm-up included
    expect(l.failures).toBe(Math.floor(seen.requests / 3) - 2);
    expect(l.p50).toBeGreaterThan(0);
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
    expect(describeLatency(l, (ms) => `${ms.toFixed(1)} ms`)).toMatch(
      new RegExp(
        `^p50 [\\d.]+ ms, p90 [\\d.]+ ms, p99 [\\d.]+ ms, max [\\d.]+ ms over [\\d,]+ requests, ${l.failures} failed$`,
      ),
    );
  });

  it('reports a refused connection as failures, not samples', async () => {
    const l = await sequentialLatency('http://127.0.0.1:1/infer', '{}', 0.05, 0);
    expect(l.requests).toBeGreaterThan(0);
    expect(l.failures).toBe(l.requests);
    expect(l.p99).toBeNaN();
  });
});
