// Reading a job header (layout: ../src/train/wasm/layout.ts): slot s holds an address, an i32
// or an f32 at byte 4·s.

import { B2_FLOATS, B2_ROW, PART_ALIGN } from '../src/train/wasm/layout';

// @ts-ignore: decorator
@inline export function addr(base: usize, s: i32): usize {
  return <usize>load<u32>(base + (<usize>s << 2));
}
// @ts-ignore: decorator
@inline export function int(base: usize, s: i32): i32 {
  return load<i32>(base + (<usize>s << 2));
}
// @ts-ignore: decorator
@inline export function real(base: usize, s: i32): f32 {
  return load<f32>(base + (<usize>s << 2));
}

/** Bytes of a weights (or gradient, or state) block, rounded up to PART_ALIGN (as blockFloats in weights.ts). */
// @ts-ignore: decorator
@inline export function blockBytes(Hp: i32): usize {
  const bytes = (<usize>(B2_ROW * Hp + B2_FLOATS)) << 2;
  return (bytes + PART_ALIGN - 1) & ~(<usize>PART_ALIGN - 1);
}

