// The few WebAssembly JS API types the kernels use (Node 20's @types/node does not declare them,
// and the DOM lib would bring in far more than we want). A module, imported for its types by
// each file that uses them, so that a program reading this package from source (the
// workspace's type checks) sees them too.
declare global {
  namespace WebAssembly {
    class Module {
      constructor(bytes: Uint8Array | ArrayBuffer);
    }
    class Instance {
      constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
    interface MemoryDescriptor {
      initial: number;
      maximum?: number;
      shared?: boolean;
    }
    class Memory {
      constructor(descriptor: MemoryDescriptor);
      readonly buffer: ArrayBuffer;
      grow(delta: number): number;
    }
  }
}

export {};
