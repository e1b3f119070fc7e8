/** Helpers for declaring routes: JSON content, the validation hook every router shares, routers. */
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.js';
import { zodProblem } from '../validation.js';

/** A JSON response of `schema`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** A required JSON request body of `schema`. */
export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  body: {
    content: { 'application/json': { schema } },
    required: true,
    ...(description ? { description } : {}),
  },
});

/** A router whose failed validations become 400 problems naming each field. */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success)
        throw zodProblem(result.error.issues, (result as { data?: unknown }).data, result.target);
    },
  });
}
