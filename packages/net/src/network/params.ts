import {
  type AnyDim,
  type Dim,
  type Rng,
  randNormal,
  randUniform,
  type Tensor,
  zeros,
} from '@mnist/tensor';

/** Pixels per image (28×28) and classes (digits 0…9). */
export const PIXELS = 784;
export const CLASSES = 10;

/**
 * The notes' parameters. `H` is the hidden width: 10 in the notes (`W1` is 10×784), a named dim
 * `'h'` when it is chosen at run time.
 */
export interface Params<H extends Dim = AnyDim> {
  readonly W1: Tensor<[H, 784]>; // (H, 784)
  readonly b1: Tensor<[H, 1]>; //   (H, 1)
  readonly W2: Tensor<[10, H]>; //  (10, H)
  readonly b2: Tensor<[10, 1]>; //  (10, 1)
}

/** The parameter names, in the order they are saved. */
export const PARAM_NAMES = ['W1', 'b1', 'W2', 'b2'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/** How weights start. */
export type InitScheme =
  /** The notes: every weight and bias uniform in [−0.5, 0.5]. */
  | 'uniform'
  /** He: weights normal with std √(2 / fan-in), biases 0; suits ReLU. */
  | 'he';

/** Fresh parameters of hidden width `hidden`, drawn from `rng`. */
export function initParams(hidden: number, init: InitScheme, rng: Rng): Params<'h'> {
  const h = { h: hidden };
  if (init === 'uniform') {
    return {
      W1: randUniform(['h', 784], { rng }, h),
      b1: randUniform(['h', 1], { rng }, h),
      W2: randUniform([10, 'h'], { rng }, h),
      b2: randUniform([10, 1], { rng }),
    };
  }
  return {
    W1: randNormal(['h', 784], { rng, std: Math.sqrt(2 / PIXELS) }, h),
    b1: zeros(['h', 1], h),
    W2: randNormal([10, 'h'], { rng, std: Math.sqrt(2 / hidden) }, h),
    b2: zeros([10, 1]),
  };
}

/** The hidden width of a set of parameters. */
export function hiddenWidth(p: Params): number {
  return p.W1.shape[0]!;
}
