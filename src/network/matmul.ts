/**
 * Matrix products, the hot path of every network: Affine's forward is x·W, its backward needs
 * dout·Wᵀ and xᵀ·dout. Introduced in lesson 05 (Affine layer, Saito §5.6); lessons 06, 07 and 08
 * spend nearly all their time here.
 *
 * The loops are in i-k-j order: for a row i of A and an entry a = A[i,k], add a · (row k of B)
 * to row i of C. The innermost loop then walks rows of B and C in memory order, and an entry a = 0
 * (a ReLU output or a black pixel) skips a whole row of work.
 *
 * A faster kernel can be plugged in with `setProductKernel`: the kit's entry point plugs in the
 * runtime's WebAssembly kernel (src/runtime/float64, "not needed to understand the maths"), which
 * does the same operations in the same order, two numbers at a time and on several threads, so it
 * gives the same numbers to the last bit. Code that imports this module directly (the unit tests)
 * runs the plain loops below unless it plugs a kernel in.
 */

import { Matrix, shapeText } from "./matrix";

/** A·B for A (M×K) and B (K×N). */
export function matmul(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  if (a.cols !== b.rows) {
    throw new Error(`matmul: cannot multiply A (${shapeText(a)}) by B (${shapeText(b)}): A has ${a.cols} columns but B has ${b.rows} rows`);
  }
  const c = output("matmul", out, a.rows, b.cols);
  gemm(a, false, b, false, c);
  return c;
}

/** x·W + b with the row vector b added to every row — Affine's forward in one pass. */
export function matmulBias(x: Matrix, W: Matrix, b: Float64Array, out?: Matrix): Matrix {
  if (x.cols !== W.rows) {
    throw new Error(`matmulBias: cannot multiply x (${shapeText(x)}) by W (${shapeText(W)}): x has ${x.cols} columns but W has ${W.rows} rows`);
  }
  if (b.length !== W.cols) {
    throw new Error(`matmulBias: W is ${shapeText(W)} so b needs ${W.cols} numbers, got ${b.length}`);
  }
  const c = output("matmulBias", out, x.rows, W.cols);
  gemm(x, false, W, false, c, b);
  return c;
}

/** Aᵀ·B for A (K×M) and B (K×N) — e.g. the weight gradient xᵀ·dout. */
export function matmulTransA(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  if (a.rows !== b.rows) {
    throw new Error(`matmulTransA: cannot multiply Aᵀ by B for A (${shapeText(a)}) and B (${shapeText(b)}): A has ${a.rows} rows but B has ${b.rows}`);
  }
  const c = output("matmulTransA", out, a.cols, b.cols);
  gemm(a, true, b, false, c);
  return c;
}

/** A·Bᵀ for A (M×K) and B (N×K) — e.g. the input gradient dout·Wᵀ. */
export function matmulTransB(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  if (a.cols !== b.cols) {
    throw new Error(`matmulTransB: cannot multiply A by Bᵀ for A (${shapeText(a)}) and B (${shapeText(b)}): A has ${a.cols} columns but B has ${b.cols}`);
  }
  const c = output("matmulTransB", out, a.rows, b.rows);
  gemm(a, false, b, true, c);
  return c;
}

function output(what: string, out: Matrix | undefined, rows: number, cols: number): Matrix {
  if (out === undefined) return new Matrix(rows, cols);
  if (out.rows !== rows || out.cols !== cols) {
    throw new Error(`${what}: the output matrix is ${shapeText(out)} but the product is ${rows}×${cols}`);
  }
  return out;
}

/** One layer of a stack in test mode: y = x·W + b, then, if `relu`, y ← max(y, 0)·scale. */
export interface DenseStage {
  readonly W: Matrix;
  readonly b: Float64Array;
  readonly relu: boolean;
  /** 1 for a plain ReLU; 1 − ratio for a ReLU followed by a Dropout layer in test mode. */
  readonly scale: number;
}

/**
 * A faster implementation of the same products. Either function may decline (false / null), and the
 * plain loops run instead.
 */
export interface ProductKernel {
  /** out = op(A)·op(B) (+ bias in every row), op(X) being Xᵀ when `transX`; exactly `gemmLoops`' numbers. */
  product(a: Matrix, transA: boolean, b: Matrix, transB: boolean, out: Matrix, bias?: Float64Array): boolean;
  /** x through every stage in turn (the same products, many rows at once); the last stage's output. */
  denseStack(x: Matrix, stages: readonly DenseStage[]): Float64Array | null;
}

let kernel: ProductKernel | null = null;

/** Plugs in a product kernel (null: the plain loops only); returns the one plugged in before. */
export function setProductKernel(k: ProductKernel | null): ProductKernel | null {
  const old = kernel;
  kernel = k;
  return old;
}

/**
 * The output of x through `stages`, one after the other, from the plugged-in kernel in one call —
 * or null when there is none or it declines (then run the layers themselves).
 */
export function kernelDenseStack(x: Matrix, stages: readonly DenseStage[]): Matrix | null {
  const y = kernel === null || stages.length === 0 ? null : kernel.denseStack(x, stages);
  return y === null ? null : new Matrix(x.rows, stages[stages.length - 1].W.cols, y);
}

function gemm(a: Matrix, transA: boolean, b: Matrix, transB: boolean, c: Matrix, bias?: Float64Array): void {
  if (kernel !== null && kernel.product(a, transA, b, transB, c, bias)) return;
  const M = c.rows, N = c.cols, K = transA ? a.rows : a.cols;
  // A transposed operand is copied into row-major order first: O(size) next to O(M·K·N).
  const aData = transA ? transposeData(a.data, K, M) : a.data;
  const bData = transB ? transposeData(b.data, N, K) : b.data;
  gemmLoops(aData, bData, M, K, N, c.data, bias);
}

/** The transpose of a rows×cols row-major array. */
function transposeData(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(x.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
  return t;
}

let coefScratch = new Float64Array(0);
let rowScratch = new Int32Array(0);

/**
 * C = A·B (+ bias) in plain TypeScript, i-k-j order, skipping zeros of A. Each C[i,j] starts at
 * bias[j] (or 0) and adds a·B[k,j] for k = 0, 1, 2, … in order (the runtime's WebAssembly kernel
 * does exactly these operations, so both give the same numbers to the last bit).
 */
function gemmLoops(a: Float64Array, b: Float64Array, M: number, K: number, N: number, c: Float64Array, bias?: Float64Array): void {
  if (coefScratch.length < K) {
    coefScratch = new Float64Array(K);
    rowScratch = new Int32Array(K);
  }
  const coef = coefScratch; // the non-zero entries a = A[i,k] of row i …
  const rowOfB = rowScratch; // … and where row k of B starts
  for (let i = 0; i < M; i++) {
    let n = 0;
    for (let k = 0; k < K; k++) {
      const v = a[i * K + k];
      if (v !== 0) {
        coef[n] = v;
        rowOfB[n] = k * N;
        n++;
      }
    }
    const ci = i * N;
    if (bias === undefined) c.fill(0, ci, ci + N);
    else c.set(bias, ci);
    let p = 0;
    for (; p + 4 <= n; p += 4) {
      // four rows of B per pass over C[i,:] (one read and write of C[i,j] per four multiply-adds)
      const a0 = coef[p], a1 = coef[p + 1], a2 = coef[p + 2], a3 = coef[p + 3];
      const b0 = rowOfB[p], b1 = rowOfB[p + 1], b2 = rowOfB[p + 2], b3 = rowOfB[p + 3];
      for (let j = 0; j < N; j++) {
        let s = c[ci + j];
        s += a0 * b[b0 + j];
        s += a1 * b[b1 + j];
        s += a2 * b[b2 + j];
        s += a3 * b[b3 + j];
        c[ci + j] = s;
      }
    }
    for (; p < n; p++) {
      const ap = coef[p], bp = rowOfB[p];
      for (let j = 0; j < N; j++) c[ci + j] += ap * b[bp + j];
    }
  }
}
