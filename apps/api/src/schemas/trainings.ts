/** Training jobs: the request (the training command's options) and the job as shown. */

import { z } from '@hono/zod-openapi';
import type { TrainConfig } from '@mnist/net';
import { JOB_STATUSES } from '../db/jobs.js';
import { ModelName, strictObject } from './common.js';

/**
 * The options of `pnpm train`, as JSON (camelCase field names of TrainConfig). Every field is
 * optional: the preset gives the rest. `resolveConfig` of @mnist/net checks them again (it is the
 * authority; this schema gives the types, ranges and the documentation).
 */
export const TrainConfigInput = strictObject({
  preset: z.enum(['seed', 'fast', 'wide']).optional().openapi({
    description:
      'seed (the notes: full batch, α 0.1, 500 iterations), fast (Adam, 784-10-10), wide (Adam, 784-128-10)',
  }),
  hidden: z
    .int()
    .min(1)
    .max(4096)
    .optional()
    .openapi({ description: 'hidden width H (W1 is H×784)' }),
  init: z.enum(['uniform', 'he']).optional(),
  optimizer: z.enum(['sgd', 'momentum', 'adam']).optional(),
  learningRate: z.number().gt(0).max(100).optional().openapi({ description: 'learning rate α' }),
  momentum: z.number().min(0).lt(1).optional(),
  batchSize: z
    .union([z.int().min(1).max(60_000), z.literal('full')])
    .optional()
    .openapi({
      description: "examples per step, or 'full' (the notes' full-batch gradient descent)",
    }),
  iterations: z
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .openapi({ description: 'steps of a full-batch run' }),
  epochs: z
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .openapi({ description: 'passes over the data of a mini-batch run' }),
  schedule: z.enum(['constant', 'cosine']).optional(),
  seed: z
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  validation: z
    .int()
    .min(0)
    .max(59_999)
    .optional()
    .openapi({ description: 'training images held out for validation' }),
  patience: z.int().min(0).max(10_000).optional().openapi({
    description: 'early stopping: evaluations without a better validation loss (0: never)',
  }),
  evalEvery: z.int().min(1).max(1_000_000).optional(),
  limit: z
    .int()
    .min(0)
    .max(60_000)
    .optional()
    .openapi({ description: 'train on the first N training images only (0: all)' }),
  kernel: z.enum(['wasm', 'js']).optional(),
  threads: z.int().min(0).max(16).optional().openapi({
    description:
      "threads of the wasm kernel (0: one per core); default: the server's --train-threads",
  }),
}).openapi('TrainConfigInput');

// The schema must name exactly TrainConfig's fields: a field added to @mnist/net fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameFields: Same<keyof z.infer<typeof TrainConfigInput>, keyof TrainConfig> = true;
void sameFields;

export const CreateTraining = strictObject({
  name: ModelName.optional().openapi({
    description:
      'the model name to register the result under (default: the server\'s model name, "mnist")',
  }),
  config: TrainConfigInput.optional(),
}).openapi('CreateTraining', { example: { name: 'mnist', config: { preset: 'fast', epochs: 3 } } });

export const TrainConfigSchema = z
  .object({
    preset: z.enum(['seed', 'fast', 'wide']),
    hidden: z.int(),
    init: z.enum(['uniform', 'he']),
    optimizer: z.enum(['sgd', 'momentum', 'adam']),
    learningRate: z.number(),
    momentum: z.number(),
    batchSize: z.union([z.int(), z.literal('full')]),
    iterations: z.int(),
    epochs: z.int(),
    schedule: z.enum(['constant', 'cosine']),
    seed: z.int(),
    validation: z.int(),
    patience: z.int(),
    evalEvery: z.int(),
    limit: z.int(),
    kernel: z.enum(['wasm', 'js']),
    threads: z.int(),
  })
  .openapi('TrainConfig');

const Metrics = z.object({ loss: z.number().nullable(), accuracy: z.number().nullable() });

export const JobSchema = z
  .object({
    id: z.string(),
    status: z.enum(JOB_STATUSES),
    modelName: z.string(),
    config: TrainConfigSchema,
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    modelId: z.string().nullable().openapi({ description: 'the model this job registered' }),
    error: z.string().nullable(),
    queuePosition: z.int().nullable(),
    progress: z
      .object({
        step: z.int(),
        totalSteps: z.int(),
        epoch: z.int(),
        elapsedMs: z.number(),
        loss: z.number(),
        accuracy: z.number(),
        learningRate: z.number(),
        examplesPerSecond: z.number(),
        etaMs: z.number(),
      })
      .nullable(),
    result: z
      .object({
        reason: z.enum(['completed', 'stopped', 'early-stopped']),
        step: z.int(),
        epoch: z.int(),
        elapsedMs: z.number(),
        train: Metrics,
        test: Metrics.extend({ perClass: z.array(z.number().nullable()) }),
        validation: Metrics.nullable(),
      })
      .nullable(),
    links: z.object({
      self: z.string(),
      events: z.string(),
      metrics: z.string(),
      model: z.string().nullable(),
    }),
  })
  .openapi('TrainingJob');

export const JobList = z.object({ jobs: z.array(JobSchema) }).openapi('TrainingJobList');

export const ListJobsQuery = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const LearningRateBody = strictObject({
  learningRate: z.number().gt(0).max(100).openapi({ example: 0.05 }),
}).openapi('LearningRate');

export const MetricsHistory = z
  .object({
    jobId: z.string(),
    evaluations: z.array(
      z.object({
        step: z.int(),
        epoch: z.int(),
        elapsedMs: z.number(),
        train: Metrics,
        test: Metrics,
        validation: Metrics.nullable(),
        at: z.string(),
      }),
    ),
  })
  .openapi('MetricsHistory');
