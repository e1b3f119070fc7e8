/**
 * JSON bodies, bounded before they are parsed. The size is bounded while the body is read (the
 * body limit); here its nesting depth is measured as it arrives, one pass over the text (about
 * a millisecond per MB), before `JSON.parse` and the schema's validation (which cost far more on
 * a deeply nested body: 4 MB of `[[[[…` held the event loop for ~660 ms). A body nested deeper
 * than `maxDepth` is refused with 400 naming the limit as soon as the piece that passes it
 * arrives, without reading the rest. The parsed value is left in Hono's body cache, so the
 * route's validator does not parse it again.
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

/**
 * The nesting depth of JSON text fed in pieces (strings are skipped, escapes across pieces too).
 * `feed` returns false as soon as the depth passes `limit`.
 */
export class DepthScan {
  deepest = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  feed(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === BACKSLASH) this.escaped = true;
        else if (ch === QUOTE) this.inString = false;
      } else if (ch === QUOTE) this.inString = true;
      else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
        if (++this.depth > this.deepest) {
          this.deepest = this.depth;
          if (this.deepest > this.limit) return false;
        }
      } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) this.depth--;
    }
    return true;
  }
}

/** The deepest nesting in JSON `text`, or -1 as soon as it passes `limit`. */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  const scan = new DepthScan(limit);
  return scan.feed(text) ? scan.deepest : -1;
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
    // Read piece by piece (the body limit applies while this reads), scanning as it comes: a
    // body nested too deep is refused at once, the rest of it unread (then drained and dropped).
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const scan = new DepthScan(maxDepth);
    const parts: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      const piece = done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (!scan.feed(piece)) {
        reader.releaseLock();
        throw new ProblemError(
          'malformed-json',
          `the body nests arrays and objects deeper than ${maxDepth} levels, the limit`,
          // The rest of the body is not read: the connection closes (after a bounded drain),
          // so the client does not send its next request on it.
          { fields: { maxDepth }, headers: { connection: 'close' } },
        );
      }
      parts.push(piece);
      if (done) break;
    }
    const text = parts.join('');
    // Hono keeps each body read as a promise, whatever the declared type says.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    if (text.length > 0) {
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
