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
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm"; // registers the "wasm" backend and its kernels
import { isSwapped, swapIn, swapOut } from "./registry";

type Info = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];
/** The part of the WASM backend object the fix uses (a public method of every tfjs backend). */
interface Backend {
  disposeData(dataId: object, force?: boolean): boolean;
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

function fixed(name: (typeof KERNELS)[number], stock: tf.KernelConfig): tf.KernelFunc {
  const fn: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b, ...extra } = inputs as Record<string, Info>;
    const { transposeA, transposeB, ...restAttrs } = (attrs ?? {}) as Record<string, unknown>;
    const be = backend as Backend;
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
