// Mutation testing of the tensor package (StrykerJS 9, vitest runner). Not part of CI:
// `pnpm mutation tensor` from the root. Survivors that cannot be killed are argued in
// stryker-equivalent.md beside this file. The shared settings: scripts/stryker-base.mjs.
import { strykerBase } from '../../scripts/stryker-base.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...strykerBase,
  mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts'],
};
