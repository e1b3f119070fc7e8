// The bench's pure parts, for its tests and anyone reading results.json. The runnable entry is
// main.ts (`pnpm bench`); the peers are peers/ours.ts, peers/tfjs.ts and peers/numpy_peer.py.
export { type BenchArgs, BenchUsageError, HELP, parseBenchArgs } from './args.js';
export {
  type ChildResult,
  parseTimeReport,
  parseVmHwm,
  type RssMethod,
  runChild,
} from './child.js';
export { formatMs, formatPct, formatRate, formatRatio, formatValue, sig3 } from './format.js';
export { renderMarkdown } from './markdown.js';
export { FULL_PLAN, type Plan, QUICK_PLAN, type Repeats } from './plan.js';
export {
  lastJsonLine,
  PEERS,
  type PeerName,
  type PeerOutput,
  type PrepareOutput,
  TASKS,
  type TaskName,
  WORK,
} from './protocol.js';
export {
  checkAccuracy,
  type MachineInfo,
  METRICS,
  type MetricName,
  type Results,
  type Row,
  row,
  withRatios,
} from './results.js';
export { afterWarmup, median, ratio, spread } from './stats.js';
export { escapeXml, renderSvg } from './svg.js';
export { renderTable } from './table.js';
export { readWeights, writeWeights } from './weights.js';
