import { resolveShape, type SizesArg } from './create.js';
import { check } from './errors.js';
import { type LiteralShape, type Shape, sizeOf, type Writable } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). The same
 * seed always gives the same sequence on every machine. Library code never calls Math.random.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    check(Number.isInteger(seed), 'Rng', () => `seed must be an integer, got ${seed}`);
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A float uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** A standard normal sample (Box–Muller, with the spare kept). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<A extends { [i: number]: number; length: number }>(a: A): A {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Options of the random initialisers. */
export interface UniformOptions {
  /** The generator; pass one seeded `Rng` through a whole run. */
  readonly rng: Rng;
  /** @default -0.5 (the notes' init) */
  readonly low?: number;
  /** @default 0.5 */
  readonly high?: number;
}

/** Options of `randNormal`. */
export interface NormalOptions {
  readonly rng: Rng;
  /** @default 0 */
  readonly mean?: number;
  /** @default 1 */
  readonly std?: number;
}

/** A random-tensor op: a literal shape (with sizes for named dims) and its distribution's options. */
type RandomOp<Op extends string, O> = <const S extends Shape>(
  shape: S & LiteralShape<Op, S>,
  options: O,
  ...[sizes]: SizesArg<S>
) => Tensor<Writable<S>>;

/**
 * The op `op`, written once for every distribution: `sampler` checks the options and returns
 * the draw of one element; the tensor is filled in order, one draw per element.
 */
function randomOp<Op extends string, O>(op: Op, sampler: (options: O) => () => number) {
  const random: RandomOp<Op, O> = (shape, options, ...[sizes]) => {
    const draw = sampler(options);
    const r = resolveShape(op, shape, sizes);
    const data = new Float32Array(sizeOf(r.shape));
    for (let i = 0; i < data.length; i++) data[i] = draw();
    return new Tensor(r.shape, r.names, data);
  };
  return random;
}

/**
 * A tensor of uniform samples in [low, high]: drawn in [low, high), then rounded to float32, which
 * can land a draw just below `high` on `high`. `randUniform([10, 784], { rng })`.
 */
export const randUniform = randomOp('randUniform', (o: UniformOptions) => {
  const { low = -0.5, high = 0.5, rng } = o;
  check(low <= high, 'randUniform', () => `low ${low} is above high ${high}`);
  return () => rng.uniform(low, high);
});

/** A tensor of normal samples. He init for W1 is `randNormal([h, 784], { rng, std: Math.sqrt(2 / 784) })`. */
export const randNormal = randomOp('randNormal', (o: NormalOptions) => {
  const { mean = 0, std = 1, rng } = o;
  check(std >= 0, 'randNormal', () => `std must be >= 0, got ${std}`);
  return () => mean + std * rng.normal();
});
