/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Every refusal names the field,
 * what was expected and what came, and also carries KServe's `error` text so V2 clients that
 * read only that still get the reason.
 */
import type { Context } from 'hono';

/** One thing wrong with a request. */
export interface FieldError {
  /** Where, as a path into the request part: `inputs[0].shape`, `config.hidden`, `id`. */
  readonly field: string;
  readonly in: 'body' | 'path' | 'query' | 'header';
  readonly expected: string;
  readonly got: string;
}

/** The kinds of problem this API reports; each is documented at `/problems/{slug}`. */
export const PROBLEMS = {
  'invalid-request': {
    status: 400,
    title: 'Invalid request',
    about:
      'A field of the request is missing, of the wrong type or out of range; `errors` lists each field with what was expected and what came.',
  },
  'malformed-json': { status: 400, title: 'Malformed JSON', about: 'The body is not valid JSON.' },
  'invalid-model': {
    status: 400,
    title: 'Invalid model file',
    about:
      'An uploaded safetensors file is corrupt or is not a model of this network (W1 H×784, b1 H×1, W2 10×H, b2 10×1, F32, finite).',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    about: 'This route needs `Authorization: Bearer <token>`.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    about: 'The bearer token is not the configured one.',
  },
  'not-found': { status: 404, title: 'Not found', about: 'No such route, model or training job.' },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    about: 'The route exists but not with this method; see the `Allow` header.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    about:
      'The action does not apply to the job in its current state (for example, pausing a finished job).',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    about: 'The body is larger than the configured limit.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    about: 'The Content-Type is not one this route accepts.',
  },
  'not-ready': {
    status: 503,
    title: 'Not ready',
    about: 'The server is starting, shutting down or has no model to serve yet.',
  },
  'queue-full': {
    status: 503,
    title: 'Queue full',
    about: 'Too many training jobs are waiting; try again later.',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    about: 'Something failed on the server; the request id is in the logs.',
  },
} as const satisfies Record<string, { status: number; title: string; about: string }>;

export type ProblemSlug = keyof typeof PROBLEMS;

/** The JSON body of every error response. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly requestId?: string;
  /** KServe V2's error text: the same as `detail`. */
  readonly error: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

/** A refusal to answer with a problem; thrown anywhere in a handler, rendered by the app's error handler. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extra: {
      readonly errors?: readonly FieldError[];
      readonly headers?: Readonly<Record<string, string>>;
      readonly fields?: Readonly<Record<string, unknown>>;
    } = {},
  ) {
    super(detail);
    this.status = PROBLEMS[slug].status;
  }
}

/** `inputs[0].shape: expected …, got …; …` for up to three errors. */
export function describeErrors(errors: readonly FieldError[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.field}: expected ${e.expected}, got ${e.got}`);
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** A 400 naming each field. */
export function invalid(errors: readonly FieldError[]): ProblemError {
  return new ProblemError('invalid-request', describeErrors(errors), { errors });
}

/** A 400 for one field of the body. */
export function invalidField(
  field: string,
  expected: string,
  got: string,
  where: FieldError['in'] = 'body',
): ProblemError {
  return invalid([{ field, in: where, expected, got }]);
}

/** The problem body for `error` answering the request in `c`. */
export function problemBody(c: Context, error: ProblemError): ProblemBody {
  const { title } = PROBLEMS[error.slug];
  const requestId = c.get('requestId') as string | undefined;
  return {
    type: `/problems/${error.slug}`,
    title,
    status: error.status,
    detail: error.detail,
    instance: c.req.path,
    ...(requestId ? { requestId } : {}),
    error: error.detail,
    ...(error.extra.errors ? { errors: error.extra.errors } : {}),
    ...error.extra.fields,
  };
}

/** The problem as a response. */
export function problemResponse(c: Context, error: ProblemError): Response {
  const body = problemBody(c, error);
  return c.body(JSON.stringify(body), error.status as 400, {
    'content-type': 'application/problem+json',
    ...error.extra.headers,
  });
}

/** A short, safe rendering of a value for `got`: `"abc"`, `1.5`, `an array of 783`, `an object`. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 40 ? `${s.slice(0, 37)}..."` : s;
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** `['inputs', 0, 'shape']` → `inputs[0].shape`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
