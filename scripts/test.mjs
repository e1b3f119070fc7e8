#!/usr/bin/env node
// `pnpm test`: builds, type-checks and tests every workspace through turbo (cached), then sums
// the vitest JSON reports each package's `test` task writes (reports/vitest.json, restored by
// turbo on a cache hit) into one closing line: `N passed, N failed`.
// Exits non-zero when a task failed, a test failed, or no test ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group)))
    rmSync(join(root, group, name, 'reports'), { recursive: true, force: true });
}
const turbo = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', 'typecheck', 'test', '--continue'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  },
);
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const file = join(root, group, name, 'reports', 'vitest.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    rows.push(
      `${`${group}/${name}`.padEnd(18)} ${String(r.numPassedTests).padStart(5)} passed ${String(r.numFailedTests).padStart(3)} failed ${String(r.numPendingTests).padStart(3)} skipped`,
    );
  }
}
console.log(`\nTests by package:\n${rows.map((r) => `  ${r}`).join('\n')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (turbo.status !== 0)
  console.error(
    `turbo exited with ${turbo.status ?? turbo.signal}: a build, type check or test task failed (see above)`,
  );
process.exit(turbo.status !== 0 || failed > 0 || passed === 0 ? 1 : 0);
