/** A small stand-in for the HTTP API's training endpoints, on 127.0.0.1, for attach-mode tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeApi {
  readonly url: string;
  /** POSTs received: path and parsed body. */
  readonly posts: { path: string; body: unknown; auth: string | undefined }[];
  /** Last-Event-ID headers of each connection to the event stream. */
  readonly lastEventIds: (string | undefined)[];
  /** Sends an SSE message to every open stream. */
  send(event: string, data: unknown, id?: string): void;
  /** Closes the open streams (the client should reconnect). */
  drop(): void;
  /** Status the control endpoints answer with. */
  controlStatus: number;
  close(): Promise<void>;
}

export async function startFakeApi(id: string, snapshot: unknown): Promise<FakeApi> {
  const streams = new Set<ServerResponse>();
  const api: FakeApi = {
    url: '',
    posts: [],
    lastEventIds: [],
    controlStatus: 200,
    send(event, data, eventId) {
      for (const s of streams)
        s.write(
          `event: ${event}\n${eventId ? `id: ${eventId}\n` : ''}data: ${JSON.stringify(data)}\n\n`,
        );
    },
    drop() {
      for (const s of streams) s.end();
      streams.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        api.drop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const body = (req: IncomingMessage) =>
    new Promise<unknown>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => {
        text += c.toString();
      });
      req.on('end', () => resolve(text ? JSON.parse(text) : undefined));
    });
  const server = createServer(async (req, res) => {
    const m = /^\/v1\/trainings\/([^/]+)\/(events|pause|resume|cancel|learning-rate)$/.exec(
      req.url ?? '',
    );
    if (!m || m[1] !== id) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no such job"}');
      return;
    }
    if (m[2] === 'events' && req.method === 'GET') {
      api.lastEventIds.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': hello\n\n');
      res.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    api.posts.push({ path: m[2]!, body: await body(req), auth: req.headers.authorization });
    const ok = api.controlStatus < 300;
    res
      .writeHead(api.controlStatus, { 'content-type': 'application/json' })
      .end(ok ? '{}' : '{"message":"token may not steer this job"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (api as { url: string }).url =
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/trainings/${id}`;
  return api;
}
