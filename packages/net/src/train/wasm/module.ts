/**
 * The compiled kernel (packages/net/assembly/kernel.ts → dist/kernel.wasm): compiled once per
 * process and shared by every kernel and helper thread, and the functions it exports. Every
 * export takes the address of a job header (see layout.ts) rather than a list of arguments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {} from './webassembly.js';

/** The functions of packages/net/assembly/kernel.ts. */
export interface KernelExports {
  /** The first byte past the module's static data. */
  heapBase(): number;
  /** Forward and backward over part `part` of the job's batch, into that part's gradient sums. */
  gradients(job: number, part: number): void;
  /** Slice `part` of the update: the parts' mean gradient, the job's rule applied to the weights. */
  update(job: number, part: number): void;
  /** Forward over part `part` of the job's examples: loss, correct, confusion. */
  evaluate(job: number, part: number): void;
  /** Per-image counts of non-zero pixels (u32) of `count` images of 784 bytes. */
  countNonZero(pixels: number, count: number, counts: number): void;
  /** The compressed rows of `count` images, image j from position start[j] on (a table at `table`). */
  sparsify(
    pixels: number,
    count: number,
    start: number,
    index: number,
    value: number,
    table: number,
  ): void;
}

/** A file of the built package (`dist/`), also when running from sources under a test runner. */
export function builtFile(name: string): URL {
  for (const rel of [`../../${name}`, `../../../dist/${name}`]) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(
    `wasm kernel: ${name} not found next to ${fileURLToPath(import.meta.url)}; run \`pnpm build\` first`,
  );
}

let compiled: { module: WebAssembly.Module; heapBase: number } | null = null;

/** The compiled module and its heap base, made on first use and kept for the process. */
export function kernelModule(): { module: WebAssembly.Module; heapBase: number } {
  if (!compiled) {
    const module = new WebAssembly.Module(readFileSync(builtFile('kernel.wasm')));
    // The static data sits below heapBase; one throw-away instance tells where it ends.
    const probe = new WebAssembly.Memory({ initial: 16, maximum: 16384, shared: true });
    const heapBase = instantiate(module, probe).heapBase();
    compiled = { module, heapBase };
  }
  return compiled;
}

/** An instance of the kernel on `memory`. */
export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}

/** Whether this runtime can run the wasm kernel (SIMD and shared memory). */
export function wasmKernelAvailable(): boolean {
  try {
    kernelModule();
    return true;
  } catch {
    return false;
  }
}
