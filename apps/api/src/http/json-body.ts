/**
 * JSON bodies, bounded before they are parsed. The size is bounded while the body is read (the
 * body limit); here its nesting depth is measured by one pass over the text, which costs about
 * a millisecond per MB, before `JSON.parse` and the schema's validation (which cost far more on
 * a deeply nested body: 4 MB of `[[[[…` held the event loop for ~660 ms). A body nested deeper
 * than `maxDepth` is refused with 400 naming the limit. The parsed value is left in Hono's body
 * cache, so the route's validator does not parse it again.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { ProblemError } from '../problem.js';
import { isUpload } from './middleware.js';

/** Deepest nesting of arrays and objects accepted (a KServe body nests 4 deep, a [N, 28, 28] image 5). */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting in JSON `text`, or -1 as soon as it passes `limit` (strings are skipped). */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === BACKSLASH) i++;
      else if (ch === QUOTE) inString = false;
    } else if (ch === QUOTE) inString = true;
    else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return -1;
      }
    } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) depth--;
  }
  return deepest;
}

const isJson = (type: string | undefined) =>
  type !== undefined && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type.trim());

/** Reads, depth-checks and parses JSON request bodies (other bodies pass untouched). */
export function boundedJson(maxDepth = MAX_JSON_DEPTH): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (
      c.req.method === 'GET' ||
      c.req.method === 'HEAD' ||
      isUpload(c) || // the upload route answers 415 to anything but a safetensors file
      c.req.header('inference-header-content-length') !== undefined || // binary tensor data (infer/binary.ts)
      !isJson(c.req.header('content-type'))
    )
      return next();
    const text = await c.req.text(); // the body limit applies while this reads
    if (text.length > 0) {
      if (jsonDepth(text, maxDepth) < 0)
        throw new ProblemError(
          'malformed-json',
          `the body nests arrays and objects deeper than ${maxDepth} levels, the limit`,
          { fields: { maxDepth } },
        );
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new ProblemError(
          'malformed-json',
          `the body is not valid JSON: ${(e as Error).message}`,
        );
      }
      c.req.bodyCache.json = Promise.resolve(value);
    }
    return next();
  };
}
