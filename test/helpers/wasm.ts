// Test helpers for the wasm backend.
import * as tf from "@tensorflow/tfjs";

/** How often the current backend's readSync (on wasm: a copy out of WebAssembly memory) runs during fn. */
export function readSyncCalls(fn: () => void): number {
  const backend = tf.engine().backend as unknown as { readSync: (...args: unknown[]) => unknown };
  const original = backend.readSync;
  let calls = 0;
  backend.readSync = function (this: unknown, ...args: unknown[]) {
    calls++;
    return original.apply(this, args);
  };
  try {
    fn();
  } finally {
    backend.readSync = original;
  }
  return calls;
}
