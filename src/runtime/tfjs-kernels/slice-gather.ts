/**
 * A speed fix for copying parts of tensors on tfjs's WASM backend: `Slice` (a block of rows, a crop)
 * and `GatherV2` (rows picked by index — how `model.fit` draws each shuffled mini-batch). Installed
 * by `ready()` together with the matmul fix; lesson 01's `fit` on 60,000 images and lesson 07's three
 * `fit` runs on 300 images spend a third of each step in these two kernels without it.
 *
 * In @tensorflow/tfjs-backend-wasm 4.22:
 *   - `Slice` first copies the *whole* input out of WebAssembly memory (`readSync`), then takes its
 *     part: 100 rows of 60,000 MNIST images cost a 188 MB copy (~140 ms instead of ~0.1 ms). It also
 *     does not check that the slice fits, and returns whatever lies in memory after the tensor.
 *   - `GatherV2` calls a C++ loop that works out every single number's position (~4 ms for 100 rows
 *     of 784 numbers, where copying the rows takes ~0.05 ms).
 * The fixed kernels read the input where it lies in WebAssembly memory and copy whole runs of
 * consecutive numbers with `TypedArray.set`. They give exactly the stock results (it is the same
 * copy), and a slice that does not fit is an error, as on the cpu backend.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm"; // registers the "wasm" backend and its kernels
import { isSwapped, swapIn, swapOut } from "./registry";

type Info = tf.TensorInfo;
type Heap = Float32Array | Int32Array | Uint8Array;
/** The part of the WASM backend object the fix uses (public methods of BackendWasm). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(t: Info): Heap;
}

const KERNELS = ["Slice", "GatherV2"] as const;
/** Runs shorter than this are copied number by number (cheaper than a subarray per run). */
const SHORT_RUN = 16;

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);

/** Copies `length` numbers from src[from …] to dst[to …]. */
function copyRun(src: Heap, from: number, dst: Heap, to: number, length: number): void {
  if (length < SHORT_RUN) for (let i = 0; i < length; i++) dst[to + i] = src[from + i];
  else dst.set(src.subarray(from, from + length), to);
}

function slice(args: Parameters<tf.KernelFunc>[0], stock: tf.KernelConfig): Info {
  const { inputs, attrs, backend } = args;
  const x = inputs.x as Info;
  if (x.dtype === "string") return stock.kernelFunc(args) as Info;
  const { begin, size: sizeAttr } = attrs as unknown as tf.SliceAttrs;
  const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, sizeAttr);
  tf.slice_util.assertParamsValid(x as tf.Tensor, start, extent);
  start.forEach((b, i) => {
    if (!(b >= 0)) throw new Error(`Error in slice${x.shape.length}D: begin[${i}] is ${b}, it must be 0 or more`);
  });
  const be = backend as unknown as WasmBackend;
  const out = be.makeOutput(extent, x.dtype);
  const total = size(extent);
  if (total === 0) return out;
  // views taken after makeOutput: a new output may grow the memory, which detaches older views
  const src = be.typedArrayFromHeap(x);
  const dst = be.typedArrayFromHeap(out);
  const rank = x.shape.length;
  if (rank === 0 || tf.slice_util.isSliceContinous(x.shape, start, extent)) {
    copyRun(src, tf.slice_util.computeFlatOffset(start, tf.util.computeStrides(x.shape)), dst, 0, total);
    return out;
  }
  // Copy the last axis run by run; `at` counts through the other axes like an odometer.
  const strides = tf.util.computeStrides(x.shape);
  const run = extent[rank - 1];
  const at = new Array<number>(rank - 1).fill(0);
  for (let to = 0; to < total; to += run) {
    let from = start[rank - 1];
    for (let d = 0; d < rank - 1; d++) from += (start[d] + at[d]) * strides[d];
    copyRun(src, from, dst, to, run);
    for (let d = rank - 2; d >= 0 && ++at[d] === extent[d]; d--) at[d] = 0;
  }
  return out;
}

function gather(args: Parameters<tf.KernelFunc>[0], stock: tf.KernelConfig): Info {
  const { inputs, attrs, backend } = args;
  const x = inputs.x as Info;
  const indices = inputs.indices as Info;
  if (x.dtype === "string" || indices.dtype === "string") return stock.kernelFunc(args) as Info;
  const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
  const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0];
  const be = backend as unknown as WasmBackend;
  const dim = x.shape[parsedAxis];
  const picked = be.typedArrayFromHeap(indices);
  for (let i = 0; i < picked.length; i++) {
    const index = picked[i];
    if (!(index >= 0 && index <= dim - 1)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${dim - 1}]`);
  }
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x as tf.Tensor, indices as tf.Tensor, parsedAxis, batchDims);
  const out = be.makeOutput(info.outputShape, x.dtype);
  if (size(x.shape) === 0 || size(info.outputShape) === 0) return out;
  const src = be.typedArrayFromHeap(x);
  const dst = be.typedArrayFromHeap(out);
  const idx = be.typedArrayFromHeap(indices);
  // x is [batch, outer, dim, slice] and the output [batch, outer, perBatch, slice]:
  // out[b, o, i, :] = x[b, o, idx[b, i], :]
  const { batchSize, outerSize, sliceSize } = info;
  const perBatch = idx.length / batchSize;
  let to = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let o = 0; o < outerSize; o++) {
      const base = (b * outerSize + o) * dim;
      for (let i = 0; i < perBatch; i++, to += sliceSize) copyRun(src, (base + idx[b * perBatch + i]) * sliceSize, dst, to, sliceSize);
    }
  }
  return out;
}

function fixed(name: (typeof KERNELS)[number], stock: tf.KernelConfig): tf.KernelFunc {
  return (args) => (name === "Slice" ? slice(args, stock) : gather(args, stock));
}

/** True when the kernel the engine will run for `name` ("Slice" or "GatherV2") on wasm is this fix's. */
export function isCopyFixInstalled(name: string = "Slice"): boolean {
  return isSwapped(name);
}

/** Replace wasm's Slice and GatherV2 kernels with the fixed ones. Idempotent, like installMatmulFix. */
export function installCopyFix(): void {
  for (const name of KERNELS) swapIn(name, (stock) => fixed(name, stock), "copy-fix");
}

/** Put the stock kernels back (for benchmarks that compare against stock tfjs). */
export function uninstallCopyFix(): void {
  for (const name of KERNELS) swapOut(name);
}
