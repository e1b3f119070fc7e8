/** The shape of `GET /v1/trainings/{id}/history`. */
import { z } from '@hono/zod-openapi';

export const JobHistorySchema = z
  .object({
    events: z.array(
      z
        .object({
          type: z.string().openapi({
            description:
              'start, progress, evaluation, status, paused, resumed, learning-rate, done, failed or cancelled',
          }),
        })
        .passthrough(),
    ),
    lastEventId: z
      .string()
      .nullable()
      .openapi({ description: 'The SSE id of the last event (null when none is recorded)' }),
  })
  .openapi('JobHistory', {
    description:
      'A job’s events, oldest first, each the JSON of its SSE `data:` without weights; progress is thinned evenly to at most ~1000.',
  });
