/**
 * A speed fix for tfjs's RMSprop update on the WASM backend (lesson 01: Chollet's first network is
 * compiled with `optimizer: "rmsprop"`; installed by `ready()` with the kernel fixes).
 *
 * tfjs 4.22's RMSPropOptimizer updates each weight tensor with fifteen element-wise operations —
 * it even computes the new mean square twice — each writing a new tensor: for the 784×512 weights
 * of the first Dense layer that is fifteen passes over 1.6 MB at every step. The fix does the same
 * update in one pass over the numbers, reading the weights, gradient and the two accumulators
 * where they lie in the backend's memory:
 *
 *     ms  ← ms·ρ + g²·(1 − ρ)
 *     mom ← mom·momentum + g·lr / √(ms + ε)
 *     w   ← w − mom
 *
 * with every operation rounded to float32 in the same order as the stock operations, so the
 * results are identical to the bit. The pass is `rmsprop-f32.wat` (four numbers at a time), run in
 * the backend's own WebAssembly memory; where that memory cannot be reached, a JavaScript loop does
 * the same arithmetic (about 8× slower: ~3 ms a step for the first Dense layer's weights here). Centered RMSprop, other backends and other dtypes keep the
 * stock method. The accumulators are the same variables (same names) as stock tfjs creates, so
 * saving and restoring an optimizer's weights is unchanged.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { wasmBinary } from "../wasm-binary";
import { WebAssemblyApi, type WasmMemory } from "../wasm-memory";

type Info = tf.TensorInfo;
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(t: Info): Float32Array | Int32Array | Uint8Array;
  /** the Emscripten module; `asm.memory` is the backend's WebAssembly memory (internal) */
  wasm?: { asm?: { memory?: WasmMemory } };
}
/** rmsprop-f32.wat's export: byte addresses of w, g, ms, mom, ms', mom', w', then n and the constants. */
type Kernel = (w: number, g: number, ms: number, mom: number, msOut: number, momOut: number, wOut: number, n: number,
  decay: number, keep: number, momentum: number, lr: number, eps: number) => void;
/** The kernel instantiated on a backend's memory (`run` undefined: it could not be). */
let kernel: { memory: WasmMemory; run: Kernel | undefined } | undefined;

function wasmKernel(be: WasmBackend): Kernel | undefined {
  const memory = be.wasm?.asm?.memory;
  if (!memory || !WebAssemblyApi) return undefined;
  if (kernel?.memory !== memory) {
    let run: Kernel | undefined;
    try {
      const module = new WebAssemblyApi.Module(wasmBinary(__dirname, "rmsprop-f32"));
      run = new WebAssemblyApi.Instance(module, { env: { memory } }).exports.rmsprop as Kernel;
    } catch {
      run = undefined;
    }
    kernel = { memory, run };
  }
  return kernel.run;
}

/** Which pass the fix uses on the current backend: "wasm" (rmsprop-f32.wat) or "js" (the fallback loop). */
export function rmspropPass(): "wasm" | "js" {
  return wasmKernel(tf.backend() as unknown as WasmBackend) ? "wasm" : "js";
}
type Gradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
type Accumulator = { originalName: string; variable: tf.Variable };
/** The fields of RMSPropOptimizer the update reads (protected in tfjs's typings). */
interface RmspropFields {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
  accumulatedMeanSquares: Accumulator[];
  accumulatedMoments: Accumulator[];
  incrementIterations(): void;
}

const proto = tf.RMSPropOptimizer.prototype as unknown as { applyGradients(g: Gradients): void };
/** Property of the fixed method holding the stock one. */
const ORIGINAL = "dlbbStockApplyGradients";

function stockMethod(): ((g: Gradients) => void) | undefined {
  return (proto.applyGradients as unknown as Record<string, ((g: Gradients) => void) | undefined>)[ORIGINAL];
}

/** True when RMSPropOptimizer.applyGradients is the kit's one-pass update. */
export function isRmspropFixInstalled(): boolean {
  return stockMethod() !== undefined;
}

/** A new tensor on the wasm backend with `data` written by `fill`, as a tfjs Tensor. */
function newTensor(be: WasmBackend, shape: number[]): { tensor: tf.Tensor; info: Info } {
  const info = be.makeOutput(shape, "float32");
  return { tensor: tf.engine().makeTensorFromTensorInfo(info), info };
}

function fused(this: RmspropFields, stock: (g: Gradients) => void, gradients: Gradients): void {
  const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
  const grads = names.map((name, i) => (Array.isArray(gradients) ? gradients[i].tensor : gradients[name]));
  const values = names.map((name) => tf.engine().registeredVariables[name]);
  const applies =
    tf.getBackend() === "wasm" &&
    !this.centered &&
    values.every((v, i) => v != null && v.dtype === "float32" && (grads[i] == null || (grads[i].dtype === "float32" && grads[i].size === v.size)));
  if (!applies) return stock.call(this, gradients);
  const be = tf.backend() as unknown as WasmBackend;
  const f = Math.fround;
  const decay = f(this.decay);
  const keep = f(1 - this.decay);
  const momentum = f(this.momentum);
  const lr = f(this.learningRate);
  const eps = f(this.epsilon);
  names.forEach((name, i) => {
    const value = values[i];
    // the accumulators, created as stock tfjs creates them
    if (this.accumulatedMeanSquares[i] == null) {
      this.accumulatedMeanSquares[i] = { originalName: `${name}/rms`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    }
    if (this.accumulatedMoments[i] == null) {
      this.accumulatedMoments[i] = { originalName: `${name}/momentum`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    }
    const gradient = grads[i];
    if (gradient == null) return;
    const ms = this.accumulatedMeanSquares[i].variable;
    const mom = this.accumulatedMoments[i].variable;
    const outs = [newTensor(be, value.shape), newTensor(be, value.shape), newTensor(be, value.shape)];
    try {
      // views taken after the outputs are made: a new output may grow the memory and detach older views
      const [msOut, momOut, wOut] = outs.map((o) => be.typedArrayFromHeap(o.info) as Float32Array);
      const g = be.typedArrayFromHeap(gradient) as Float32Array;
      const msIn = be.typedArrayFromHeap(ms) as Float32Array;
      const momIn = be.typedArrayFromHeap(mom) as Float32Array;
      const w = be.typedArrayFromHeap(value) as Float32Array;
      const run = wasmKernel(be);
      if (run) {
        // byteOffset of a view of the heap: the tensor's address in the backend's memory
        run(w.byteOffset, g.byteOffset, msIn.byteOffset, momIn.byteOffset, msOut.byteOffset, momOut.byteOffset, wOut.byteOffset, w.length,
          decay, keep, momentum, lr, eps);
      } else {
        for (let j = 0; j < w.length; j++) {
          const gj = g[j];
          const s = f(f(msIn[j] * decay) + f(f(gj * gj) * keep));
          const m = f(f(momIn[j] * momentum) + f(f(gj * lr) / f(Math.sqrt(f(s + eps)))));
          msOut[j] = s;
          momOut[j] = m;
          wOut[j] = f(w[j] - m);
        }
      }
      ms.assign(outs[0].tensor as tf.Tensor);
      mom.assign(outs[1].tensor as tf.Tensor);
      value.assign(outs[2].tensor as tf.Tensor);
    } finally {
      for (const o of outs) o.tensor.dispose(); // assign keeps its own reference
    }
  });
  this.incrementIterations();
}

/** Replace RMSPropOptimizer.applyGradients with the one-pass update. Idempotent. */
export function installRmspropFix(): void {
  if (isRmspropFixInstalled()) return;
  const stock = proto.applyGradients;
  const fn = function (this: RmspropFields, gradients: Gradients): void {
    fused.call(this, stock, gradients);
  };
  Object.defineProperty(fn, ORIGINAL, { value: stock });
  proto.applyGradients = fn;
}

/** Put the stock method back (for benchmarks that compare against stock tfjs). */
export function uninstallRmspropFix(): void {
  const stock = stockMethod();
  if (stock !== undefined) proto.applyGradients = stock;
}
