/**
 * PNG bodies for the prediction routes. A middleware in front of the JSON routes answers
 * `Content-Type: image/png` requests to `POST /v1/models/{ref}/predict` and the KServe infer routes
 * (decode, MNIST preprocessing, predict) and passes every other request on; `withPng` adds the
 * media type to a route's OpenAPI body so the document says so.
 */
import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { isPngType, PNG_MAX_SIDE, PNG_TYPE, pngImages } from '../infer/png.js';
import { kserveOutputs, OUTPUTS, simplePredictions } from '../infer/run.js';
import { VersionParams } from '../schemas/kserve.js';
import { findModel, type Services } from '../services.js';

const PNG_BODY = {
  schema: z.string().openapi({
    format: 'binary',
    description: `a PNG of a digit, at most ${PNG_MAX_SIDE}×${PNG_MAX_SIDE}: any size, grey or colour, white-on-black or black-on-white (detected); it is cropped, scaled into 20×20 and centred by centre of mass in 28×28, as MNIST was made`,
  }),
};

/** A route's JSON body that also accepts `image/png` (documentation; the middleware serves it). */
export function withPng<B extends { body: { content: Record<string, unknown> } }>(b: B): B {
  return { ...b, body: { ...b.body, content: { ...b.body.content, [PNG_TYPE]: PNG_BODY } } };
}

export function pngRoutes(s: Services) {
  const app = new Hono<AppEnv>();
  const only =
    (handle: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
    (c, next) =>
      isPngType(c.req.header('content-type')) ? handle(c, next) : next();
  const body = async (c: Parameters<MiddlewareHandler<AppEnv>>[0]) =>
    pngImages(new Uint8Array(await c.req.arrayBuffer()));

  app.post(
    '/v1/models/:ref/predict',
    only(async (c) => {
      const row = findModel(s, c.req.param('ref') ?? '');
      const images = await body(c);
      const model = await s.registry.load(row);
      const predictions = simplePredictions(model, images);
      s.metrics.predictions.inc({ model: row.name, protocol: 'simple' }, images.count);
      return c.json({ model: { id: row.id, name: row.name, version: row.version }, predictions });
    }),
  );

  const infer = (versioned: boolean) =>
    only(async (c, next) => {
      const v = c.req.param('version');
      // A malformed version goes on to the JSON route, whose parameter check names it.
      if (versioned && !VersionParams.shape.version.safeParse(v).success) return next();
      const row = findModel(s, c.req.param('name')!, versioned ? Number(v) : undefined);
      const images = await body(c);
      const model = await s.registry.load(row);
      const outputs = kserveOutputs(model, images, OUTPUTS);
      s.metrics.predictions.inc({ model: row.name, protocol: 'kserve' }, images.count);
      return c.json({
        model_name: row.name,
        model_version: String(row.version),
        id: c.get('requestId'),
        outputs,
      });
    });
  app.post('/v2/models/:name/infer', infer(false));
  app.post('/v2/models/:name/versions/:version/infer', infer(true));
  return app;
}
