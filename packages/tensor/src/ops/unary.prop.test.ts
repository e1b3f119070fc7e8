import fc from 'fast-check';
import { describe, it } from 'vitest';
import { anyNested, positive } from '../../test/arbitraries.js';
import { asTensor } from '../../test/helpers.js';
import { expectClose, expectExact, mapRef } from '../../test/reference.js';
import { exp, log, relu, reluMask } from './unary.js';

describe('unary ops', () => {
  it('exp is e^x element-wise', () => {
    fc.assert(
      fc.property(anyNested(1, 3), (x) => {
        expectClose(exp(asTensor(x)), mapRef(x, Math.exp));
      }),
    );
  });

  it('log is the natural log element-wise', () => {
    fc.assert(
      fc.property(anyNested(1, 3, positive), (x) => {
        expectClose(log(asTensor(x)), mapRef(x, Math.log));
      }),
    );
  });

  it('relu keeps positives and zeroes the rest', () => {
    fc.assert(
      fc.property(anyNested(1, 3), (x) => {
        expectExact(
          relu(asTensor(x)),
          mapRef(x, (v) => (v > 0 ? v : 0)),
        );
      }),
    );
  });

  it('reluMask is 1 where x > 0, else 0', () => {
    fc.assert(
      fc.property(anyNested(1, 3), (x) => {
        expectExact(
          reluMask(asTensor(x)),
          mapRef(x, (v) => (v > 0 ? 1 : 0)),
        );
      }),
    );
  });
});
