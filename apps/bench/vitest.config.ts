import { defineConfig } from 'vitest/config';
import { busyMachineTimeouts } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    passWithNoTests: false,
    ...busyMachineTimeouts,
  },
});
