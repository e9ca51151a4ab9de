/**
 * Swapping one of tfjs's WASM-backend kernels for a fixed version through tfjs's public kernel
 * registry, and back. The mechanism behind the kit's kernel fixes (matmul-fix.ts, copy-fix.ts),
 * which `ready()` installs from lesson 01 on.
 *
 * The stock KernelConfig is kept on the fixed kernelFunc itself (not in a module variable), so that
 * two copies of the kit in one process — dist/ and src/ — agree on what is installed. The stock
 * config's setupFunc/disposeFunc stay in place, so a swap works before or after
 * `tf.setBackend("wasm")`.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm"; // registers the "wasm" backend and its kernels

const BACKEND = "wasm";
/** Property of a fixed kernelFunc holding the stock KernelConfig. */
const ORIGINAL = "dlbbStockKernel";

/** The stock KernelConfig that the kernel now registered as `name` replaced, or undefined if it is stock. */
function stockOf(name: string): tf.KernelConfig | undefined {
  const config = tf.getKernel(name, BACKEND);
  return config == null ? undefined : (config.kernelFunc as unknown as Record<string, tf.KernelConfig | undefined>)[ORIGINAL];
}

/** True when the kernel the engine will run for `name` on wasm is a fixed one. */
export function isSwapped(name: string): boolean {
  return stockOf(name) !== undefined;
}

/**
 * Registers `fix(stock)` as the wasm kernel `name`, unless a fixed one is already there.
 * `who` names the fix in the error when the backend has no such kernel.
 */
export function swapIn(name: string, fix: (stock: tf.KernelConfig) => tf.KernelFunc, who: string): void {
  if (isSwapped(name)) return;
  const original = tf.getKernel(name, BACKEND);
  if (original == null) throw new Error(`${who}: the wasm backend has no "${name}" kernel to fix`);
  const fn = fix(original);
  Object.defineProperty(fn, ORIGINAL, { value: original });
  tf.unregisterKernel(name, BACKEND);
  tf.registerKernel({ ...original, kernelFunc: fn });
}

/** Puts the stock kernel `name` back, if a fixed one is registered. */
export function swapOut(name: string): void {
  const original = stockOf(name);
  if (original === undefined) return;
  tf.unregisterKernel(name, BACKEND);
  tf.registerKernel(original);
}
