import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { jsonOf } from '../test/helpers.js';
import {
  describeErrors,
  formatPath,
  invalid,
  invalidField,
  PROBLEMS,
  ProblemError,
  problemResponse,
  show,
} from './problem.js';

describe('show', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['abc', '"abc"'],
    [true, 'true'],
    [[1, 2, 3], 'an array of 3'],
    [{ a: 1 }, 'an object'],
  ])('%j → %s', (value, text) => expect(show(value)).toBe(text));

  it('shortens long strings', () => expect(show('x'.repeat(100))).toBe(`"${'x'.repeat(36)}..."`));
});

describe('formatPath', () => {
  it('writes paths as in JavaScript', () => {
    expect(formatPath(['inputs', 0, 'data', 3, 27])).toBe('inputs[0].data[3][27]');
    expect(formatPath(['config', 'hidden'])).toBe('config.hidden');
    expect(formatPath([])).toBe('');
  });
});

describe('describeErrors', () => {
  const e = (n: number) => ({ field: `f${n}`, in: 'body' as const, expected: 'x', got: 'y' });
  it('lists up to three errors and counts the rest', () => {
    expect(describeErrors([e(1)])).toBe('f1: expected x, got y');
    expect(describeErrors([e(1), e(2), e(3), e(4), e(5)])).toBe(
      'f1: expected x, got y; f2: expected x, got y; f3: expected x, got y (and 2 more)',
    );
  });
});

describe('problemResponse', () => {
  const app = new Hono();
  app.get('/p', (c) =>
    problemResponse(c, invalidField('config.hidden', 'an integer ≤ 4096', '5000')),
  );
  app.get('/h', (c) =>
    problemResponse(
      c,
      new ProblemError('unauthorized', 'needs a token', {
        headers: { 'www-authenticate': 'Bearer' },
      }),
    ),
  );

  it('answers application/problem+json with the KServe error text', async () => {
    const res = await app.request('/p');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await jsonOf(res)).toEqual({
      type: '/problems/invalid-request',
      title: 'Invalid request',
      status: 400,
      detail: 'config.hidden: expected an integer ≤ 4096, got 5000',
      instance: '/p',
      error: 'config.hidden: expected an integer ≤ 4096, got 5000',
      errors: [{ field: 'config.hidden', in: 'body', expected: 'an integer ≤ 4096', got: '5000' }],
    });
  });

  it('sets extra headers and takes the status from the slug', async () => {
    const res = await app.request('/h');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('has a status for every slug', () => {
    for (const p of Object.values(PROBLEMS)) expect(p.status).toBeGreaterThanOrEqual(400);
    expect(invalid([]).status).toBe(400);
  });
});
