import { defineConfig } from 'vitest/config';
import { busyMachineTimeouts } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: false,
    ...busyMachineTimeouts,
    // The end-to-end suite trains a model and redraws 20 digits in a real browser before its
    // first test: on a loaded 2-core machine that hook takes minutes, so it gets more room.
    hookTimeout: 600_000,
    testTimeout: 600_000,
    fileParallelism: false,
  },
});
