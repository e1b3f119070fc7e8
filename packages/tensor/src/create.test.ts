import { describe, expect, it } from 'vitest';
import { expectShapeError } from '../test/helpers.js';
import { bind, clone, fill, flatten, ones, reshape, tensor, zeros, zerosLike } from './create.js';
import { Rng, randUniform } from './random.js';

const raw = (shape: number[], count = shape.reduce((a, b) => a * b, 1)) => ({
  data: new Float32Array(count),
  shape,
});

describe('tensor', () => {
  it('infers the shape of a nested array literal', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dims).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor([]).shape).toEqual([0]);
  });

  it('refuses a ragged nested array, naming where', () => {
    expectShapeError(() => tensor([[1, 2], [3]] as never), {
      op: 'tensor',
      message: 'tensor: ragged nested array: [1] has length 1, expected length 2 (shape [2, 2])',
      shapes: [[2, 2]],
    });
    expectShapeError(() => tensor([[1, 2], 3] as never), {
      op: 'tensor',
      message: 'tensor: ragged nested array: [1] has a number, expected length 2 (shape [2, 2])',
      shapes: [[2, 2]],
    });
    expectShapeError(
      () =>
        tensor([
          [[1], [2]],
          [[3], [4, 5]],
        ] as never),
      {
        op: 'tensor',
        message:
          'tensor: ragged nested array: [1][1] has length 2, expected length 1 (shape [2, 2, 1])',
        shapes: [[2, 2, 1]],
      },
    );
  });

  it('refuses an element that is not a number', () => {
    expectShapeError(() => tensor([[1, 'a']] as never), {
      op: 'tensor',
      message: 'tensor: element at [0][1] is "a", expected a number',
    });
    expectShapeError(() => tensor([1, [2]] as never), {
      op: 'tensor',
      message: 'tensor: element at [1] is [2], expected a number',
    });
  });
});

describe('zeros, ones, fill, zerosLike, clone', () => {
  it('make tensors of a literal shape, sizes given for named dims', () => {
    const Z = zeros([10, 'm'], { m: 3 });
    expect(Z.shape).toEqual([10, 3]);
    expect(Z.dims).toEqual([10, 'm']);
    expect(Z.data.every((v) => v === 0)).toBe(true);
    expect(ones([2]).toArray()).toEqual([1, 1]);
    expect(fill([2, 1], 7).toArray()).toEqual([[7], [7]]);
    const L = zerosLike(fill(['n'], 5, { n: 2 }));
    expect(L.dims).toEqual(['n']);
    expect(L.toArray()).toEqual([0, 0]);
    const A = tensor([1, 2]);
    const C = clone(A);
    C.data[0] = 9;
    expect(A.toArray()).toEqual([1, 2]);
  });

  it.each([
    ['zeros', () => zeros([10, 'm'], {} as never)],
    ['ones', () => ones([10, 'm'], {} as never)],
    ['fill', () => fill([10, 'm'], 1, {} as never)],
    ['randUniform', () => randUniform([10, 'm'], { rng: new Rng(1) }, {} as never)],
  ])('%s refuses a named dim with no size given', (op, make) => {
    expectShapeError(make, {
      op,
      message: `${op}: no size given for named dim 'm' of [10, m]`,
      shapes: [[10, 'm']],
    });
  });

  it('refuses sizes that are not non-negative integers', () => {
    expectShapeError(() => zeros([2.5, 2] as never), {
      op: 'zeros',
      message: 'zeros: dims must be non-negative integers, got 2.5 in [2.5, 2]',
      shapes: [[2.5, 2]],
    });
    expectShapeError(() => zeros([10, 'm'], { m: -1 }), {
      op: 'zeros',
      message: "zeros: no size given for named dim 'm' of [10, m]",
      shapes: [[10, 'm']],
    });
    expectShapeError(() => zeros(784 as never), {
      op: 'zeros',
      message: 'zeros: shape must be an array of dims, got 784',
      shapes: [],
    });
  });
});

describe('reshape and flatten', () => {
  it('lay the same data out in a new shape, sharing it', () => {
    const A = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const B = reshape(A, [3, 'n'], { n: 2 });
    expect(B.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(B.dims).toEqual([3, 'n']);
    expect(B.data).toBe(A.data);
    expect(flatten(A, 6).toArray()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuse an element count that differs', () => {
    expectShapeError(() => reshape(zeros([2, 3]), [4]), {
      op: 'reshape',
      message: 'reshape: cannot reshape [2, 3] (6 elements) to [4] (4 elements)',
      shapes: [[2, 3], [4]],
    });
    const { X } = bind({ X: [784, 'm'] }, { X: raw([784, 3]) });
    expectShapeError(() => reshape(X, [28, 28, 'n'], { n: 4 }), {
      op: 'reshape',
      message: 'reshape: cannot reshape [784, m] (2352 elements) to [28, 28, n] (3136 elements)',
      shapes: [
        [784, 'm'],
        [28, 28, 'n'],
      ],
    });
    expectShapeError(() => flatten(zeros([28, 28]), 780), {
      op: 'flatten',
      message: 'flatten: cannot reshape [28, 28] (784 elements) to [780] (780 elements)',
      shapes: [[28, 28], [780]],
    });
  });
});

describe('bind', () => {
  it('types untyped data and keeps the names', () => {
    const { X, Y } = bind(
      { X: [784, 'm'], Y: [10, 'm'] },
      { X: raw([784, 5]), Y: { data: Array.from({ length: 50 }, () => 0), shape: [10, 5] } },
    );
    expect(X.dims).toEqual([784, 'm']);
    expect(Y.shape).toEqual([10, 5]);
    expect(Y.data).toBeInstanceOf(Float32Array);
  });

  it('shares a Float32Array it is given, and accepts sizes known to the caller', () => {
    const r = raw([2, 3]);
    const { A } = bind({ A: ['r', 'c'] }, { A: r }, { r: 2 });
    expect(A.data).toBe(r.data);
  });

  it('refuses a wrong rank', () => {
    expectShapeError(() => bind({ X: [784, 'm'] }, { X: raw([784]) }), {
      op: 'bind X',
      message: 'bind X: expected rank 2 [784, m], got rank 1 [784]',
      shapes: [[784, 'm'], [784]],
    });
  });

  it('refuses a fixed dim that differs', () => {
    expectShapeError(() => bind({ X: [784, 'm'] }, { X: raw([785, 3]) }), {
      op: 'bind X',
      message: 'bind X: dim 0 expected 784, got 785 (expected [784, m], got [785, 3])',
      shapes: [
        [784, 'm'],
        [785, 3],
      ],
    });
  });

  it('refuses a named dim whose size differs between tensors, naming both', () => {
    expectShapeError(
      () => bind({ X: [784, 'm'], Y: [10, 'm'] }, { X: raw([784, 3]), Y: raw([10, 4]) }),
      {
        op: 'bind Y',
        message:
          "bind Y: dim 1 ('m') is 4, but m = 3 was bound by X (expected [10, m], got [10, 4])",
        shapes: [
          [10, 'm'],
          [10, 4],
        ],
      },
    );
  });

  it('refuses a named dim that differs from a size known to the caller', () => {
    expectShapeError(() => bind({ X: [784, 'm'] }, { X: raw([784, 3]) }, { m: 5 }), {
      op: 'bind X',
      message:
        "bind X: dim 1 ('m') is 3, but m = 5 was bound by the caller (expected [784, m], got [784, 3])",
      shapes: [
        [784, 'm'],
        [784, 3],
      ],
    });
  });

  it('refuses an element count that does not match the shape', () => {
    expectShapeError(() => bind({ X: [784, 'm'] }, { X: raw([784, 3], 2351) }), {
      op: 'bind X',
      message: 'bind X: shape [784, 3] needs 2352 elements, got 2351',
      shapes: [[784, 3]],
    });
  });

  it('refuses a shape with a dim that is not a size', () => {
    expectShapeError(() => bind({ X: [784, 'm'] }, { X: { data: [], shape: [784, 1.5] } }), {
      op: 'bind X',
      message: 'bind X: shape [784, 1.5] has a dim that is not a non-negative integer',
      shapes: [[784, 1.5]],
    });
  });

  it('refuses missing data and data without a spec', () => {
    expectShapeError(() => bind({ X: [784, 'm'] }, {} as never), {
      op: 'bind X',
      message: 'bind X: no data given for X',
      shapes: [],
    });
    expectShapeError(() => bind({ X: [2] }, { X: raw([2]), Y: raw([2]) } as never), {
      op: 'bind',
      message: 'bind: got data for Y, which has no spec',
      shapes: [],
    });
  });
});

describe('bind: what each raw tensor must carry', () => {
  it('refuses a missing tensor, a missing shape or missing data by name', () => {
    const ok = raw([784, 3]);
    for (const X of [undefined, { data: ok.data }, { shape: ok.shape }]) {
      expectShapeError(() => bind({ X: [784, 'm'] }, { X: X as never }), {
        op: 'bind X',
        message: 'bind X: no data given for X',
      });
    }
  });

  it('names only the named dims of the spec: fixed dims have no name', () => {
    const { X } = bind({ X: [784, 'm'] }, { X: raw([784, 3]) });
    expect(X.names).toEqual([null, 'm']);
    expect(X.dims).toEqual([784, 'm']);
  });
});
