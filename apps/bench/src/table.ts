import { formatPct, formatRatio, formatValue } from './format.js';
import { METRICS, type MetricName, type Results, type Row } from './results.js';
import { quantile } from './stats.js';

/** Left-aligned columns separated by two spaces (the last column is not padded). */
export function columns(lines: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const line of lines) {
    for (const [i, cell] of line.entries()) widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
  }
  return lines.map((line) =>
    line
      .map((cell, i) =>
        i === line.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** The threads a row's run used, as its peer reported them. */
export const threadsOf = (r: Row) =>
  typeof r.info.threads === 'number' ? String(r.info.threads) : '—';

/** The accuracy check in words: `ok`, `OFF by 4.1 pts`, or `—`. */
export function describeCheck(r: Row): string {
  if (r.check === null) return '—';
  if (r.check === 'ok') return 'ok';
  const off =
    r.accuracy !== null && r.reference !== null
      ? ` by ${(Math.abs(r.accuracy - r.reference) * 100).toFixed(2)} pts`
      : '';
  return `OFF${off}`;
}

/** The rows of one metric, in the order they ran. */
export function byMetric(rows: readonly Row[]): [MetricName, Row[]][] {
  const out: [MetricName, Row[]][] = [];
  for (const metric of Object.keys(METRICS) as MetricName[]) {
    const of = rows.filter((r) => r.metric === metric);
    if (of.length > 0) out.push([metric, of]);
  }
  return out;
}

/** The results as a plain-text table for the terminal, one block per metric. */
export function renderTable(results: Pick<Results, 'rows'>): string {
  const blocks: string[] = [];
  for (const [metric, rows] of byMetric(results.rows)) {
    const m = METRICS[metric];
    const head = `${m.label} (${m.unit}, ${m.better} is better)`;
    const lines: string[][] = [
      ['  peer', 'median', 'p90', 'vs ours', 'threads', 'accuracy', "ours'", 'check', 'work'],
    ];
    for (const r of rows) {
      if (r.status !== 'ok') {
        lines.push([`  ${r.peer}`, r.status, '', '', '', '', '', '', r.reason ?? '']);
        continue;
      }
      lines.push([
        `  ${r.peer}`,
        formatValue(r.value, m.unit),
        r.samples.length > 1 ? formatValue(quantile(r.samples, 0.9), m.unit) : '—',
        formatRatio(r.ratio),
        threadsOf(r),
        formatPct(r.accuracy),
        formatPct(r.reference),
        describeCheck(r),
        r.work,
      ]);
    }
    blocks.push([head, ...columns(lines)].join('\n'));
  }
  return `${blocks.join('\n\n')}\n\nvs ours: peer ÷ ours for times and memory, ours ÷ peer for throughput; above 1, ours is ahead.`;
}
