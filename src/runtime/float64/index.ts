/**
 * The float64 products that the from-scratch network (src/network, lessons 05–08) can plug in:
 * `float64Products`, handed to the network's `setProductKernel` by the student entry point
 * (src/index.ts). Runtime room: not needed to understand the maths. The network computes the same
 * numbers with its own plain loops when nothing is plugged in; these are only faster (the WebAssembly
 * kernel `gemm.wat`, on several threads — see `worker-pool.ts`).
 *
 * The runtime knows nothing of the network's classes: a matrix is anything with `rows`, `cols` and
 * row-major float64 `data` (the network's Matrix is one).
 */

import { fastForward, fastGemm } from "./worker-pool";

export { fastKernelsAvailable, setMatmulThreads, startMatmulThreads } from "./worker-pool";

/** A row-major float64 matrix, as the kernel reads and writes it. */
export interface Float64Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** One layer of a stack in test mode: y = x·W + b, then, if `relu`, y ← max(y, 0)·scale. */
export interface DenseStage {
  readonly W: Float64Matrix;
  readonly b: Float64Array;
  readonly relu: boolean;
  /** 1 for a plain ReLU; 1 − ratio for a ReLU followed by a Dropout layer in test mode. */
  readonly scale: number;
}

/** What the network's `setProductKernel` takes. Each function may decline (false / null): the plain loops then run. */
export interface Float64Products {
  /**
   * out = op(A)·op(B) (+ bias in every row), op(X) being X or, if `transX`, Xᵀ. Each out[i,j] is
   * bias[j] (or 0) plus A[i,k]·B[k,j] for the non-zero A[i,k] in order of k — the network's plain
   * loops, to the last bit. Shapes are checked by the caller. Declines products too small to be worth
   * copying into the kernel's memory.
   */
  product(a: Float64Matrix, transA: boolean, b: Float64Matrix, transB: boolean, out: Float64Matrix, bias?: Float64Array): boolean;
  /**
   * The rows of x through every stage in turn, intermediate results kept in the kernel's memory,
   * block by block of rows (the same products, so the same numbers, as one stage after another).
   * Returns the last stage's output (x.rows × its columns), or null.
   */
  denseStack(x: Float64Matrix, stages: readonly DenseStage[]): Float64Array | null;
}

export const float64Products: Float64Products = {
  product(a, transA, b, transB, out, bias) {
    const M = transA ? a.cols : a.rows;
    const K = transA ? a.rows : a.cols;
    const N = transB ? b.rows : b.cols;
    // Copying into the kernel's memory costs about one step per number of A, B and C; it pays off
    // once each copied number takes part in several multiply-adds.
    if (M * K * N < 8 * (M * K + K * N + M * N)) return false;
    return fastGemm(a.data, transA, b.data, transB, M, K, N, out.data, bias);
  },

  denseStack(x, stages) {
    if (stages.length === 0 || x.cols !== stages[0].W.rows) return null;
    return fastForward(
      x.data,
      x.rows,
      stages.map((s) => ({ W: s.W.data, b: s.b, inputs: s.W.rows, outputs: s.W.cols, relu: s.relu, scale: s.scale })),
    );
  },
};
