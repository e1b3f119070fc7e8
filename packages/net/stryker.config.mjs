// Mutation testing of the net package's math and formats (StrykerJS 9, vitest runner). Not
// part of CI: `pnpm mutation net` from the root. Survivors that cannot be killed are argued in
// stryker-equivalent.md beside this file. The shared settings: scripts/stryker-base.mjs.
import { strykerBase } from '../../scripts/stryker-base.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...strykerBase,
  mutate: [
    'src/network/**/*.ts',
    '!src/network/**/*.test.ts',
    'src/train/optimizer.ts',
    'src/data/idx.ts',
    'src/io/safetensors.ts',
  ],
};
