/**
 * KServe's V2 Open Inference Protocol (REST, JSON): server and model metadata, readiness, and
 * inference requests and responses. https://kserve.github.io/website/docs/concepts/architecture/data-plane/v2-protocol
 */
import { z } from '@hono/zod-openapi';
import { ModelRef } from './common.js';

export const ServerMetadata = z
  .object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) })
  .openapi('ServerMetadata');

export const Live = z.object({ live: z.boolean() }).openapi('ServerLive');
export const Ready = z.object({ ready: z.boolean() }).openapi('ServerReady');
export const ModelReady = z
  .object({ name: z.string(), version: z.string().optional(), ready: z.boolean() })
  .openapi('ModelReady');

const TensorMetadata = z.object({
  name: z.string(),
  datatype: z.string(),
  shape: z.array(z.int()),
});

export const ModelMetadata = z
  .object({
    name: z.string(),
    versions: z.array(z.string()),
    platform: z.string(),
    inputs: z.array(TensorMetadata),
    outputs: z.array(TensorMetadata),
  })
  .openapi('ModelMetadata');

/**
 * A tensor's values: flat (row-major) or nested as its shape. Checked against shape and datatype
 * by the handler (decodeImages), value by value; here only that it is an array, without zod
 * walking (and copying) every element: for 100 images that walk cost more than JSON.parse. The
 * body parser's fast path gives a flat array of numbers as a Float64Array (http/fast-json.ts).
 */
const TensorData = z
  .custom<unknown[] | Float64Array>((v) => Array.isArray(v) || v instanceof Float64Array, {
    message: 'an array',
  })
  .openapi({
    type: 'array',
    items: {},
    description:
      'The values, flat in row-major order or nested as the shape. FP32: numbers in [0, 1]; UINT8: integers 0..255.',
    example: [0, 0, 0.5, 1],
  });

export const InferInput = z.object({
  name: z.string().openapi({ example: 'input' }),
  shape: z
    .array(z.int().min(0).max(1_000_000))
    .min(1)
    .max(4)
    .openapi({ example: [1, 784], description: '[N, 784], [N, 28, 28], [784] or [28, 28]' }),
  datatype: z.enum(['FP32', 'UINT8']),
  parameters: z.record(z.string(), z.unknown()).optional(),
  data: TensorData,
});

export const InferRequest = z
  .object({
    id: z.string().max(256).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    inputs: z.array(InferInput).min(1),
    outputs: z
      .array(
        z.object({ name: z.string(), parameters: z.record(z.string(), z.unknown()).optional() }),
      )
      .optional(),
  })
  .openapi('InferRequest', {
    description: 'One input tensor named "input" holding N images.',
    example: {
      id: '42',
      inputs: [
        {
          name: 'input',
          shape: [1, 784],
          datatype: 'UINT8',
          data: Array.from({ length: 784 }, () => 0),
        },
      ],
    },
  });

const OutputTensor = z.object({
  name: z.string(),
  shape: z.array(z.int()),
  datatype: z.string(),
  data: z.array(z.number()),
});

export const InferResponse = z
  .object({
    model_name: z.string(),
    model_version: z.string(),
    id: z.string(),
    outputs: z.array(OutputTensor),
  })
  .openapi('InferResponse', {
    description:
      'probabilities: FP32 [N, 10], one row of class probabilities per image; labels: INT64 [N], the most likely digit.',
  });

export const ModelParams = z.object({ name: ModelRef });
export const VersionParams = z.object({
  name: ModelRef,
  version: z.string().regex(/^[1-9]\d{0,8}$/, 'a version number (1, 2, …)'),
});
