/**
 * KServe V2 Open Inference Protocol: health, server and model metadata, model readiness and
 * inference. A model `{name}` is a name (its latest version, or `/versions/{version}`) or an id.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ModelRow } from '../db/models.js';
import type { AppEnv } from '../env.js';
import {
  BINARY_EXTENSION,
  binaryOutputs,
  type InferBody,
  inferReply,
  isBinaryOutput,
  isBinaryRequest,
  rawImages,
  readBinaryRequest,
  withBinary,
} from '../infer/binary.js';
import { decodeImages } from '../infer/images.js';
import { kserveOutputs, OUTPUTS, type OutputName } from '../infer/run.js';
import { invalidField, ProblemError, show } from '../problem.js';
import { problems } from '../schemas/common.js';
import {
  InferRequest,
  InferResponse,
  Live,
  ModelMetadata,
  ModelParams,
  ModelReady,
  Ready,
  ServerMetadata,
  VersionParams,
} from '../schemas/kserve.js';
import { findModel, type Services } from '../services.js';
import { zodProblem } from '../validation.js';
import { json, jsonBody, router } from './openapi.js';
import { withPng } from './png.js';

const tags = ['Inference (KServe V2)'];

/** The two paths of each model operation: a name's latest version (or an id), and one version. */
const VERSIONS = [
  { path: '/v2/models/{name}', params: ModelParams },
  { path: '/v2/models/{name}/versions/{version}', params: VersionParams },
] as const;

/** An OpenAPI path in Hono's syntax: `/v2/models/{name}` → `/v2/models/:name`. */
const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * `application/json` with well-formed parameters or none: a media type the documented route's
 * gate lets through and its validator reads as JSON (others, `+json` ones too, go to that route).
 */
const PLAIN_JSON = /^application\/json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const isPlainJson = (type: string | undefined) => type !== undefined && PLAIN_JSON.test(type);

/** The infer body, as the route's validator checked it (the handlers are shared by two routes). */
const validBody = (c: Context<AppEnv>) =>
  (c.req as unknown as { valid(target: 'json'): InferBody }).valid('json');
export const SERVER_NAME = 'mnist-api';
export const SERVER_VERSION = '0.1.0';

function metadata(s: Services, row: ModelRow) {
  const versions = s.registry.table
    .list({ name: row.name, limit: 1000 })
    .map((r) => String(r.version));
  return {
    name: row.name,
    versions,
    platform: 'mnist-ts',
    inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 784] }],
    outputs: [
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 10] },
      { name: 'labels', datatype: 'INT64', shape: [-1] },
    ],
  };
}

export function kserveRoutes(s: Services) {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2/health/live',
      operationId: 'serverLive',
      tags,
      summary: 'Liveness',
      responses: { 200: json(Live, 'The server is up') },
    }),
    (c) => c.json({ live: true }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2/health/ready',
      operationId: 'serverReady',
      tags,
      summary: 'Readiness: 200 once a model can serve, 503 while none can or during shutdown',
      responses: { 200: json(Ready, 'Ready'), 503: problems[503] },
    }),
    (c) => {
      if (s.state.draining)
        throw new ProblemError('not-ready', 'the server is shutting down', {
          fields: { ready: false },
        });
      if (s.registry.size() === 0) {
        const pending = s.jobs.pendingFor(s.config.modelName);
        const why = pending
          ? `; training job ${pending.id} (${pending.status}) will register model ${s.config.modelName}`
          : '; train one with POST /v1/trainings or upload one with POST /v1/models';
        throw new ProblemError('not-ready', `no model is available yet${why}`, {
          fields: { ready: false },
          headers: { 'retry-after': '5' },
        });
      }
      return c.json({ ready: true }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v2',
      operationId: 'serverMetadata',
      tags,
      summary: 'Server metadata',
      responses: { 200: json(ServerMetadata, 'Server metadata') },
    }),
    (c) =>
      c.json({ name: SERVER_NAME, version: SERVER_VERSION, extensions: [BINARY_EXTENSION] }, 200),
  );

  const found = { 404: problems[404], 503: problems[503] };
  /** The model a request names: by `{name}` (its latest version), or `{name}` and `{version}`. */
  const rowOf = (c: Context<AppEnv>) => {
    // The route's validator has checked these (ModelParams or VersionParams).
    const { name, version } = c.req.param() as { name: string; version?: string };
    return findModel(s, name, version === undefined ? undefined : Number(version));
  };

  /** A model is ready once its weights load; loading a broken file answers with its problem. */
  const ready = async (row: ModelRow) => {
    await s.registry.load(row);
    return { name: row.name, version: String(row.version), ready: true };
  };

  const inferResponses = {
    200: json(InferResponse, 'Class probabilities and labels'),
    400: problems[400],
    413: problems[413],
    415: problems[415],
    ...found,
  };
  const infer = async (
    row: ModelRow,
    body: InferBody,
    requestId: string,
    raw?: Uint8Array, // the input's bytes when it came as binary data (infer/binary.ts)
  ) => {
    if (body.inputs.length !== 1)
      throw invalidField(
        'inputs',
        '1 input tensor (named "input")',
        `${body.inputs.length} tensors`,
      );
    const t = body.inputs[0]!;
    if (t.name !== 'input') throw invalidField('inputs[0].name', '"input"', show(t.name));
    const wanted: OutputName[] = (body.outputs ?? OUTPUTS.map((name) => ({ name }))).map((o, i) => {
      if (!(OUTPUTS as readonly string[]).includes(o.name))
        throw invalidField(
          `outputs[${i}].name`,
          `one of ${OUTPUTS.map((n) => `"${n}"`).join(', ')}`,
          show(o.name),
        );
      return o.name as OutputName;
    });
    const where = { shapePath: 'inputs[0].shape', maxBatch: s.config.maxBatch };
    const images = raw
      ? rawImages(raw, t.shape, t.datatype, { ...where, dataPath: 'inputs[0] (binary data)' })
      : decodeImages(t.data, t.shape, t.datatype, { ...where, dataPath: 'inputs[0].data' });
    const binary = binaryOutputs(body);
    const model = await s.registry.load(row);
    const outputs = kserveOutputs(model, images, wanted, (n) => isBinaryOutput(binary, n));
    s.metrics.predictions.inc({ model: row.name, protocol: 'kserve' }, images.count);
    return {
      model_name: row.name,
      model_version: String(row.version),
      id: body.id ?? requestId,
      outputs,
    };
  };

  // Binary tensor data (infer/binary.ts), and plain `application/json` bodies: served here, in
  // the order of checks the documented route below has (path, body, then the model), with the
  // same schema and the same problems, without its generic validator chain (a third of a small
  // request's time). PNG bodies have their own middleware (png.ts); any other media type goes on
  // to the documented route, which answers it.
  for (const v of VERSIONS)
    app.post(`${honoPath(v.path)}/infer`, async (c, next) => {
      const binary = isBinaryRequest(c);
      if (!binary && !isPlainJson(c.req.header('content-type'))) return next();
      const p = v.params.safeParse(c.req.param());
      if (!p.success) throw zodProblem(p.error.issues, c.req.param(), 'param');
      if (binary) {
        const row = rowOf(c);
        const { body, raw } = await readBinaryRequest(c);
        return inferReply(c, await infer(row, body, c.get('requestId'), raw[0]));
      }
      const value = await c.req.json(); // depth-checked and parsed once (http/json-body.ts)
      const body = InferRequest.safeParse(value);
      if (!body.success) throw zodProblem(body.error.issues, value, 'json');
      return inferReply(c, await infer(rowOf(c), body.data, c.get('requestId')));
    });

  // Each model operation on both paths: the latest version, and one version.
  const operations = [
    {
      method: 'get',
      suffix: '',
      ids: ['modelMetadata', 'modelVersionMetadata'],
      summaries: ['Model metadata', 'Model metadata of one version'],
      responses: { 200: json(ModelMetadata, 'Model metadata'), 400: problems[400], ...found },
      handle: (c: Context<AppEnv>) => c.json(metadata(s, rowOf(c)), 200),
    },
    {
      method: 'get',
      suffix: '/ready',
      ids: ['modelReady', 'modelVersionReady'],
      summaries: ['Model readiness', 'Readiness of one version'],
      responses: { 200: json(ModelReady, 'Ready'), 400: problems[400], ...found },
      handle: async (c: Context<AppEnv>) => c.json(await ready(rowOf(c)), 200),
    },
    {
      method: 'post',
      suffix: '/infer',
      ids: ['modelInfer', 'modelVersionInfer'],
      summaries: ['Inference with the latest version', 'Inference with one version'],
      body: withBinary(withPng(jsonBody(InferRequest))),
      responses: inferResponses,
      // JSON as InferResponse, or binary tensor data when an output asks for it (infer/binary.ts)
      handle: async (c: Context<AppEnv>) =>
        inferReply(c, await infer(rowOf(c), validBody(c), c.get('requestId'))),
    },
  ] as const;
  for (const op of operations)
    VERSIONS.forEach((v, i) => {
      const route = createRoute({
        method: op.method,
        path: `${v.path}${op.suffix}`,
        operationId: op.ids[i]!,
        tags,
        summary: op.summaries[i]!,
        request: { params: v.params, ...('body' in op ? op.body : {}) },
        responses: op.responses,
      });
      app.openapi(route, op.handle as never);
    });

  return app;
}
