/**
 * How a model does on the 10,000 MNIST test images: loss, accuracy and the confusion matrix, for
 * any model (trained here or uploaded). Models never change, so each one's answer is kept.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  CLASSES,
  loadMnistSplit,
  type Metrics,
  type MnistSplit,
  type Model,
  metricsFrom,
  predictor,
} from '@mnist/net';
import { ModelRef, problems } from '../schemas/common.js';
import { findModel, type Services } from '../services.js';
import { json, router } from './openapi.js';

const Evaluation = z
  .object({
    model: z.object({ id: z.string(), name: z.string(), version: z.int() }),
    split: z.literal('test'),
    count: z.int(),
    loss: z.number().openapi({ description: 'mean cross-entropy' }),
    accuracy: z.number(),
    perClass: z.array(z.number().nullable()),
    confusion: z
      .array(z.array(z.int()))
      .openapi({ description: 'confusion[t][p]: test images of true class t predicted as p' }),
  })
  .openapi('Evaluation');

const evaluations = new WeakMap<Model, Metrics>();

function evaluateModel(model: Model, test: MnistSplit): Metrics {
  const p = predictor(model.params)({ uint8: test.images });
  const confusion = new Uint32Array(CLASSES * CLASSES);
  let loss = 0;
  let correct = 0;
  for (let j = 0; j < test.count; j++) {
    const y = test.labels[j]!;
    const label = p.labels[j]!;
    loss -= Math.log(Math.max(p.probabilities[j * CLASSES + y]!, 1e-12));
    if (label === y) correct++;
    confusion[y * CLASSES + label]!++;
  }
  return metricsFrom(loss, correct, test.count, confusion);
}

export function evaluationRoutes(s: Services) {
  const app = router();
  let testSet: Promise<MnistSplit> | null = null;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models/{ref}/evaluation',
      operationId: 'getModelEvaluation',
      tags: ['Models'],
      summary: 'Loss, accuracy and confusion matrix on the 10,000 MNIST test images',
      request: { params: z.object({ ref: ModelRef }) },
      responses: {
        200: json(Evaluation, 'The evaluation'),
        400: problems[400],
        404: problems[404],
        503: problems[503],
      },
    }),
    async (c) => {
      const row = findModel(s, c.req.valid('param').ref);
      const model = await s.registry.load(row);
      let m = evaluations.get(model);
      if (!m) {
        testSet ??= loadMnistSplit(
          'test',
          s.config.mnistDir ? { dir: s.config.mnistDir } : {},
        ).catch((e: unknown) => {
          testSet = null;
          throw e;
        });
        m = evaluateModel(model, await testSet);
        evaluations.set(model, m);
      }
      return c.json(
        {
          model: { id: row.id, name: row.name, version: row.version },
          split: 'test' as const,
          count: m.count,
          loss: m.loss,
          accuracy: m.accuracy,
          perClass: m.perClass.map((v) => (Number.isNaN(v) ? null : v)),
          confusion: m.confusion.map((r) => [...r]),
        },
        200,
      );
    },
  );
  return app;
}
