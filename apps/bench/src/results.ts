import type { BenchArgs } from './args.js';
import type { PeerName } from './protocol.js';
import { median, ratio } from './stats.js';

/** What a row measures. `to-accuracy` gives `to-85` and `to-92`; `api` gives six rows. */
export const METRICS = {
  'full-batch': { label: 'full-batch iteration, 60,000 images', unit: 'ms', better: 'lower' },
  'full-batch-1t': { label: 'full-batch iteration, one thread', unit: 'ms', better: 'lower' },
  epoch: { label: 'SGD epoch, batch 128', unit: 'ms', better: 'lower' },
  'epoch-64': { label: 'SGD epoch, batch 64', unit: 'ms', better: 'lower' },
  'epoch-32': { label: 'SGD epoch, batch 32', unit: 'ms', better: 'lower' },
  'first-step': { label: 'time to first step (fresh process)', unit: 'ms', better: 'lower' },
  'to-85': { label: 'time to 85 % test accuracy', unit: 'ms', better: 'lower' },
  'to-92': { label: 'time to 92 % test accuracy', unit: 'ms', better: 'lower' },
  inference: { label: 'inference, 10,000 test images', unit: 'images/s', better: 'higher' },
  rss: { label: 'peak RSS, full training run', unit: 'MB', better: 'lower' },
  // Ours only (the HTTP API is ours): no peer, no ratio.
  'api-alone': {
    label: 'API infer (1 image), server alone',
    unit: 'req/s',
    better: 'higher',
    oursOnly: true,
  },
  'api-training': {
    label: 'API infer (1 image), during training',
    unit: 'req/s',
    better: 'higher',
    oursOnly: true,
  },
  'api-p99-alone': {
    label: 'API infer (1 image) p99, one client, server alone',
    unit: 'ms',
    better: 'lower',
    oursOnly: true,
  },
  'api-p99-training': {
    label: 'API infer (1 image) p99, one client, during training',
    unit: 'ms',
    better: 'lower',
    oursOnly: true,
  },
  'api-batch': {
    label: 'API infer (100 images per request), server alone',
    unit: 'images/s',
    better: 'higher',
    oursOnly: true,
  },
  'api-batch-binary': {
    label: 'API infer (100 images per request, binary tensor data), server alone',
    unit: 'images/s',
    better: 'higher',
    oursOnly: true,
  },
} as const satisfies Record<
  string,
  { label: string; unit: string; better: 'lower' | 'higher'; oursOnly?: boolean }
>;

export type MetricName = keyof typeof METRICS;
export type Unit = (typeof METRICS)[MetricName]['unit'];

/** One peer's measurement of one metric. */
export interface Row {
  readonly metric: MetricName;
  readonly peer: PeerName;
  readonly status: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or failed (null when ok). */
  readonly reason: string | null;
  /** The median of `samples` (or the single measurement); null when there is none. */
  readonly value: number | null;
  /** The measured samples, warm-up already dropped. */
  readonly samples: readonly number[];
  /** Samples dropped as warm-up. */
  readonly warmup: number;
  /** The work measured, in words ("20 iterations after 3 warm-up"). */
  readonly work: string;
  /** Test accuracy (0…1) this peer reached on that work, and ours' on the same work. */
  readonly accuracy: number | null;
  readonly reference: number | null;
  /** Largest accepted |accuracy − reference|. */
  readonly tolerance: number | null;
  /** The accuracy check: `off` flags a peer that did less (or other) work than ours. */
  readonly check: 'ok' | 'off' | null;
  /** Against ours (see `ratio`); filled in by `withRatios`. */
  readonly ratio: number | null;
  /** Peak RSS of the process that did the work, in MB. */
  readonly peakRssMb: number | null;
  /** Facts about the run: backend, threads, setup time… */
  readonly info: Readonly<Record<string, unknown>>;
}

/** Machine and software the run happened on. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly python: string | null;
  readonly numpy: string | null;
  readonly tfjs: string | null;
  readonly tfjsBackendWasm: string | null;
  readonly rssMethod: string | null;
  readonly git: string | null;
  /** 1-, 5- and 15-minute load averages when the run started and ended. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

/**
 * Everything a run produced: what results.json holds and every report is rendered from. What
 * the command line asked for (`quick`, `peers`, `tasks`) is recorded as `BenchArgs` has it.
 */
export interface Results extends Pick<BenchArgs, 'quick' | 'peers' | 'tasks'> {
  readonly schema: 'mnist-bench/1';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  readonly rows: readonly Row[];
  /** Remarks on the run: limits applied, peers skipped, noise. */
  readonly notes: readonly string[];
}

/** A row with the defaults filled in. */
export function row(fields: Pick<Row, 'metric' | 'peer' | 'status'> & Partial<Row>): Row {
  return {
    reason: null,
    value: null,
    samples: [],
    warmup: 0,
    work: '',
    accuracy: null,
    reference: null,
    tolerance: null,
    check: null,
    ratio: null,
    peakRssMb: null,
    info: {},
    ...fields,
  };
}

/** A measured row: status ok, its value the median of its samples. */
export function measured(
  fields: Pick<Row, 'metric' | 'peer' | 'samples'> & Partial<Omit<Row, 'status' | 'value'>>,
): Row {
  return row({ ...fields, status: 'ok', value: median(fields.samples) });
}

/** `ok` when |accuracy − reference| ≤ tolerance, `off` otherwise, null when a value is missing. */
export function checkAccuracy(
  accuracy: number | null,
  reference: number | null,
  tolerance: number | null,
): 'ok' | 'off' | null {
  if (accuracy === null || reference === null || tolerance === null) return null;
  if (!Number.isFinite(accuracy) || !Number.isFinite(reference)) return 'off';
  return Math.abs(accuracy - reference) <= tolerance + 1e-12 ? 'ok' : 'off';
}

/** Each row's ratio against ours' row of the same metric (ours: 1; none for ours-only metrics). */
export function withRatios(rows: readonly Row[]): Row[] {
  return rows.map((r) => {
    if ('oursOnly' in METRICS[r.metric]) return { ...r, ratio: null };
    const ours = rows.find((o) => o.metric === r.metric && o.peer === 'ours' && o.status === 'ok');
    const value = r.status === 'ok' ? r.value : null;
    return { ...r, ratio: ratio(value, ours?.value ?? null, METRICS[r.metric].better) };
  });
}
