// Reading a job header (layout: ../src/train/wasm/layout.ts): slot s holds an address, an i32
// or an f32 at byte 4·s.

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
