/** What the routes share: settings, the registry, the jobs, the streams, metrics and the auth guards. */
import type { MiddlewareHandler } from 'hono';
import type { ApiConfig } from './config.js';
import type { ModelRow } from './db/models.js';
import type { AppEnv } from './env.js';
import type { JobManager } from './jobs/manager.js';
import type { ApiMetrics } from './metrics/api.js';
import { ProblemError } from './problem.js';
import type { OpenStreams } from './sse/stream.js';
import { MODEL_ID } from './store/paths.js';
import type { ModelRegistry } from './store/registry.js';

export interface Services {
  readonly config: ApiConfig;
  readonly registry: ModelRegistry;
  readonly jobs: JobManager;
  readonly streams: OpenStreams;
  readonly metrics: ApiMetrics;
  /** `draining` turns ready to 503 during shutdown. */
  readonly state: { draining: boolean };
  /** Guards routes that change state (training, upload, delete, control). */
  readonly guard: MiddlewareHandler<AppEnv>;
}

/**
 * The model a request names: an id, a name (its latest version), or a name and a version.
 * 404 when there is none; 503 when a queued or running job will produce it.
 */
export function findModel(s: Services, ref: string, version?: number): ModelRow {
  if (version !== undefined && MODEL_ID.test(ref))
    throw new ProblemError(
      'not-found',
      `versions belong to model names, and ${ref} is a model id; use /v2/models/${ref} without a version`,
    );
  const row =
    version === undefined ? s.registry.resolve(ref) : s.registry.table.version(ref, version);
  if (row) return row;
  if (version !== undefined) {
    const versions = s.registry.table.list({ name: ref, limit: 20 }).map((r) => r.version);
    if (versions.length)
      throw new ProblemError(
        'not-found',
        `model ${ref} has no version ${version}; it has ${versions.join(', ')}`,
      );
  }
  const pending = MODEL_ID.test(ref) ? null : s.jobs.pendingFor(ref);
  if (pending)
    throw new ProblemError(
      'not-ready',
      `model ${ref} has no version yet: training job ${pending.id} is ${pending.status} and will register it`,
      {
        headers: { 'retry-after': '5' },
        fields: { jobId: pending.id },
      },
    );
  throw new ProblemError(
    'not-found',
    MODEL_ID.test(ref) ? `no model ${ref}` : `no model named ${ref}`,
  );
}
