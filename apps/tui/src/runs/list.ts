/** `pnpm start runs`: the runs recorded so far, one line each. */

import { basename } from 'node:path';
import { duration } from '@mnist/net/cli';
import { rate } from '../render/text.js';
import { readRun, runDirs } from './read.js';

const COLUMNS = ['run', 'date', 'preset', 'hidden', 'α', 'test acc', 'time', 'status'] as const;

/** The runs under `root` as an aligned table (oldest first), or a line saying there are none. */
export function runsTable(root: string): string {
  const rows = runDirs(root).map((dir) => {
    try {
      const { info } = readRun(dir);
      const changed = info.learningRateChanges.length;
      return [
        basename(dir),
        info.createdAt.slice(0, 16).replace('T', ' '),
        info.preset ?? '?',
        info.hidden === null ? '?' : String(info.hidden),
        info.learningRate === null
          ? '?'
          : `${rate(info.learningRate)}${changed ? ` (${changed}× changed)` : ''}`,
        info.final ? `${(info.final.test.accuracy * 100).toFixed(2)}%` : '–',
        info.final ? duration(info.final.elapsedMs) : '–',
        `${info.status}${info.resumedFrom ? ' (resumed)' : ''}`,
      ];
    } catch (e) {
      return [basename(dir), `unreadable: ${(e as Error).message}`, '', '', '', '', '', ''];
    }
  });
  if (!rows.length) return `no runs in ${root} yet (every pnpm start records one)`;
  const table = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => [...(r[i] ?? '')].length)));
  return table
    .map((r) =>
      r
        .map((c, i) => (i === 3 || i === 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
