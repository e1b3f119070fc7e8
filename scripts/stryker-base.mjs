// The StrykerJS 9 settings both mutation-tested packages share (vitest runner, per-test
// coverage, two workers, the JSON report under reports/mutation/). Each package's
// stryker.config.mjs adds what it mutates; `pnpm mutation` (scripts/mutation.mjs) runs them.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const strykerBase = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts' },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
