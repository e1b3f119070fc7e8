/** The model registry (list, show, weights, upload, delete) and the simple prediction route. */
import { createRoute, z } from '@hono/zod-openapi';
import { type Model, ModelFileError, modelFromBytes } from '@mnist/net';
import type { ModelRow } from '../db/models.js';
import { decodeSimple } from '../infer/images.js';
import { simplePredictions } from '../infer/run.js';
import { ProblemError } from '../problem.js';
import { BEARER, ModelId, ModelRef, problems } from '../schemas/common.js';
import {
  ListModelsQuery,
  ModelList,
  ModelSchema,
  PredictBody,
  PredictResponse,
  UploadQuery,
} from '../schemas/models.js';
import { findModel, type Services } from '../services.js';
import { download, downloadResponses } from './download.js';
import { json, jsonBody, router } from './openapi.js';
import { withPng } from './png.js';

const tags = ['Models'];
const RefParams = z.object({ ref: ModelRef });
const MAX_HIDDEN = 4096;

export function modelView(row: ModelRow) {
  const self = `/v1/models/${row.id}`;
  return {
    ...row,
    links: {
      self,
      weights: `${self}/weights`,
      infer: `/v2/models/${row.name}/versions/${row.version}/infer`,
      predict: `${self}/predict`,
    },
  };
}

/** Checks an uploaded file completely: safetensors layout, the four tensors and their shapes, finite values, metadata. */
export function validateUpload(bytes: Uint8Array): Model {
  let model: Model;
  try {
    model = modelFromBytes(bytes, 'upload');
  } catch (e) {
    if (e instanceof ModelFileError) throw new ProblemError('invalid-model', e.message);
    throw e;
  }
  const refuse = (msg: string) => new ProblemError('invalid-model', `upload: ${msg}`);
  const { hidden, config, trainAccuracy, testAccuracy } = model.meta;
  if (hidden < 1 || hidden > MAX_HIDDEN)
    throw refuse(`hidden width ${hidden} (W1 is ${hidden}×784) is outside 1..${MAX_HIDDEN}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw refuse(`metadata config must be a JSON object, got ${JSON.stringify(config)}`);
  for (const [key, v] of [
    ['train_accuracy', trainAccuracy],
    ['test_accuracy', testAccuracy],
  ] as const) {
    if (v !== null && !(v >= 0 && v <= 1))
      throw refuse(`metadata ${key} must be a number in [0, 1] or empty, got ${v}`);
  }
  return model;
}

export function modelRoutes(s: Services) {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models',
      operationId: 'listModels',
      tags,
      summary: 'List models, newest first',
      request: { query: ListModelsQuery },
      responses: { 200: json(ModelList, 'Models'), 400: problems[400] },
    }),
    (c) => {
      const q = c.req.valid('query');
      return c.json(
        {
          models: s.registry.table
            .list({ limit: q.limit, ...(q.name ? { name: q.name } : {}) })
            .map(modelView),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/models',
      operationId: 'uploadModel',
      tags,
      summary: 'Upload a model (a safetensors file), registered as the next version of its name',
      description:
        'The body is the file (Content-Type: application/octet-stream): F32 tensors W1 (H, 784), b1 (H, 1), W2 (10, H), b2 (10, 1), finite. It is checked completely before anything is stored.',
      security: BEARER,
      middleware: [s.guard] as const,
      request: {
        query: UploadQuery,
        body: {
          content: {
            'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
          },
          required: true,
        },
      },
      responses: {
        201: { ...json(ModelSchema, 'Stored'), headers: z.object({ Location: z.string() }) },
        400: problems[400],
        401: problems[401],
        413: problems[413],
        415: problems[415],
      },
    }),
    async (c) => {
      const type = c.req.header('content-type');
      if (!type || type.split(';')[0]!.trim().toLowerCase() !== 'application/octet-stream')
        throw new ProblemError(
          'unsupported-media-type',
          `expected Content-Type application/octet-stream (a safetensors file), got ${type ?? 'none'}`,
        );
      const model = validateUpload(new Uint8Array(await c.req.arrayBuffer()));
      const row = await s.registry.register(model, {
        name: c.req.valid('query').name ?? s.config.modelName,
        source: 'upload',
        jobId: null,
      });
      return c.json(modelView(row), 201, { Location: `/v1/models/${row.id}` });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models/{ref}',
      operationId: 'getModel',
      tags,
      summary: 'A model: hyperparameters, accuracy, origin',
      request: { params: RefParams },
      responses: {
        200: json(ModelSchema, 'The model'),
        400: problems[400],
        404: problems[404],
        503: problems[503],
      },
    }),
    (c) => c.json(modelView(findModel(s, c.req.valid('param').ref)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models/{ref}/weights',
      operationId: 'getModelWeights',
      tags,
      summary: 'The weights as a safetensors file',
      request: { params: RefParams },
      responses: downloadResponses('application/octet-stream', 'The safetensors file'),
    }),
    async (c) => {
      const row = findModel(s, c.req.valid('param').ref);
      return download(c, {
        etag: `"${row.sha256}"`,
        contentType: 'application/octet-stream',
        fileName: `${row.name}-v${row.version}.safetensors`,
        bytes: () => s.registry.bytes(row),
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/models/{ref}',
      operationId: 'deleteModel',
      tags,
      summary:
        'Delete a model (by id; a name is refused, so one call never deletes the wrong version)',
      security: BEARER,
      middleware: [s.guard] as const,
      request: { params: z.object({ ref: ModelId }) },
      responses: {
        204: { description: 'Deleted' },
        400: problems[400],
        401: problems[401],
        404: problems[404],
      },
    }),
    async (c) => {
      const { ref: id } = c.req.valid('param');
      if (!(await s.registry.delete(id))) throw new ProblemError('not-found', `no model ${id}`);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/models/{ref}/predict',
      operationId: 'predict',
      tags,
      summary: 'Classify one image or several (simpler than KServe)',
      request: { params: RefParams, ...withPng(jsonBody(PredictBody)) },
      responses: {
        200: json(PredictResponse, 'A label and ten probabilities per image'),
        400: problems[400],
        404: problems[404],
        413: problems[413],
        415: problems[415],
        503: problems[503],
      },
    }),
    async (c) => {
      const row = findModel(s, c.req.valid('param').ref);
      const images = decodeSimple(c.req.valid('json'), s.config.maxBatch);
      const model = await s.registry.load(row);
      const predictions = simplePredictions(model, images);
      s.metrics.predictions.inc({ model: row.name, protocol: 'simple' }, images.count);
      return c.json(
        { model: { id: row.id, name: row.name, version: row.version }, predictions },
        200,
      );
    },
  );

  return app;
}
