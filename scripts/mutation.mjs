#!/usr/bin/env node
// `pnpm mutation [tensor|net] [stryker options…]`: StrykerJS over the tensor package and the
// net package's math and formats, one package after the other (both when none is named).
// Not part of CI: a full run takes ~20 min on two quiet cores. Scope a run with
// `--mutate src/ops/matmul.ts`. Each package's config is its stryker.config.mjs; the score is
// printed at the end and written to reports/mutation/mutation.json in the package.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGES = { tensor: 'packages/tensor', net: 'packages/net' };
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: pnpm mutation [tensor|net] [stryker run options, e.g. --mutate <glob>]');
  process.exit(0);
}
const named = args[0] !== undefined && args[0] in PACKAGES ? [args.shift()] : Object.keys(PACKAGES);
let status = 0;
for (const name of named) {
  console.log(`\n== mutation testing: ${PACKAGES[name]}`);
  const run = spawnSync(`${root}node_modules/.bin/stryker`, ['run', ...args], {
    cwd: `${root}${PACKAGES[name]}`,
    stdio: 'inherit',
  });
  status ||= run.status ?? 1;
}
process.exit(status);
