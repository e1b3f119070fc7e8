/**
 * One shared WebAssembly memory and a bump allocator over it. Every thread of the wasm kernel
 * instantiates the module on this memory, so the data and the weights exist once.
 */
export class SharedHeap {
  readonly memory: WebAssembly.Memory;
  private top: number;

  constructor(base: number, initialPages = 64) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: 16384, shared: true });
    this.top = align(base, 64);
  }

  /** Reserves `bytes` (zeroed: fresh memory is zero) aligned to 64 bytes; returns the offset. */
  alloc(bytes: number): number {
    const at = align(this.top, 64);
    const end = at + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / 65536));
    this.top = end;
    return at;
  }

  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  u8(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, offset, length);
  }

  u32(offset: number, length: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, offset, length);
  }

  i32(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }

  f64(offset: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, offset, length);
  }
}

export function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
