import { defineConfig } from 'vitest/config';

// The tests of the mutated files (see stryker.config.mjs): the network, the optimisers, IDX and
// safetensors. The CLI, trainer and real-MNIST tests spawn processes or train for seconds and
// test none of these files more closely.
export default defineConfig({
  test: {
    include: [
      'src/network/**/*.test.ts',
      'src/train/descent.prop.test.ts',
      'src/train/optimizer*.test.ts',
      'src/data/idx*.test.ts',
      'src/io/safetensors*.test.ts',
    ],
    passWithNoTests: false,
    testTimeout: 60_000,
  },
});
