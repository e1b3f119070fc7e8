/**
 * zod issues as field errors: `config.hidden: expected an integer ≤ 4096, got 5000`. The values
 * that came are read from the raw input (zod does not keep them), so `got` shows what was sent.
 */
import type { z } from '@hono/zod-openapi';
import { type FieldError, formatPath, invalid, type ProblemError, show } from './problem.js';

type Issue = z.core.$ZodIssue;
type Where = FieldError['in'];

const TARGETS: Readonly<Record<string, Where>> = {
  json: 'body',
  param: 'path',
  query: 'query',
  header: 'header',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  never: 'no value',
};

function bound(
  issue: { origin?: string; inclusive?: boolean },
  limit: unknown,
  side: 'min' | 'max',
): string {
  const n = String(limit);
  const of = (unit: string) =>
    `${side === 'min' ? 'at least' : 'at most'} ${n} ${unit}${n === '1' ? '' : 's'}`;
  switch (issue.origin) {
    case 'array':
    case 'set':
      return of('item');
    case 'string':
      return of('character');
    default: {
      const op = side === 'min' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
      return `a number ${op} ${n}`;
    }
  }
}

/** zod's own messages; anything else was written in a schema and says what is expected. */
const DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized)/;

/** What an issue expected, in words. */
export function expectedOf(issue: Issue): string {
  if (issue.code !== 'unrecognized_keys' && !DEFAULT_MESSAGE.test(issue.message))
    return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_NAMES[issue.expected] ?? issue.expected;
    case 'too_small':
      return bound(issue, issue.minimum, 'min');
    case 'too_big':
      return bound(issue, issue.maximum, 'max');
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const branches = issue.errors
        .map((branch) => branch.map(expectedOf).join(' and '))
        .filter((s) => s !== '');
      return branches.length ? [...new Set(branches)].join(' or ') : issue.message;
    }
    case 'invalid_format':
      return `a ${issue.format}`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** The field errors of a failed zod parse of `input` (a body, the path or the query). */
export function fieldErrors(
  issues: readonly Issue[],
  input: unknown,
  target: string,
): FieldError[] {
  const where = TARGETS[target] ?? 'body';
  const out: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // The strict objects of ./schemas put the known fields in the message.
      for (const key of issue.keys) {
        out.push({
          field: formatPath([...issue.path, key]) || key,
          in: where,
          expected: issue.message,
          got: `unknown field ${JSON.stringify(key)}`,
        });
      }
      continue;
    }
    const field = formatPath(issue.path) || (where === 'body' ? '(body)' : '(request)');
    out.push({
      field,
      in: where,
      expected: expectedOf(issue),
      got: show(valueAt(input, issue.path)),
    });
  }
  return out;
}

/** The 400 problem for a failed parse. */
export function zodProblem(issues: readonly Issue[], input: unknown, target: string): ProblemError {
  return invalid(fieldErrors(issues, input, target));
}
