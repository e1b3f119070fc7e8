import type { Params } from '../network/params.js';
import type { FlatGradients } from './kernel.js';

/** How parameters move along their gradients. */
export type OptimizerName =
  /** The notes' rule: `W := W − α dW`. With the full batch this is the notes' gradient descent. */
  | 'sgd'
  /** Heavy-ball momentum: `v := μ v + dW`, `W := W − α v`. */
  | 'momentum'
  /** Adam (Kingma & Ba, 2015), with bias correction. */
  | 'adam';

/** Settings of the optimisers. */
export interface OptimizerSettings {
  readonly name: OptimizerName;
  /** Momentum μ. @default 0.9 */
  readonly momentum?: number;
  /** Adam's β1, β2, ε. @default 0.9, 0.999, 1e-8 */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** The settings an optimiser takes when not given (the wasm kernel's update uses them too). */
export function optimizerSettings(settings: OptimizerSettings): Required<OptimizerSettings> {
  return { momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, ...settings };
}

/** An optimiser with its state (velocities, moments) for one set of parameters. */
export class Optimizer {
  private readonly settings: Required<OptimizerSettings>;
  private readonly state1: Float64Array[];
  private readonly state2: Float64Array[];
  private t = 0;

  constructor(p: Params, settings: OptimizerSettings) {
    this.settings = optimizerSettings(settings);
    const sizes = [p.W1.size, p.b1.size, p.W2.size, p.b2.size];
    // Stryker disable next-line ConditionalExpression,StringLiteral: state an optimiser never reads changes only memory (stryker-equivalent.md)
    const stateful = settings.name !== 'sgd';
    this.state1 = sizes.map((n) => new Float64Array(stateful ? n : 0));
    // Stryker disable next-line ConditionalExpression: state an optimiser never reads changes only memory (stryker-equivalent.md)
    this.state2 = sizes.map((n) => new Float64Array(settings.name === 'adam' ? n : 0));
  }

  /** One update of every parameter with learning rate α, in place. */
  apply(p: Params, g: FlatGradients, alpha: number): void {
    this.t++;
    const params = [p.W1.data, p.b1.data, p.W2.data, p.b2.data];
    const grads = [g.dW1, g.db1, g.dW2, g.db2];
    for (let i = 0; i < 4; i++)
      this.applyOne(params[i]!, grads[i]!, this.state1[i]!, this.state2[i]!, alpha);
  }

  private applyOne(
    w: Float32Array,
    d: Float64Array,
    s1: Float64Array,
    s2: Float64Array,
    alpha: number,
  ): void {
    const { name, momentum, beta1, beta2, epsilon } = this.settings;
    const n = w.length;
    if (name === 'sgd') {
      // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
      for (let i = 0; i < n; i++) w[i] = w[i]! - alpha * d[i]!;
    } else if (name === 'momentum') {
      // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
      for (let i = 0; i < n; i++) {
        const v = momentum * s1[i]! + d[i]!;
        s1[i] = v;
        w[i] = w[i]! - alpha * v;
      }
    } else {
      const c1 = 1 - beta1 ** this.t;
      const c2 = 1 - beta2 ** this.t;
      // Stryker disable next-line EqualityOperator: one turn past the end only touches past the end (stryker-equivalent.md)
      for (let i = 0; i < n; i++) {
        const gi = d[i]!;
        const m = beta1 * s1[i]! + (1 - beta1) * gi;
        const v = beta2 * s2[i]! + (1 - beta2) * gi * gi;
        s1[i] = m;
        s2[i] = v;
        w[i] = w[i]! - (alpha * (m / c1)) / (Math.sqrt(v / c2) + epsilon);
      }
    }
  }
}
