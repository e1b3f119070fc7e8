/**
 * Bearer-token access (RFC 6750): with a token configured, a guarded route answers 401 with
 * `WWW-Authenticate: Bearer realm="mnist-api"` without `Authorization: Bearer …`, and 401 with
 * `error="invalid_token"` for a token that is not the configured one (the token identifies no
 * one, so it is an authentication failure, not a lack of permission: 403 would be for a valid
 * token without the right). Tokens are compared in constant time (as SHA-256 digests, so their
 * lengths do not leak either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { ProblemError } from '../problem.js';

const digest = (s: string) => createHash('sha256').update(s).digest();
const CHALLENGE = { 'www-authenticate': 'Bearer realm="mnist-api"' };

/** A middleware requiring `token` (passes everything when it is null). */
export function requireToken(token: string | null): MiddlewareHandler<AppEnv> {
  if (token === null) return async (_c, next) => next();
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header)
      throw new ProblemError(
        'unauthorized',
        `${c.req.method} ${c.req.path} needs Authorization: Bearer <token>`,
        { headers: CHALLENGE },
      );
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!m)
      throw new ProblemError(
        'unauthorized',
        `expected Authorization: Bearer <token>, got a ${JSON.stringify(header.split(/\s/)[0]!.slice(0, 20))} credential`,
        {
          headers: CHALLENGE,
        },
      );
    if (!timingSafeEqual(digest(m[1]!), expected))
      throw new ProblemError('unauthorized', 'the bearer token is not valid for this server', {
        headers: {
          'www-authenticate':
            'Bearer realm="mnist-api", error="invalid_token", error_description="the token is not valid for this server"',
        },
      });
    await next();
  };
}
