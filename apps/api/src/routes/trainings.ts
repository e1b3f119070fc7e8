/**
 * Training jobs: start (202 + Location), list, show, metric history, control (pause, resume,
 * cancel, learning rate) and the live event stream.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ConfigError, resolveConfig, type TrainConfig } from '@mnist/net';
import type { ControlOutcome } from '../jobs/manager.js';
import { jobView } from '../jobs/view.js';
import { invalidField, ProblemError } from '../problem.js';
import { BEARER, JobId, problems } from '../schemas/common.js';
import {
  CreateTraining,
  JobList,
  JobSchema,
  LearningRateBody,
  ListJobsQuery,
  MetricsHistory,
} from '../schemas/trainings.js';
import type { Services } from '../services.js';
import { openEventStream } from '../sse/stream.js';
import { json, jsonBody, router } from './openapi.js';
import { trainingDataRoutes } from './training-data.js';

const tags = ['Training jobs'];
const IdParams = z.object({ id: JobId });

/** A checked TrainConfig: the request's options over the preset, with the server's thread default. */
export function configFrom(
  input: Partial<Record<keyof TrainConfig, unknown>> = {},
  trainThreads: number,
): TrainConfig {
  try {
    return resolveConfig({ ...input, threads: input.threads ?? trainThreads });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw invalidField(`config.${e.field}`, e.expected, e.got);
  }
}

export function trainingRoutes(s: Services) {
  const app = router();
  const view = (id: string) => {
    const row = s.jobs.get(id);
    if (!row) throw new ProblemError('not-found', `no training job ${id}`);
    return jobView(row, s.jobs.queuePosition(id));
  };
  const controlled = {
    401: problems[401],
    404: problems[404],
    409: problems[409],
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/trainings',
      operationId: 'createTraining',
      tags,
      summary: 'Start a training job (queued if others run)',
      security: BEARER,
      middleware: [s.guard] as const,
      request: jsonBody(CreateTraining, 'The model name and the options of the training command'),
      responses: {
        202: {
          ...json(JobSchema, 'Accepted: the job, queued or running'),
          headers: z.object({ Location: z.string() }),
        },
        400: problems[400],
        401: problems[401],
        413: problems[413],
        415: problems[415],
        503: problems[503],
      },
    }),
    (c) => {
      const body = c.req.valid('json');
      const config = configFrom(body.config, s.config.trainThreads);
      const row = s.jobs.submit(config, body.name ?? s.config.modelName);
      return c.json(view(row.id), 202, { Location: `/v1/trainings/${row.id}` });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trainings',
      operationId: 'listTrainings',
      tags,
      summary: 'List jobs, newest first',
      request: { query: ListJobsQuery },
      responses: { 200: json(JobList, 'Jobs'), 400: problems[400] },
    }),
    (c) => {
      const q = c.req.valid('query');
      const rows = s.jobs.table.list({ limit: q.limit, ...(q.status ? { status: q.status } : {}) });
      return c.json({ jobs: rows.map((r) => view(r.id)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trainings/{id}',
      operationId: 'getTraining',
      tags,
      summary: 'A job',
      request: { params: IdParams },
      responses: { 200: json(JobSchema, 'The job'), 400: problems[400], 404: problems[404] },
    }),
    (c) => c.json(view(c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trainings/{id}/metrics',
      operationId: 'getTrainingMetrics',
      tags,
      summary: "A job's evaluations (loss and accuracy per epoch, or every evalEvery iterations)",
      request: { params: IdParams },
      responses: {
        200: json(MetricsHistory, 'The metric history'),
        400: problems[400],
        404: problems[404],
      },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      view(id);
      return c.json({ jobId: id, evaluations: s.jobs.table.metrics(id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/trainings/{id}/events',
      operationId: 'streamTrainingEvents',
      tags,
      summary: 'Live progress as Server-Sent Events',
      description: [
        'First a `snapshot` event: `{"job": <job>, "events": [latest start, progress and evaluation events]}`; then events named by their type:',
        '`progress` (a few per second; a slow client gets the latest only), `evaluation` (per epoch, metrics only: the weights are at `/v1/trainings/{id}/weights`),',
        '`paused`, `resumed`, `learning-rate`, `status` (`{"type": "status", "status": …}`), and a final `done`, `failed` or `cancelled`, after which the stream ends.',
        'Every event has an `id`; reconnect with `Last-Event-ID` to receive only what was missed (a snapshot instead if the history no longer has it).',
        'Heartbeat comments (`: ping`) keep idle connections open.',
      ].join(' '),
      request: { params: IdParams, headers: z.object({ 'last-event-id': z.string().optional() }) },
      responses: {
        200: {
          content: { 'text/event-stream': { schema: z.string() } },
          description: 'The event stream',
        },
        400: problems[400],
        404: problems[404],
        503: problems[503],
      },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const log = s.jobs.log(id);
      if (!log) throw new ProblemError('not-found', `no training job ${id}`);
      if (s.streams.size >= s.config.maxStreams)
        throw new ProblemError(
          'not-ready',
          `${s.streams.size} event streams are open, the limit of this server (--max-streams); try again later, or poll /v1/trainings/${id}/history`,
          { headers: { 'retry-after': '5' } },
        );
      const outgoing = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
      const body = openEventStream({
        maxBufferedBytes: s.config.streamBufferBytes,
        onDrop: (reason) => {
          s.config.logger.warn('event stream dropped', {
            requestId: c.get('requestId'),
            job: id,
            reason,
          });
          outgoing?.destroy(); // it may never read again: do not wait for it
        },
        log,
        snapshot: () =>
          `{"job":${JSON.stringify(view(id))},"events":[${log.snapshotEvents().join(',')}]}`,
        lastEventId: c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? null,
        heartbeatMs: s.config.heartbeatMs,
        maxPending: s.config.maxPendingEvents,
        streams: s.streams,
      });
      return c.body(body, 200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
    },
  );

  app.route('/', trainingDataRoutes(s, view));

  const answer = (o: ControlOutcome) => jobView(o.job, s.jobs.queuePosition(o.job.id));
  const controlRoute = (action: 'pause' | 'resume' | 'cancel', summary: string) =>
    createRoute({
      method: 'post',
      path: `/v1/trainings/{id}/${action}`,
      operationId: `${action}Training`,
      tags,
      summary,
      security: BEARER,
      middleware: [s.guard] as const,
      request: { params: IdParams },
      responses: {
        200: json(JobSchema, 'Done: the job after the change'),
        202: json(JobSchema, 'Requested; not yet seen to take effect'),
        400: problems[400],
        ...controlled,
      },
    });
  for (const [action, summary] of [
    ['pause', 'Pause a running job'],
    ['resume', 'Resume a paused job'],
    ['cancel', 'Cancel a queued or running job (its model is not registered)'],
  ] as const) {
    app.openapi(controlRoute(action, summary), async (c) => {
      const { id } = c.req.valid('param');
      const outcome = await s.jobs[action](id);
      return c.json(answer(outcome), outcome.applied ? 200 : 202);
    });
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/trainings/{id}/learning-rate',
      operationId: 'setTrainingLearningRate',
      tags,
      summary: 'Change the base learning rate of a running or paused job (from its next step)',
      security: BEARER,
      middleware: [s.guard] as const,
      request: { params: IdParams, ...jsonBody(LearningRateBody) },
      responses: {
        200: json(JobSchema, 'Applied'),
        202: json(JobSchema, 'Requested; a paused job applies it when resumed'),
        400: problems[400],
        413: problems[413],
        415: problems[415],
        ...controlled,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const outcome = await s.jobs.setLearningRate(id, c.req.valid('json').learningRate);
      return c.json(answer(outcome), outcome.applied ? 200 : 202);
    },
  );

  return app;
}
