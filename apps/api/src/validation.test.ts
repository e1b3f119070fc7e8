import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { strictObject } from './schemas/common.js';
import { fieldErrors } from './validation.js';

const Schema = strictObject({
  hidden: z.int().min(1).max(4096).optional(),
  momentum: z.number().min(0).lt(1).optional(),
  batchSize: z.union([z.int().min(1), z.literal('full')]).optional(),
  optimizer: z.enum(['sgd', 'adam']).optional(),
  list: z.array(z.number()).min(1).max(2).optional(),
  name: z.string().max(3).optional(),
});

function errorsOf(input: unknown) {
  const r = Schema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  return fieldErrors(r.error.issues, input, 'json');
}

describe('fieldErrors', () => {
  it.each([
    [{ hidden: 'x' }, 'hidden', 'a number', '"x"'],
    [{ hidden: 1.5 }, 'hidden', 'an integer', '1.5'],
    [{ hidden: 5000 }, 'hidden', 'a number ≤ 4096', '5000'],
    [{ hidden: 0 }, 'hidden', 'a number ≥ 1', '0'],
    [{ momentum: 1 }, 'momentum', 'a number < 1', '1'],
    [{ batchSize: 'half' }, 'batchSize', 'a number or "full"', '"half"'],
    [{ optimizer: 'rmsprop' }, 'optimizer', 'one of "sgd", "adam"', '"rmsprop"'],
    [{ list: [] }, 'list', 'at least 1 item', 'an array of 0'],
    [{ list: [1, 2, 3] }, 'list', 'at most 2 items', 'an array of 3'],
    [{ list: [1, 'a'] }, 'list[1]', 'a number', '"a"'],
    [{ name: 'long' }, 'name', 'at most 3 characters', '"long"'],
    [null, '(body)', 'an object', 'null'],
  ])('%j → %s: expected %s, got %s', (input, field, expected, got) => {
    expect(errorsOf(input)).toEqual([{ field, in: 'body', expected, got }]);
  });

  it('names unknown fields and lists the known ones', () => {
    expect(errorsOf({ lr: 1, hidden: 3 })).toEqual([
      {
        field: 'lr',
        in: 'body',
        expected: 'one of hidden, momentum, batchSize, optimizer, list, name',
        got: 'unknown field "lr"',
      },
    ]);
  });

  it('says where: path and query parameters', () => {
    const r = z.object({ id: z.string().regex(/^job_/) }).safeParse({ id: 'x' });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(fieldErrors(r.error.issues, { id: 'x' }, 'param')[0]).toMatchObject({
        field: 'id',
        in: 'path',
        got: '"x"',
      });
  });
});
