/** The model registry and the simple prediction route. */
import { z } from '@hono/zod-openapi';
import { ModelName, strictObject } from './common.js';

export const ModelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    version: z.int(),
    source: z.enum(['training', 'upload']),
    jobId: z.string().nullable().openapi({ description: 'the training job that produced it' }),
    hidden: z.int(),
    config: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'hyperparameters (the TrainConfig of the run)' }),
    trainAccuracy: z.number().nullable(),
    testAccuracy: z.number().nullable(),
    bytes: z.int(),
    sha256: z.string(),
    createdAt: z.string(),
    links: z.object({
      self: z.string(),
      weights: z.string(),
      infer: z.string(),
      predict: z.string(),
    }),
  })
  .openapi('Model');

export const ModelList = z.object({ models: z.array(ModelSchema) }).openapi('ModelList');

export const ListModelsQuery = z.object({
  name: ModelName.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const UploadQuery = z.object({
  name: ModelName.optional().openapi({
    description: "register under this name (default: the server's model name)",
  }),
});

/** One image: 784 values, or 28 rows of 28. */
const Image = z.array(z.unknown()).openapi({
  description: '784 numbers, or 28 arrays of 28 numbers',
  example: Array.from({ length: 784 }, () => 0),
});

export const PredictBody = strictObject({
  image: Image.optional(),
  images: z.array(Image).min(1).optional().openapi({ description: 'several images' }),
  encoding: z
    .enum(['float', 'uint8'])
    .default('float')
    .openapi({ description: 'float: values in [0, 1]; uint8: integers 0..255' }),
}).openapi('PredictRequest', { description: 'Exactly one of image and images.' });

export const PredictResponse = z
  .object({
    model: z.object({ id: z.string(), name: z.string(), version: z.int() }),
    predictions: z.array(z.object({ label: z.int(), probabilities: z.array(z.number()) })),
  })
  .openapi('PredictResponse');
