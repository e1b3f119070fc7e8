import { defineConfig } from 'vitest/config';

// The unit and property tests, without the compile-time tests (test/typecheck.test.ts): they
// check types, which mutants of the run-time code do not change, and take most of the time.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    passWithNoTests: false,
    testTimeout: 60_000,
  },
});
