/** Training jobs: the request (the training command's options) and the job as shown. */

import { z } from '@hono/zod-openapi';
import {
  CONFIG_FIELD_NAMES,
  CONFIG_FIELDS,
  type ConfigField,
  expectedOf,
  type FieldSpec,
  PRESET_NAMES,
} from '@mnist/net';
import { JOB_STATUSES } from '../db/jobs.js';
import { ModelName, strictObject } from './common.js';

/**
 * One field of the training config as a zod schema, derived from @mnist/net's field table: its
 * type and range (so the OpenAPI document shows them), its help text and preset defaults, and a
 * refusal in the table's own words, the same `expected` text the CLI and the dashboard give.
 */
export function fieldSchema(name: ConfigField, ranged = true): z.ZodType {
  const spec: FieldSpec = CONFIG_FIELDS[name];
  const k = spec.kind;
  const error = expectedOf(k);
  let schema: z.ZodType;
  if (k.type === 'enum') {
    schema = z.enum(k.values as [string, ...string[]], { error });
  } else if (k.type === 'int') {
    const int = ranged ? z.int({ error }).min(k.min).max(k.max) : z.int();
    schema = k.or === undefined ? int : z.union([int, z.literal(k.or)], { error });
  } else if (ranged) {
    let n = z.number({ error });
    n = k.minOpen ? n.gt(k.min) : n.min(k.min);
    schema = k.maxOpen ? n.lt(k.max) : n.max(k.max);
  } else schema = z.number();
  if (!ranged) return schema;
  const values = PRESET_NAMES.map((p) => JSON.stringify(spec.presets[p]));
  const defaults =
    name === 'preset'
      ? '"seed"'
      : new Set(values).size === 1
        ? values[0]
        : PRESET_NAMES.map((p, i) => `${values[i]} (${p})`).join(', ');
  const unit = spec.unit ? `; unit: ${spec.unit}` : '';
  const applies = spec.appliesTo && spec.appliesTo !== 'any' ? `; ${spec.appliesTo} runs only` : '';
  return schema.openapi({ description: `${spec.help}${unit}${applies}; default: ${defaults}` });
}

type ConfigShape<Wrap> = { [K in ConfigField]: Wrap };
const configShape = <T extends z.ZodType>(wrap: (s: z.ZodType, name: ConfigField) => T) =>
  Object.fromEntries(CONFIG_FIELD_NAMES.map((f) => [f, wrap(fieldSchema(f), f)])) as ConfigShape<T>;

/**
 * The options of `pnpm train`, as JSON (camelCase field names of TrainConfig). Every field is
 * optional: the preset gives the rest. Each field's schema comes from the field table, and
 * `resolveConfig` of @mnist/net then checks what one field cannot (a field that does not apply
 * to the run): one definition, one wording, whichever front end a value comes through.
 */
export const TrainConfigInput = strictObject(
  configShape((s, f) =>
    (f === 'threads'
      ? s.openapi({
          description:
            "threads of the wasm kernel (0: one per core); default: the server's --train-threads",
        })
      : s
    ).optional(),
  ),
).openapi('TrainConfigInput');

export const CreateTraining = strictObject({
  name: ModelName.optional().openapi({
    description:
      'the model name to register the result under (default: the server\'s model name, "mnist")',
  }),
  config: TrainConfigInput.optional(),
}).openapi('CreateTraining', { example: { name: 'mnist', config: { preset: 'fast', epochs: 3 } } });

/**
 * A job's full config (every field present; a field that does not apply to the run, such as the
 * epochs of a full-batch run, holds its preset's value and may lie outside its request range).
 */
export const TrainConfigSchema = z
  .object(configShape((_s, f) => fieldSchema(f, false)))
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
  learningRate: (fieldSchema('learningRate') as z.ZodType<number>).openapi({ example: 0.05 }),
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
