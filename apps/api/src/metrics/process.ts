/**
 * The process's default metrics (prom-client's `collectDefaultMetrics`): CPU, memory, heap, GC
 * durations, handles, and the event-loop lag (`nodejs_eventloop_lag_*`, with p50/p90/p99 from
 * `perf_hooks.monitorEventLoopDelay`). One registry per process, created on first use, because
 * these describe the process, not one app (tests create many apps in one process).
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | null = null;

/** The process-wide registry of default metrics. */
export function processRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    // 10 ms resolution for the event-loop delay histogram behind the lag percentiles.
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  }
  return registry;
}
