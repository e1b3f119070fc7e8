/**
 * The page's client of @mnist/api (same origin). Errors are the API's problem+json bodies: their
 * `detail` names what was wrong, and that is what the page shows.
 */

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
/** The bearer token sent with every request (empty: none). */
export const setToken = (t: string): void => {
  token = t.trim();
};

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try {
      const p = (await res.json()) as { detail?: string };
      if (p.detail) detail = p.detail;
    } catch {}
    throw new ApiError(res.status, `${method} ${path}: ${detail}`);
  }
  return (res.headers.get('content-type') ?? '').includes('json')
    ? ((await res.json()) as T)
    : ((await res.arrayBuffer()) as T);
}

export const getJson = <T>(path: string) => request<T>('GET', path);
export const postJson = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const getBytes = async (path: string) =>
  new Uint8Array(await request<ArrayBuffer>('GET', path));

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
