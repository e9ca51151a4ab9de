/**
 * Matrix products, the hot path of every network: Affine's forward is x·W, its backward needs
 * dout·Wᵀ and xᵀ·dout. Introduced in lesson 05 (Affine layer, Saito §5.6); lessons 04, 06 and 07
 * spend nearly all their time here.
 *
 * The loops are in i-k-j order: for a row i of A and an entry a = A[i,k], add a · (row k of B)
 * to row i of C. The innermost loop then walks rows of B and C in memory order, and an entry a = 0
 * (a ReLU output or a black pixel) skips a whole row of work.
 * Big products go to the WebAssembly SIMD kernel of `wasm-kernels.ts` (run by `wasm-threads.ts`), which
 * does the same thing two numbers at a time; both are checked against a naive triple loop in the tests.
 */

import { Matrix, shapeText } from "./matrix";
import { fastGemm } from "../runtime/float64/worker-pool";

/** A·B for A (M×K) and B (K×N). */
export function matmul(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  if (a.cols !== b.rows) {
    throw new Error(`matmul: cannot multiply A (${shapeText(a)}) by B (${shapeText(b)}): A has ${a.cols} columns but B has ${b.rows} rows`);
  }
  const c = output("matmul", out, a.rows, b.cols);
  gemm(a.data, false, b.data, false, a.rows, a.cols, b.cols, c.data);
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
  gemm(x.data, false, W.data, false, x.rows, x.cols, W.cols, c.data, b);
  return c;
}

/** Aᵀ·B for A (K×M) and B (K×N) — e.g. the weight gradient xᵀ·dout. */
export function matmulTransA(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  if (a.rows !== b.rows) {
    throw new Error(`matmulTransA: cannot multiply Aᵀ by B for A (${shapeText(a)}) and B (${shapeText(b)}): A has ${a.rows} rows but B has ${b.rows}`);
  }
  const c = output("matmulTransA", out, a.cols, b.cols);
  gemm(a.data, true, b.data, false, a.cols, a.rows, b.cols, c.data);
  return c;
}

/** A·Bᵀ for A (M×K) and B (N×K) — e.g. the input gradient dout·Wᵀ. */
export function matmulTransB(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  if (a.cols !== b.cols) {
    throw new Error(`matmulTransB: cannot multiply A by Bᵀ for A (${shapeText(a)}) and B (${shapeText(b)}): A has ${a.cols} columns but B has ${b.cols}`);
  }
  const c = output("matmulTransB", out, a.rows, b.rows);
  gemm(a.data, false, b.data, true, a.rows, a.cols, b.rows, c.data);
  return c;
}

function output(what: string, out: Matrix | undefined, rows: number, cols: number): Matrix {
  if (out === undefined) return new Matrix(rows, cols);
  if (out.rows !== rows || out.cols !== cols) {
    throw new Error(`${what}: the output matrix is ${shapeText(out)} but the product is ${rows}×${cols}`);
  }
  return out;
}

/**
 * Which loops to run. Copying into WebAssembly memory costs about one step per number of A, B and C;
 * it pays off once each copied number takes part in several multiply-adds.
 */
let useWasm = true;

/**
 * Turns the WebAssembly kernels off (plain TypeScript loops only, for products and for accuracy)
 * or back on; returns the old setting. The numbers are the same either way, only slower.
 */
export function setWasmMatmul(enabled: boolean): boolean {
  const old = useWasm;
  useWasm = enabled;
  return old;
}

/** Whether the WebAssembly kernels may be used (see setWasmMatmul). */
export function wasmMatmulEnabled(): boolean {
  return useWasm;
}

function gemm(
  a: Float64Array, transA: boolean, b: Float64Array, transB: boolean,
  M: number, K: number, N: number, c: Float64Array, bias?: Float64Array,
): void {
  const work = M * K * N;
  if (useWasm && work >= 8 * (M * K + K * N + M * N) && fastGemm(a, transA, b, transB, M, K, N, c, bias)) return;
  // A transposed operand is copied into row-major order first: O(size) next to O(M·K·N).
  if (transA) a = transposeData(a, K, M);
  if (transB) b = transposeData(b, N, K);
  gemmLoops(a, b, M, K, N, c, bias);
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
 * bias[j] (or 0) and adds a·B[k,j] for k = 0, 1, 2, … in order — exactly the operations of the
 * WebAssembly kernel, so both give the same numbers to the last bit.
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
