import { formatMs, formatPct, formatRatio, formatValue } from './format.js';
import { METRICS, type Results } from './results.js';
import { quantile, spread } from './stats.js';
import { byMetric, describeCheck, threadsOf } from './table.js';

/** `|` and line breaks would break a table cell. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The results as a Markdown report: machine, one table per metric, the chart, the notes. */
export function renderMarkdown(results: Results, chartFile = 'ratios.svg'): string {
  const m = results.machine;
  const lines: string[] = [];
  lines.push(
    '# Benchmark: ours against numpy and TensorFlow.js',
    '',
    `Run ${results.startedAt}${results.quick ? ' in **--quick** mode (a smoke test: few iterations, numbers indicative only)' : ''}, took ${formatMs(results.durationMs)}.`,
    `Peers: ${results.peers.join(', ')}. Tasks: ${results.tasks.join(', ')}.`,
    '',
    '| machine | |',
    '|---|---|',
    `| CPU | ${cell(m.cpu)} × ${m.cores} |`,
    `| memory | ${m.memoryGb} GB |`,
    `| OS | ${cell(m.os)} |`,
    `| Node | ${m.node} |`,
    `| Python / numpy | ${m.python ?? 'not found'} / ${m.numpy ?? 'not found'} |`,
    `| TensorFlow.js / wasm backend | ${m.tfjs ?? '?'} / ${m.tfjsBackendWasm ?? '?'} |`,
    `| peak RSS read with | ${m.rssMethod ?? 'nothing (not available)'} |`,
    `| git | ${m.git ?? '?'} |`,
    `| load average (1, 5, 15 min) | start ${m.loadBefore.join(', ')}; end ${m.loadAfter.join(', ')} |`,
    '',
    'The machine may be shared: other processes can run during the benchmark. Every time is a median',
    'of several runs after warm-up, and each peer runs in its own process, one at a time. Where the',
    'work says "runs in rounds", every peer ran once, then again: a slow spell of the machine falls on all alike.',
    '',
    '## Results',
    '',
    '*vs ours*: peer ÷ ours for times and memory, ours ÷ peer for throughput — above 1 ours is ahead,',
    'below 1 the peer is. *accuracy* is the test accuracy the peer reached on the measured work and',
    "*ours'* ours' on the same work; *check* flags a peer whose accuracy is off (it did other or less work).",
    '',
  );
  for (const [metric, rows] of byMetric(results.rows)) {
    const def = METRICS[metric];
    lines.push(`### ${def.label}`, '', `${def.unit}, ${def.better} is better.`, '');
    lines.push(
      "| peer | median | p90 | spread | vs ours | threads | accuracy | ours' | check | work | samples |",
      '|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|',
    );
    for (const r of rows) {
      if (r.status !== 'ok') {
        lines.push(`| ${r.peer} | *${r.status}* | | | | | | | | ${cell(r.reason ?? '')} | |`);
        continue;
      }
      lines.push(
        `| ${r.peer} | ${formatValue(r.value, def.unit)} | ${r.samples.length > 1 ? formatValue(quantile(r.samples, 0.9), def.unit) : '—'} | ${r.samples.length > 1 ? `${Math.round(spread(r.samples) * 100)} %` : '—'} | ${formatRatio(r.ratio)} | ${threadsOf(r)} | ${formatPct(r.accuracy)} | ${formatPct(r.reference)} | ${describeCheck(r)} | ${cell(r.work)} | ${r.samples.length} |`,
      );
    }
    lines.push('');
  }
  lines.push(`![ratios against ours](${chartFile})`, '');
  if (results.notes.length > 0) {
    lines.push('## Notes', '', ...results.notes.map((n) => `- ${n}`), '');
  }
  lines.push(
    '## Method',
    '',
    'See `apps/bench/README.md` for what each task measures and how. Raw samples, thread counts,',
    'backends and setup times are in `results.json`.',
    '',
  );
  return lines.join('\n');
}
