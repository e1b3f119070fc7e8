// Mutation testing of the net package's math and formats (StrykerJS 9, vitest runner). Not
// part of CI: `pnpm mutation net` from the root. Survivors that cannot be killed are argued in
// stryker-equivalent.md beside this file.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: [
    'src/network/**/*.ts',
    '!src/network/**/*.test.ts',
    'src/train/optimizer.ts',
    'src/data/idx.ts',
    'src/io/safetensors.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
