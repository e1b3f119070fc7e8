/** The app-wide middleware that is ours: request logs and metrics, body limits, the API's CSP. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import type { AppEnv } from '../env.js';
import type { Logger } from '../log.js';
import type { ApiMetrics } from '../metrics/api.js';
import { ProblemError, problemResponse } from '../problem.js';

/** The route a request matched (`/v1/models/:ref`), or `unmatched`; a bounded label for metrics. */
function routeLabel(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const path = routePath(c, -1);
  return path === '' || path.endsWith('*') ? 'unmatched' : path;
}

/** One log line and the request metrics per request. */
export function observe(
  metrics: ApiMetrics,
  logger: Logger,
  logRequests: boolean,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    const seconds = (performance.now() - t0) / 1000;
    const route = routeLabel(c);
    const status = c.res.status;
    const labels = { method: c.req.method, route, status: String(status) };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, seconds);
    if (logRequests || status >= 500) {
      const fields = {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        route,
        status,
        ms: Math.round(seconds * 1e4) / 10,
      };
      if (status === 500) logger.error('request', fields);
      else if (status >= 500) logger.warn('request', fields);
      else logger.info('request', fields);
    }
  };
}

/** Whether the request is a model upload (a safetensors body, not JSON). */
export const isUpload = (c: { req: { method: string; path: string } }) =>
  c.req.method === 'POST' && c.req.path === '/v1/models';

/** 413 for bodies over the limit: `uploadLimit` for model uploads, `jsonLimit` for the rest. */
export function bodyLimits(jsonLimit: number, uploadLimit: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (limit: number) => (c: Parameters<MiddlewareHandler<AppEnv>>[0]) =>
    problemResponse(
      c,
      new ProblemError(
        'payload-too-large',
        `the body is larger than ${limit} bytes, the limit of ${c.req.method} ${c.req.path}`,
        { fields: { limit }, headers: { connection: 'close' } }, // the body is not read
      ),
    );
  const json = bodyLimit({ maxSize: jsonLimit, onError: tooLarge(jsonLimit) });
  const upload = bodyLimit({ maxSize: uploadLimit, onError: tooLarge(uploadLimit) });
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next(); // no body (as Hono's check finds)
    // With a Content-Length (and no Transfer-Encoding) Hono's middleware only compares it: do
    // that here, without making it build the WHATWG Request it checks for a body with.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      const limit = isUpload(c) ? uploadLimit : jsonLimit;
      return Number.parseInt(length, 10) > limit ? Promise.resolve(tooLarge(limit)(c)) : next();
    }
    return isUpload(c) ? upload(c, next) : json(c, next); // chunked: counted while read
  };
}

/** A restrictive Content-Security-Policy on responses that set none (the docs page sets its own). */
export function apiCsp(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('content-security-policy'))
      c.res.headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  };
}
