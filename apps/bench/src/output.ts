import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from './markdown.js';
import type { Results } from './results.js';
import { renderSvg } from './svg.js';

/** The folder name of a run: its start time, `2025-01-31T12-00-00Z`. */
export function timestampName(iso: string): string {
  return `${iso.slice(0, 19).replace(/:/g, '-')}Z`;
}

/** The files a run writes: results.json, report.md, ratios.svg. */
export function renderFiles(results: Results): Record<string, string> {
  return {
    'results.json': `${JSON.stringify(results, null, 2)}\n`,
    'report.md': renderMarkdown(results, 'ratios.svg'),
    'ratios.svg': renderSvg(results),
  };
}

/**
 * Writes the files to `<root>/<timestamp>/` and, for a full run, to `<root>/latest/` (replaced);
 * returns both folders. A `--quick` run goes to `<root>/<timestamp>-quick/` only: a smoke test
 * never replaces the last full run, which `latest/` keeps (it is committed, and the README's table
 * is made from it).
 */
export function writeResults(
  root: string,
  results: Results,
): { dir: string; latest: string | null } {
  const files = renderFiles(results);
  const dir = join(root, `${timestampName(results.startedAt)}${results.quick ? '-quick' : ''}`);
  const latest = results.quick ? null : join(root, 'latest');
  if (latest) rmSync(latest, { recursive: true, force: true });
  for (const folder of latest ? [dir, latest] : [dir]) {
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  }
  return { dir, latest };
}
