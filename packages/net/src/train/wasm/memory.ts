/**
 * One shared WebAssembly memory and a bump allocator over it. Every thread of the wasm kernel
 * instantiates the module on this memory, so the data and the weights exist once.
 */
import type {} from './webassembly.js';
export class SharedHeap {
  readonly memory: WebAssembly.Memory;
  private top: number;
  /** Views of the whole memory, renewed when it grows (a grown shared buffer is a new object). */
  u8!: Uint8Array;
  u16!: Uint16Array;
  i32!: Int32Array;
  u32!: Uint32Array;
  f32!: Float32Array;
  f64!: Float64Array;

  constructor(base: number, initialPages = 64) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: 16384, shared: true });
    this.top = align(base, 64);
    this.renew();
  }

  private renew(): void {
    const b = this.memory.buffer;
    this.u8 = new Uint8Array(b);
    this.u16 = new Uint16Array(b);
    this.i32 = new Int32Array(b);
    this.u32 = new Uint32Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
  }

  /** Reserves `bytes` (zeroed: fresh memory is zero) aligned to 64 bytes; returns the offset. */
  alloc(bytes: number): number {
    const at = align(this.top, 64);
    const end = at + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      this.memory.grow(Math.ceil((end - have) / 65536));
      this.renew();
    }
    this.top = end;
    return at;
  }
}

export function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
