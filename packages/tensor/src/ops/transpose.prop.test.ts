import fc from 'fast-check';
import { describe, it } from 'vitest';
import { anyMatrix } from '../../test/arbitraries.js';
import { asMatrix } from '../../test/helpers.js';
import { expectExact, transposeRef } from '../../test/reference.js';
import { transpose } from './transpose.js';

describe('transpose', () => {
  it('equals the two-loop transpose', () => {
    fc.assert(
      fc.property(anyMatrix(), (a) => {
        expectExact(transpose(asMatrix(a)), transposeRef(a));
      }),
    );
  });

  it('twice is the identity', () => {
    fc.assert(
      fc.property(anyMatrix(), (a) => {
        expectExact(transpose(transpose(asMatrix(a))), a);
      }),
    );
  });
});
