import { defineConfig } from 'vitest/config';
import { busyMachineTimeouts } from '../../vitest.shared.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    passWithNoTests: false,
    ...busyMachineTimeouts,
    // Ink renders only the last frame when CI is set; the dashboard's tests read every frame.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
