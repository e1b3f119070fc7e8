/**
 * What a job has produced, fetched on demand rather than pushed to every subscriber: its
 * recorded events (`/history`) and its latest weights (`/weights`, safetensors with an ETag).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ProblemError } from '../problem.js';
import { JobId, problems } from '../schemas/common.js';
import { JobHistorySchema } from '../schemas/history.js';
import type { Services } from '../services.js';
import { download, downloadResponses } from './download.js';
import { json, router } from './openapi.js';

const tags = ['Training jobs'];
const IdParams = z.object({ id: JobId });

/** `view(id)` is the job as the API shows it (404 when there is none). */
export function trainingDataRoutes(
  s: Services,
  view: (id: string) => { status: string; modelId: string | null },
) {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trainings/{id}/history',
      operationId: 'getTrainingHistory',
      tags,
      summary:
        "A job's recorded events (every evaluation, status change and α change; progress thinned to at most ~1000)",
      description:
        'Each event is the same JSON as the `data:` of its SSE event (with its `type`), oldest first, without weights. `lastEventId` is the SSE id of the last one: open `/events` with it as `Last-Event-ID` to continue without a gap.',
      request: { params: IdParams },
      responses: {
        200: json(JobHistorySchema, 'The events'),
        400: problems[400],
        404: problems[404],
      },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      view(id);
      // The stored events are already JSON text: joined, not parsed and written again.
      return c.body(s.jobs.historyJson(id), 200, {
        'content-type': 'application/json',
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trainings/{id}/weights',
      operationId: 'getTrainingWeights',
      tags,
      summary: "The job's latest weights (taken at its last evaluation) as a safetensors file",
      description:
        "The same file format as `/v1/models/{ref}/weights`. The ETag changes with each new snapshot; send it back in `If-None-Match` to get 304 while there is none newer. 404 before the first evaluation. Once a completed job's snapshot is no longer kept, this is its model's file. A job the server interrupted (shutdown) keeps its last snapshot in the data folder, across restarts; one whose server was killed keeps none.",
      request: { params: IdParams },
      responses: downloadResponses('application/octet-stream', 'The safetensors file'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const job = view(id);
      const snapshot = s.jobs.snapshots.get(id);
      const file = {
        contentType: 'application/octet-stream',
        fileName: `${id}.safetensors`,
        headers: { 'cache-control': 'no-cache' },
      };
      if (snapshot)
        return download(c, {
          ...file,
          etag: snapshot.etag,
          bytes: () => snapshot.bytes(),
        }) as never;
      const model = job.modelId ? s.registry.table.get(job.modelId) : null;
      if (!model)
        throw new ProblemError(
          'not-found',
          `training job ${id} has no weights snapshot: it is ${job.status}, and weights are taken at each evaluation of a running job (and kept when the server interrupts it, not when it is killed)`,
        );
      return download(c, {
        ...file,
        etag: `"${model.sha256}"`,
        bytes: () => s.registry.bytes(model),
      }) as never;
    },
  );

  return app;
}
