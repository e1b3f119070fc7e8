/**
 * The page's client of @mnist/api (same origin). Errors are the API's problem+json bodies: their
 * `detail` names what was wrong, and that is what the page shows.
 */
import { createParser } from 'eventsource-parser';

/** A refusal from the API: its HTTP status and problem detail. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let token = '';
const tokenListeners: (() => void)[] = [];
/** The bearer token sent with every request and event stream (empty: none). */
export const setToken = (t: string): void => {
  const next = t.trim();
  if (next === token) return;
  token = next;
  for (const f of tokenListeners) f();
};
/** Calls `f` whenever the token changes (reads may need it: the server's --auth-reads). */
export const onTokenChange = (f: () => void): void => {
  tokenListeners.push(f);
};

function headersFor(extra: Record<string, string> = {}): Record<string, string> {
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

/** The refusal in a non-2xx answer: its problem+json detail when it has one. */
async function refusal(method: string, path: string, res: Response): Promise<ApiError> {
  let detail = `${res.status} ${res.statusText}`;
  try {
    const p = (await res.json()) as { detail?: string };
    if (p.detail) detail = p.detail;
  } catch {}
  return new ApiError(res.status, `${method} ${path}: ${detail}`);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: headersFor(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw await refusal(method, path, res);
  return (res.headers.get('content-type') ?? '').includes('json')
    ? ((await res.json()) as T)
    : ((await res.arrayBuffer()) as T);
}

export const getJson = <T>(path: string) => request<T>('GET', path);
export const postJson = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const getBytes = async (path: string) =>
  new Uint8Array(await request<ArrayBuffer>('GET', path));

/**
 * Follows a Server-Sent Events stream with fetch (EventSource cannot send the token, which a
 * server with --auth-reads asks for on every read), calling `onEvent` for each message and
 * `onEnd` once when the stream ends: with null when the server closed it, else the error.
 * Returns a function that stops following (and then `onEnd` is not called).
 */
export function streamEvents(
  path: string,
  onEvent: (name: string, data: string) => void,
  onEnd: (error: unknown) => void,
): () => void {
  const abort = new AbortController();
  const follow = async () => {
    const res = await fetch(path, {
      headers: headersFor({ accept: 'text/event-stream' }),
      signal: abort.signal,
    });
    if (!res.ok || !res.body) throw await refusal('GET', path, res);
    const parser = createParser({ onEvent: (m) => onEvent(m.event ?? 'message', m.data) });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) parser.feed(r.value);
  };
  follow().then(
    () => abort.signal.aborted || onEnd(null),
    (e: unknown) => abort.signal.aborted || onEnd(e),
  );
  return () => abort.abort();
}

/** A model as `GET /v1/models` lists it. */
export interface ModelInfo {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly hidden: number;
  readonly source: 'training' | 'upload';
  readonly testAccuracy: number | null;
  readonly trainAccuracy: number | null;
  readonly createdAt: string;
}

export interface PredictAnswer {
  readonly predictions: readonly { label: number; probabilities: number[] }[];
}

export interface Evaluation {
  readonly accuracy: number;
  readonly loss: number;
  readonly count: number;
  readonly confusion: number[][];
}
