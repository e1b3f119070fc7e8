/**
 * Routes the dashboard uses that this checkout's API does not serve yet, typed by hand from their
 * spec, in the form openapi-typescript writes. `ApiPaths` takes the generated type of a path as
 * soon as the API serves it (regenerate), so this file only fills gaps; delete an entry once the
 * generated schema has it.
 *
 * - `GET /v1/trainings/{id}/history`: the job's events so far, `{ "events": [...] }`, each the
 *   same JSON as an SSE `data:` payload of `/events`, without weights.
 * - `GET /v1/trainings/{id}/weights`: the latest evaluation's weights as safetensors, with an
 *   ETag (`If-None-Match` → 304); 404 before the first evaluation.
 */
import type { components } from './schema.js';

type Problem = {
  headers: Record<string, unknown>;
  content: { 'application/problem+json': components['schemas']['Problem'] };
};
type Params = {
  query?: never;
  header?: never;
  path: { id: string };
  cookie?: never;
};
type Unused = {
  put?: never;
  post?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
};

export interface PendingPaths {
  '/v1/trainings/{id}/history': Unused & {
    parameters: Params;
    get: {
      parameters: Params;
      requestBody?: never;
      responses: {
        200: {
          headers: Record<string, unknown>;
          content: { 'application/json': { events: Record<string, unknown>[] } };
        };
        400: Problem;
        404: Problem;
      };
    };
  };
  '/v1/trainings/{id}/weights': Unused & {
    parameters: Params;
    get: {
      parameters: Omit<Params, 'header'> & { header?: { 'if-none-match'?: string } };
      requestBody?: never;
      responses: {
        200: { headers: Record<string, unknown>; content: { 'application/octet-stream': string } };
        304: { headers: Record<string, unknown>; content?: never };
        400: Problem;
        404: Problem;
      };
    };
  };
}
