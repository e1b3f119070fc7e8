/**
 * JSON bodies, bounded before they are parsed, and parsed once. The size is bounded while the
 * body is read (the body limit); here its nesting depth is measured as it arrives, one pass over
 * the bytes, before parsing and the schema's validation (which cost far more on a deeply nested
 * body: 4 MB of `[[[[…` held the event loop for ~660 ms). A body nested deeper than `maxDepth` is
 * refused with 400 naming the limit as soon as the piece that passes it arrives, without reading
 * the rest. Nothing is read before the route asks for the body (`c.req.json()`, which a route's
 * validator calls after the route's own middleware, the bearer-token guard among them), so an
 * unauthenticated client cannot make the server read or parse. Parsing takes the fast path of
 * fast-json.ts where it can, `JSON.parse` otherwise.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { ProblemError } from '../problem.js';
import { readBody } from './body.js';
import { parseJson } from './fast-json.js';
import { isUpload } from './middleware.js';

/** Deepest nesting of arrays and objects accepted (a KServe body nests 4 deep, a [N, 28, 28] image 5). */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The nesting depth of JSON text fed in pieces of UTF-8 (strings are skipped, escapes across
 * pieces too; a multi-byte character's bytes are all ≥ 0x80, so never a bracket or a quote).
 * `feed` returns false as soon as the depth passes `limit`.
 */
export class DepthScan {
  deepest = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  feed(bytes: Uint8Array): boolean {
    let { depth, deepest, inString, escaped } = this;
    const limit = this.limit;
    let ok = true;
    const n = bytes.length;
    for (let i = 0; i < n; i++) {
      let ch = bytes[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === BACKSLASH) escaped = true;
        else if (ch === QUOTE) inString = false;
        continue;
      }
      // Digits, commas, spaces, signs, colons: below '[' and not a quote (most of a tensor).
      while (ch < OPEN_BRACKET && ch !== QUOTE && ++i < n) ch = bytes[i]!;
      if (ch === QUOTE) inString = true;
      else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > limit) {
            ok = false;
            break;
          }
        }
      } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) depth--;
    }
    this.depth = depth;
    this.deepest = deepest;
    this.inString = inString;
    this.escaped = escaped;
    return ok;
  }
}

const encoder = new TextEncoder();

/** The deepest nesting in JSON `text` (a string or its UTF-8), or -1 as soon as it passes `limit`. */
export function jsonDepth(text: string | Uint8Array, limit = Number.POSITIVE_INFINITY): number {
  const scan = new DepthScan(limit);
  return scan.feed(typeof text === 'string' ? encoder.encode(text) : text) ? scan.deepest : -1;
}

const isJson = (type: string | undefined) =>
  type !== undefined && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type.trim());

/** Why reading the body as JSON failed, kept for the error handler (Hono's validator rewords it). */
const BODY_PROBLEM = Symbol('body problem');
type WithProblem = { [BODY_PROBLEM]?: ProblemError };

/** The problem `c.req.json()` met reading or parsing the body, if any. */
export const bodyProblem = (c: Context): ProblemError | undefined =>
  (c.req as WithProblem)[BODY_PROBLEM];

/** Reads, depth-checks and parses the body: the value, or a 400 problem. */
async function readJson(c: Context, maxDepth: number): Promise<unknown> {
  const scan = new DepthScan(maxDepth);
  const bytes = await readBody(c, (piece) => {
    if (!scan.feed(piece))
      throw new ProblemError(
        'malformed-json',
        `the body nests arrays and objects deeper than ${maxDepth} levels, the limit`,
        // The rest of the body is not read: the connection closes (after a bounded drain),
        // so the client does not send its next request on it.
        { fields: { maxDepth }, headers: { connection: 'close' } },
      );
  });
  let text: string | undefined;
  const decoded = () => {
    text ??= new TextDecoder().decode(bytes);
    // Hono keeps each body read as a promise, whatever the declared type says.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    return text;
  };
  try {
    return parseJson(bytes, decoded);
  } catch (e) {
    throw new ProblemError('malformed-json', `the body is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Makes `c.req.json()` of JSON requests read with the depth check and parse once (other bodies,
 * and every other way of reading, are untouched). Reading starts when the route asks.
 */
export function boundedJson(maxDepth = MAX_JSON_DEPTH): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    if (
      c.req.method === 'GET' ||
      c.req.method === 'HEAD' ||
      isUpload(c) || // the upload route answers 415 to anything but a safetensors file
      c.req.header('inference-header-content-length') !== undefined || // binary tensor data (infer/binary.ts)
      !isJson(c.req.header('content-type'))
    )
      return next();
    let value: Promise<unknown> | undefined;
    c.req.json = <T>() => {
      value ??= readJson(c, maxDepth).catch((e: unknown) => {
        if (e instanceof ProblemError) (c.req as WithProblem)[BODY_PROBLEM] = e;
        throw e;
      });
      return value as Promise<T>;
    };
    return next();
  };
}
