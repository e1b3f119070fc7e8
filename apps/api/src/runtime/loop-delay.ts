/**
 * Event-loop delay of this process (`perf_hooks.monitorEventLoopDelay`): how late timers fire
 * because something held the main thread. `eventLoopDelay()` returns the quantiles since the
 * previous call and starts a new window, so each Prometheus scrape reports its own interval.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

let histogram: IntervalHistogram | null = null;

export interface LoopDelay {
  /** Seconds. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The delay quantiles (seconds) since the previous call (or since the first call started the monitor). */
export function eventLoopDelay(): LoopDelay {
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    return { p50: 0, p99: 0, max: 0 };
  }
  const h = histogram;
  const out = h.count
    ? { p50: h.percentile(50) / 1e9, p99: h.percentile(99) / 1e9, max: h.max / 1e9 }
    : { p50: 0, p99: 0, max: 0 };
  h.reset();
  return out;
}
