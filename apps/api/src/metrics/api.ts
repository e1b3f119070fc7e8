/**
 * The API's Prometheus metrics (prom-client): requests and their latency per route and status,
 * images classified, training jobs by status, models, open streams, plus the process's default
 * metrics (CPU, memory, GC, event-loop lag with its p99). The series names are listed in the
 * API's README, section Metrics.
 */

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_STATUSES } from '../db/jobs.js';
import type { JobManager } from '../jobs/manager.js';
import type { OpenStreams } from '../sse/stream.js';
import type { ModelRegistry } from '../store/registry.js';
import { processRegistry } from './process.js';

export interface MetricSources {
  readonly jobs: JobManager;
  readonly registry: ModelRegistry;
  readonly streams: OpenStreams;
}

/** Seconds from a request to its response headers. */
export const DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
] as const;

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** One app's metrics; the process's default metrics are shared by every app in the process. */
export function createApiMetrics(src: MetricSources) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response headers, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });
  const predictions = new Counter({
    name: 'mnist_inference_images_total',
    help: 'Images classified, by model name and protocol (kserve or simple).',
    labelNames: ['model', 'protocol'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'mnist_training_jobs',
    help: `Training jobs by status (${JOB_STATUSES.join(', ')}).`,
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      for (const [status, n] of Object.entries(src.jobs.table.countByStatus()))
        this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'mnist_models',
    help: 'Models in the registry.',
    registers: [registry],
    collect() {
      this.set(src.registry.size());
    },
  });
  new Gauge({
    name: 'mnist_sse_clients',
    help: 'Open event streams.',
    registers: [registry],
    collect() {
      this.set(src.streams.size);
    },
  });
  const all = () => Registry.merge([processRegistry(), registry]);
  return {
    registry,
    requests,
    duration,
    predictions,
    /** The Content-Type of `render()`'s text. */
    contentType: registry.contentType,
    /** This app's series and the process's, in the text exposition format. */
    render: (): Promise<string> => all().metrics(),
    close: () => registry.clear(),
  };
}
