/** Schemas shared by the routes: problems, ids, strict objects that list their fields. */
import { z } from '@hono/zod-openapi';
import { JOB_ID, MODEL_ID, MODEL_NAME, MODEL_NAME_RULE } from '../store/paths.js';

/**
 * An object that refuses unknown fields, naming the known ones:
 * `config.lr: expected one of preset, hidden, …, got unknown field "lr"`.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `one of ${known}` : undefined),
  });
}

export const FieldErrorSchema = z.object({
  field: z.string().openapi({ example: 'inputs[0].shape' }),
  in: z.enum(['body', 'path', 'query', 'header']),
  expected: z.string().openapi({ example: '[N, 784], [N, 28, 28], [784] or [28, 28]' }),
  got: z.string().openapi({ example: '[3, 3]' }),
});

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/invalid-request' }),
    title: z.string().openapi({ example: 'Invalid request' }),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string().optional(),
    error: z.string().openapi({ description: "KServe V2's error text (the same as detail)" }),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (application/problem+json).' });

const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: ProblemSchema } },
  description,
});

/** Problem responses by status, for `responses` of a route. */
export const problems = {
  400: problem('The request is invalid; `errors` names each field'),
  401: problem('A valid bearer token is required (none was sent, or it is not valid)'),
  404: problem('Not found'),
  409: problem('Not allowed in the current state'),
  413: problem('The body is too large'),
  415: problem('Unsupported Content-Type'),
  503: problem('Not ready'),
} as const;

export const JobId = z
  .string()
  .regex(JOB_ID, 'a job id like job_…')
  .openapi({ example: 'job_01jbx7n9k2m4p6r8s0t2' });
export const ModelId = z
  .string()
  .regex(MODEL_ID, 'a model id like mdl_…')
  .openapi({ example: 'mdl_01jbx7n9k2m4p6r8s0t2' });
export const ModelName = z
  .string()
  .regex(MODEL_NAME, MODEL_NAME_RULE)
  .openapi({ example: 'mnist' });
/** A model id, or a name meaning its latest version. */
export const ModelRef = z
  .string()
  .refine((s) => MODEL_ID.test(s) || MODEL_NAME.test(s), 'a model id (mdl_…) or a model name')
  .openapi({
    example: 'mnist',
    description: 'A model id (mdl_…), or a model name for its latest version',
  });

/** Bearer auth, for the routes that change state. */
export const BEARER = [{ bearer: [] }];
