import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expectExact, oneHotRef } from '../../test/reference.js';
import { bind } from '../create.js';
import { oneHot } from './onehot.js';

describe('oneHot', () => {
  it('puts a 1 in row label of each column', () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.array(fc.nat(11), { minLength: 1, maxLength: 8 }))
      .map(([classes, picks]) => [classes, picks.map((y) => y % classes)] as const);
    fc.assert(
      fc.property(arb, ([classes, labels]) => {
        const { y } = bind({ y: ['m'] }, { y: { data: labels, shape: [labels.length] } });
        // The class count is drawn at run time; the API wants a literal, so cast as JS would.
        expectExact(oneHot(y, classes as never), oneHotRef(labels, classes));
      }),
    );
  });
});
