/** The API's Prometheus metrics: requests, latency, predictions, jobs, models, streams, the event loop. */
import type { JobManager } from '../jobs/manager.js';
import { eventLoopDelay } from '../runtime/loop-delay.js';
import type { OpenStreams } from '../sse/stream.js';
import type { ModelRegistry } from '../store/registry.js';
import { Counter, Gauge, Histogram, Registry } from './prometheus.js';

export interface MetricSources {
  readonly jobs: JobManager;
  readonly registry: ModelRegistry;
  readonly streams: OpenStreams;
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

export function createApiMetrics(src: MetricSources) {
  const registry = new Registry();
  eventLoopDelay(); // starts the monitor
  const requests = registry.add(
    new Counter('http_requests_total', 'HTTP requests by method, route and status.'),
  );
  const duration = registry.add(
    new Histogram(
      'http_request_duration_seconds',
      'Time from request to response headers, by method and route.',
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
  );
  const predictions = registry.add(
    new Counter(
      'mnist_predictions_total',
      'Images classified, by model name and protocol (kserve or simple).',
    ),
  );
  registry.add(
    new Gauge('mnist_training_jobs', 'Training jobs by status.', () =>
      Object.entries(src.jobs.table.countByStatus()).map(([status, n]) => [{ status }, n] as const),
    ),
  );
  registry.add(
    new Gauge('mnist_models', 'Models in the registry.', () => [[{}, src.registry.size()]]),
  );
  registry.add(
    new Gauge('mnist_sse_clients', 'Open event streams.', () => [[{}, src.streams.size]]),
  );
  registry.add(
    new Gauge(
      'nodejs_eventloop_delay_seconds',
      'Event-loop delay since the previous scrape, by quantile.',
      () => {
        const d = eventLoopDelay();
        return [
          [{ quantile: '0.5' }, d.p50],
          [{ quantile: '0.99' }, d.p99],
          [{ quantile: '1' }, d.max],
        ];
      },
    ),
  );
  registry.add(
    new Gauge('process_resident_memory_bytes', 'Resident memory.', () => [
      [{}, process.memoryUsage.rss()],
    ]),
  );
  return {
    registry,
    requests,
    duration,
    predictions,
    close: () => {},
  };
}
