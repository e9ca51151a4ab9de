/**
 * A speed fix for matrix products on tfjs's WASM backend (used by every lesson that trains,
 * first in lesson 01, where Chollet's first network learns MNIST).
 *
 * In @tensorflow/tfjs-backend-wasm 4.22 a product C = A·B only reaches the fast XNNPACK SIMD
 * code (~24 GFLOP/s on one core) when neither operand is transposed and there is one matrix per
 * operand. Otherwise it runs a plain scalar loop (~1 GFLOP/s). Backprop through a Dense layer
 * needs exactly the transposed products — dW = xᵀ·dy and dx = dy·Wᵀ — so training was ~20× slower
 * than it should be.
 *
 * The fix replaces the backend's `BatchMatMul` and `_FusedMatMul` kernels, through tfjs's public
 * kernel registry, with versions that
 *   1. transpose a transposed operand explicitly (a cheap memory copy), then
 *   2. hand untransposed matrices to the original kernel, which takes the fast path;
 *   3. for a stack of matrices times one matrix, fold the stack into one tall matrix
 *      ([b, m, k] → [b·m, k]) and for two equal stacks multiply matrix by matrix.
 * The result is the same product, computed by the same XNNPACK code the forward pass uses.
 *
 * Before all that, float32 products of one matrix by one matrix (or a stack of untransposed matrices
 * by one matrix) — every product of a Dense layer, forward and backward — go to the kit's own
 * kernel on several threads (gemm-threads.ts, gemm-f32.wat): it reads a transposed operand in place,
 * adds _FusedMatMul's bias and applies its ReLU as it stores C, and skips the zeros of A (pixels, ReLU
 * outputs), so it needs neither the explicit transpose nor separate bias and activation passes.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm"; // registers the "wasm" backend and its kernels
import { isSwapped, swapIn, swapOut } from "./registry";
import { gemm } from "./gemm-threads";

type Info = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];
/** The part of the WASM backend object the fix uses (a public method of every tfjs backend). */
interface Backend {
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(t: Info): Float32Array | Int32Array | Uint8Array;
}

const BACKEND = "wasm";
const KERNELS = ["BatchMatMul", "_FusedMatMul"] as const;
/** Multiply two stacks matrix by matrix only when each product is big enough to repay the extra kernel calls. */
const MIN_FLOPS_PER_MATRIX = 1 << 16;

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);
const view = (t: Info, shape: number[]): Info => ({ dataId: t.dataId, shape, dtype: t.dtype });

/** Run the wasm backend's registered kernel `name` directly (no engine bookkeeping). */
function run(name: string, inputs: KernelArgs["inputs"], attrs: tf.NamedAttrMap, backend: object): Info {
  const config = tf.getKernel(name, BACKEND);
  if (config == null) throw new Error(`matmul-fix: the wasm backend has no "${name}" kernel`);
  return config.kernelFunc({ inputs, attrs, backend }) as Info;
}


/** xᵀ over the last two axes, as a new tensor the caller must dispose. */
function transposeLast2(x: Info, backend: object): Info {
  const r = x.shape.length;
  const perm = x.shape.map((_, i) => (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2));
  return run("Transpose", { x }, { perm }, backend);
}

/**
 * C = A·B for untransposed A [..., m, k] and B [..., k, n], using the original kernel
 * (`multiply`) only on single matrices where it can.
 */
function productOfStacks(a: Info, b: Info, backend: Backend, multiply: (a: Info, b: Info) => Info): Info {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = size(outerA);
  const batchB = size(outerB);
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const outShape = [...outer, m, n];
  if (batchA === 1 && batchB === 1) {
    const c = multiply(view(a, [1, m, k]), view(b, [1, k, n]));
    return { ...c, shape: outShape };
  }
  if (batchB === 1 && size(outer) === batchA) {
    // every matrix of A times the one B: stack A's rows into one [batchA·m, k] matrix
    const c = multiply(view(a, [1, batchA * m, k]), view(b, [1, k, n]));
    return { ...c, shape: outShape };
  }
  const sameStacks = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  const loopable = (sameStacks || batchA === 1) && size(outer) === batchB;
  if (!loopable || 2 * m * k * n < MIN_FLOPS_PER_MATRIX) {
    return { ...multiply(a, b), shape: outShape }; // stock kernel (the scalar loop)
  }
  // one product per matrix of the stack, then the results stacked again
  const a3 = view(a, [batchA, m, k]);
  const b3 = view(b, [batchB, k, n]);
  const parts: Info[] = [];
  try {
    for (let i = 0; i < batchB; i++) {
      const ai = run("Slice", { x: a3 }, { begin: [batchA === 1 ? 0 : i, 0, 0], size: [1, m, k] }, backend);
      const bi = run("Slice", { x: b3 }, { begin: [i, 0, 0], size: [1, k, n] }, backend);
      try {
        parts.push(multiply(ai, bi));
      } finally {
        backend.disposeData(ai.dataId);
        backend.disposeData(bi.dataId);
      }
    }
    const c = run("Concat", parts as unknown as KernelArgs["inputs"], { axis: 0 }, backend);
    return { ...c, shape: outShape };
  } finally {
    for (const p of parts) backend.disposeData(p.dataId);
  }
}

/**
 * The product on the kit's threaded float32 kernel, or null when it does not apply (other dtypes,
 * stacks it cannot fold, activations other than ReLU, PReLU weights, a bias that is not one row)
 * or the operands do not fit in its memory.
 */
function threaded(name: (typeof KERNELS)[number], inputs: Record<string, Info>, attrs: Record<string, unknown>, be: Backend): Info | null {
  const { a, b, bias, preluActivationWeights } = inputs;
  if (a.dtype !== "float32" || b.dtype !== "float32") return null;
  const transA = attrs.transposeA === true;
  const transB = attrs.transposeB === true;
  let relu = false;
  if (name === "_FusedMatMul") {
    const activation = attrs.activation ?? "linear";
    if (preluActivationWeights != null || (activation !== "linear" && activation !== "relu")) return null;
    relu = activation === "relu";
  }
  if (a.shape.length < 2 || b.shape.length < 2) return null;
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const [m, k] = transA ? [ca, ra] : [ra, ca];
  const [k2, n] = transB ? [cb, rb] : [rb, cb];
  if (k !== k2) return null; // the stock kernel reports the mismatch
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = size(outerA);
  // one B for every matrix of A: A's rows stack into one tall matrix (not when A is transposed)
  if (size(outerB) !== 1 || (batchA !== 1 && transA)) return null;
  let outer: number[];
  try {
    outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return null;
  }
  if (size(outer) !== batchA) return null;
  if (bias != null) {
    const biasSize = size(bias.shape);
    if (bias.dtype !== "float32" || !(biasSize === 1 || (biasSize === n && bias.shape[bias.shape.length - 1] === n))) return null;
  }
  const out = be.makeOutput([...outer, m, n], "float32");
  // views taken after makeOutput: a new output may grow the backend's memory, which detaches older views
  const done = gemm({
    a: be.typedArrayFromHeap(a) as Float32Array,
    transA,
    b: be.typedArrayFromHeap(b) as Float32Array,
    transB,
    M: batchA * m,
    K: k,
    N: n,
    bias: bias == null ? undefined : (be.typedArrayFromHeap(bias) as Float32Array),
    relu,
    out: be.typedArrayFromHeap(out) as Float32Array,
  });
  if (done) return out;
  be.disposeData(out.dataId);
  return null;
}

function fixed(name: (typeof KERNELS)[number], stock: tf.KernelConfig): tf.KernelFunc {
  const fn: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b, ...extra } = inputs as Record<string, Info>;
    const { transposeA, transposeB, ...restAttrs } = (attrs ?? {}) as Record<string, unknown>;
    const be = backend as Backend;
    const fast = threaded(name, inputs as Record<string, Info>, (attrs ?? {}) as Record<string, unknown>, be);
    if (fast !== null) return fast;
    // _FusedMatMul's bias must stay rank 1 and its PReLU weights keep their shape, so only
    // the plain single-matrix route is safe when PReLU weights are given.
    const plainOnly = name === "_FusedMatMul" && extra.preluActivationWeights != null;
    const temporaries: Info[] = [];
    try {
      const a2 = transposeA ? transposeLast2(a, backend) : a;
      if (transposeA) temporaries.push(a2);
      const b2 = transposeB ? transposeLast2(b, backend) : b;
      if (transposeB) temporaries.push(b2);
      const untransposed = { ...restAttrs, transposeA: false, transposeB: false } as tf.NamedAttrMap;
      const multiply = (x: Info, y: Info): Info =>
        stock.kernelFunc({ inputs: { ...extra, a: x, b: y }, attrs: untransposed, backend }) as Info;
      if (plainOnly) return multiply(a2, b2);
      return productOfStacks(a2, b2, be, multiply);
    } finally {
      for (const t of temporaries) be.disposeData(t.dataId);
    }
  };
  return fn;
}

/** True when the kernel the engine will run for `name` on wasm is this fix's. */
export function isMatmulFixInstalled(name: string = "BatchMatMul"): boolean {
  return isSwapped(name);
}

/**
 * Replace wasm's BatchMatMul and _FusedMatMul kernels with the fixed ones. Idempotent; works before
 * or after `tf.setBackend("wasm")` (see kernel-swap.ts).
 */
export function installMatmulFix(): void {
  for (const name of KERNELS) swapIn(name, (stock) => fixed(name, stock), "matmul-fix");
}

/** Put the stock kernels back (for benchmarks that compare against stock tfjs). */
export function uninstallMatmulFix(): void {
  for (const name of KERNELS) swapOut(name);
}
