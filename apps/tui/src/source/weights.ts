/** The weights a job's `/weights` route sends (safetensors) as the dashboard's Weights. */
import { CLASSES, decodeSafetensors, PIXELS } from '@mnist/net';
import type { Weights } from '../state/state.js';

/**
 * W1 (H, 784), b1 (H, 1) or (H), W2 (10, H), b2 (10, 1) or (10), F32; throws naming the tensor
 * and both shapes when one does not fit.
 */
export function weightsFromSafetensors(bytes: Uint8Array, source: string): Weights {
  const { tensors } = decodeSafetensors(bytes, source);
  const W1 = tensors.W1;
  const H = W1?.shape[0] ?? 0;
  const want: Record<string, number[]> = {
    W1: [H, PIXELS],
    b1: [H, 1],
    W2: [CLASSES, H],
    b2: [CLASSES, 1],
  };
  for (const [name, shape] of Object.entries(want)) {
    const t = tensors[name];
    const got = t ? `(${t.shape.join(', ')})` : 'nothing';
    const fits = t && t.data.length === shape[0]! * shape[1]! && t.shape[0] === shape[0];
    if (!fits || H < 1)
      throw new Error(`${source}: expected ${name} of shape (${shape.join(', ')}), got ${got}`);
  }
  return {
    hidden: H,
    W1: W1!.data,
    b1: tensors.b1!.data,
    W2: tensors.W2!.data,
    b2: tensors.b2!.data,
  };
}
