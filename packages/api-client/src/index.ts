/**
 * A typed client for the HTTP API: `openapi-fetch` over the types generated from the API's
 * OpenAPI document (src/schema.ts). Paths, parameters, bodies and responses are checked by the
 * compiler; errors come back as the API's problem+json bodies.
 *
 * @example
 * const api = createApiClient('http://127.0.0.1:3000', { token: 'secret' });
 * const { data, error } = await api.GET('/v1/trainings/{id}', { params: { path: { id } } });
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };
/** Every route of the API, from its OpenAPI document. */
export type ApiPaths = paths;
export type ApiClient = Client<ApiPaths>;
/** A problem+json error body (RFC 9457), as every error of the API. */
export type Problem = components['schemas']['Problem'];
export type TrainingJob = components['schemas']['TrainingJob'];

export interface ApiClientOptions {
  /** Sent as `Authorization: Bearer …`. */
  readonly token?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** A client for the API at `baseUrl` (`http://host:3000`, or with a path prefix). */
export function createApiClient(baseUrl: string, options: ApiClientOptions = {}): ApiClient {
  const f = options.fetch;
  return createClient<ApiPaths>({
    baseUrl,
    ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
    // Looked up per call, so a test can swap globalThis.fetch.
    fetch: (request: Request) => (f ?? globalThis.fetch)(request),
  });
}
