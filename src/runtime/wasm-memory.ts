/**
 * Shared WebAssembly memory for the kit's two kernel worker pools (float32 products for tfjs in
 * tfjs-kernels/gemm-threads.ts, float64 products for the from-scratch network in float64/worker-pool.ts).
 * Runtime room: lessons never see it.
 */

// The few WebAssembly names used (the kit compiles against lib ES2020, which does not declare them).
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The runtime's WebAssembly, or undefined where there is none. */
export const WebAssemblyApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Bytes in a WebAssembly page. */
export const PAGE = 65536;
/** The most a pool's memory may grow to: 16,384 pages, 1 GiB. */
export const MAX_PAGES = 16384;

/** `bytes` rounded up to a whole cache line (64 bytes), where each operand of a job starts. */
export const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** Grows `memory` to at least `bytes`; false if it cannot. */
export function ensureMemory(memory: WasmMemory, bytes: number): boolean {
  if (bytes > MAX_PAGES * PAGE) return false;
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE));
    return true;
  } catch {
    return false;
  }
}
