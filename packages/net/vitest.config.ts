import { defineConfig } from 'vitest/config';
import { busyMachineTimeouts } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: false,
    ...busyMachineTimeouts,
  },
});
