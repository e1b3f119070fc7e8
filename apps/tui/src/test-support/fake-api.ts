/**
 * A small stand-in for the HTTP API's training endpoints, on 127.0.0.1, for attach-mode tests.
 * Its errors are the API's: `application/problem+json` bodies built from the API's own problem
 * table (`PROBLEMS` of @mnist/api), with the same details for the same refusals; a test compares
 * them with the real server's.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROBLEMS, type ProblemBody, type ProblemSlug } from '@mnist/api/problems';

export interface FakeApi {
  readonly url: string;
  /** POSTs received: path and parsed body. */
  readonly posts: { path: string; body: unknown; auth: string | undefined }[];
  /** Last-Event-ID headers of each connection to the event stream. */
  readonly lastEventIds: (string | undefined)[];
  /** If-None-Match headers of each weights request. */
  readonly weightRequests: (string | undefined)[];
  /** Sends an SSE message to every open stream. */
  send(event: string, data: unknown, id?: string): void;
  /** Closes the open streams (the client should reconnect). */
  drop(): void;
  /** Status the control endpoints answer with: 200, 401 (a wrong token) or another (a conflict). */
  controlStatus: number;
  /**
   * `GET …/history`'s events (their last SSE id is `5` when there are any); null: a server
   * without the route (404, as the API's unknown routes).
   */
  history: unknown[] | null;
  /** `GET …/weights`: safetensors bytes and their ETag; null: none yet (404). */
  weights: { bytes: Uint8Array; etag: string } | null;
  close(): Promise<void>;
}

/** The API's problem body for a refusal of `req`. */
export function problemBody(slug: ProblemSlug, detail: string, instance: string): ProblemBody {
  const { status, title } = PROBLEMS[slug];
  return { type: `/problems/${slug}`, title, status, detail, instance, error: detail };
}

function problem(res: ServerResponse, req: IncomingMessage, slug: ProblemSlug, detail: string) {
  const body = problemBody(slug, detail, new URL(req.url ?? '/', 'http://x').pathname);
  res
    .writeHead(body.status, { 'content-type': 'application/problem+json' })
    .end(JSON.stringify(body));
}

const ROUTE =
  /^\/v1\/trainings\/([^/]+)\/(events|history|weights|pause|resume|cancel|learning-rate)$/;

export async function startFakeApi(id: string, snapshot: unknown): Promise<FakeApi> {
  const streams = new Set<ServerResponse>();
  const api: FakeApi = {
    url: '',
    posts: [],
    lastEventIds: [],
    weightRequests: [],
    controlStatus: 200,
    history: null,
    weights: null,
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
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const m = ROUTE.exec(path);
    if (!m || (m[2] === 'history' && api.history === null))
      return problem(
        res,
        req,
        'not-found',
        `no route ${req.method} ${path}; the routes are listed at /openapi.json`,
      );
    if (m[1] !== id) return problem(res, req, 'not-found', `no training job ${m[1]}`);
    if (m[2] === 'history' && api.history) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ events: api.history, lastEventId: api.history.length ? '5' : null }),
      );
      return;
    }
    if (m[2] === 'weights') {
      const tag = req.headers['if-none-match'];
      api.weightRequests.push(tag);
      if (!api.weights)
        return problem(res, req, 'not-found', `training job ${id} has no evaluation yet`);
      if (tag === api.weights.etag) return res.writeHead(304, { etag: tag }).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', etag: api.weights.etag });
      res.end(api.weights.bytes);
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
    // The API answers a wrong token with 401 (RFC 6750 invalid_token), as here.
    if (api.controlStatus === 401)
      return problem(res, req, 'unauthorized', 'the bearer token is not valid for this server');
    if (api.controlStatus >= 300)
      return problem(res, req, 'conflict', `cannot ${m[2]} job ${id}: it is completed`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (api as { url: string }).url =
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/trainings/${id}`;
  return api;
}
