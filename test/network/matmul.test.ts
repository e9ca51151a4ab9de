import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Matrix, transpose } from "../../src/network/matrix";
import { matmul, matmulBias, matmulTransA, matmulTransB, setProductKernel, type ProductKernel } from "../../src/network/matmul";
import { fastKernelsAvailable, float64Products, setMatmulThreads, startMatmulThreads } from "../../src/runtime/float64";
import { Rng } from "../../src/network/rng";
import { maxAbsDiff, naiveMatmul, randomMatrix } from "./check";

// Odd shapes on purpose: 1×1, N odd (the kernel's last single column), N = 2, 8, 14 (its column
// groups), large enough products to take the WebAssembly path, and zeros (which it skips).
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [2, 9, 2], [17, 33, 9], [8, 3, 14], [5, 40, 8],
  [67, 129, 31], [100, 100, 100], [33, 784, 50], [130, 65, 15], [64, 100, 10], [300, 50, 1],
];

function checkAll(label: string): void {
  const rng = new Rng(7);
  for (const [M, K, N] of SHAPES) {
    for (const zeros of [0, 0.6, 0.95]) { // 0.95: long runs of zeros, which the kernel skips four at a time
      const a = randomMatrix(rng, M, K, zeros);
      const b = randomMatrix(rng, K, N, zeros);
      const expected = naiveMatmul(a, b);
      const tol = 1e-12 * K;
      const what = `${label} ${M}×${K}·${K}×${N} zeros=${zeros}`;
      expect(matmul(a, b).shape, what).toEqual([M, N]);
      expect(maxAbsDiff(matmul(a, b).data, expected.data), what).toBeLessThan(tol);
      expect(maxAbsDiff(matmulTransA(transpose(a), b).data, expected.data), `Aᵀ·B ${what}`).toBeLessThan(tol);
      expect(maxAbsDiff(matmulTransB(a, transpose(b)).data, expected.data), `A·Bᵀ ${what}`).toBeLessThan(tol);
      const bias = rng.normalArray(N);
      const withBias = matmulBias(a, b, bias);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) expected.set(i, j, expected.get(i, j) + bias[j]);
      expect(maxAbsDiff(withBias.data, expected.data), `x·W + b ${what}`).toBeLessThan(tol);
    }
  }
}

/** The runtime's kernel, counting the products it takes (to be sure a test went through it). */
function countingKernel(): ProductKernel & { taken: number } {
  const k = {
    taken: 0,
    product: (...args: Parameters<ProductKernel["product"]>) => {
      const took = float64Products.product(...args);
      k.taken += +took;
      return took;
    },
    denseStack: float64Products.denseStack,
  };
  return k;
}

/** Turns the WebAssembly kernel on or off for the products below (unit tests import the network directly: plain loops unless plugged in). */
function setWasmMatmul(on: boolean): void {
  setProductKernel(on ? float64Products : null);
}

describe("matrix products", () => {
  beforeAll(() => setWasmMatmul(true));
  afterAll(() => setWasmMatmul(false));

  it("the WebAssembly kernel is available in this Node", () => {
    expect(fastKernelsAvailable()).toBe(true);
  });

  it("run the plain loops until a kernel is plugged in, and the plugged-in kernel once it is", () => {
    const rng = new Rng(8);
    const a = randomMatrix(rng, 60, 70), b = randomMatrix(rng, 70, 50);
    const counting = countingKernel();
    expect(setProductKernel(null)).toBe(float64Products);
    const plain = matmul(a, b);
    setProductKernel(counting);
    const fast = matmul(a, b);
    expect(counting.taken).toBe(1);
    matmul(Matrix.from([[1]]), Matrix.from([[2]])); // too small to be worth copying: declined
    expect(counting.taken).toBe(1);
    setWasmMatmul(true);
    expect(Array.from(fast.data)).toEqual(Array.from(plain.data));
  });

  it("match a naive triple loop on odd shapes (plain TypeScript loops)", () => {
    setWasmMatmul(false);
    checkAll("ts");
    setWasmMatmul(true);
  });

  it("match a naive triple loop on odd shapes (WebAssembly kernel, one thread)", () => {
    const old = setMatmulThreads(1);
    checkAll("wasm");
    setMatmulThreads(old);
  });

  it("match a naive triple loop on odd shapes (WebAssembly kernel, worker threads)", async () => {
    const old = setMatmulThreads(3);
    expect(await startMatmulThreads()).toBe(2);
    checkAll("threads");
    setMatmulThreads(old);
  });

  it("give the same numbers whatever the number of threads", async () => {
    const rng = new Rng(3);
    const a = randomMatrix(rng, 301, 120, 0.5);
    const b = randomMatrix(rng, 120, 77);
    const old = setMatmulThreads(1);
    const one = matmul(a, b);
    setMatmulThreads(2);
    await startMatmulThreads();
    expect(Array.from(matmul(a, b).data)).toEqual(Array.from(one.data));
    setMatmulThreads(old);
  });

  it("the TypeScript loops and the WebAssembly kernel give the same numbers to the last bit", () => {
    const rng = new Rng(5);
    const counting = countingKernel();
    for (const [M, K, N] of [[40, 50, 30], [129, 33, 101], [7, 300, 9]]) {
      const a = randomMatrix(rng, M, K, 0.4);
      const b = randomMatrix(rng, K, N);
      const bias = rng.normalArray(N);
      setWasmMatmul(false);
      const ts = [matmul(a, b), matmulBias(a, b, bias)];
      setProductKernel(counting);
      const wasm = [matmul(a, b), matmulBias(a, b, bias)];
      setWasmMatmul(true);
      expect(Array.from(wasm[0].data)).toEqual(Array.from(ts[0].data));
      expect(Array.from(wasm[1].data)).toEqual(Array.from(ts[1].data));
    }
    expect(counting.taken).toBe(4); // 7×300·300×9 is too small to be worth copying: plain loops
  });

  it("write into a given output matrix", () => {
    const a = Matrix.from([[1, 2], [3, 4]]);
    const out = new Matrix(2, 2);
    expect(matmul(a, a, out)).toBe(out);
    expect(out.toArray()).toEqual([[7, 10], [15, 22]]);
  });

  it("name both shapes when they do not fit", () => {
    const a = new Matrix(2, 3);
    const b = new Matrix(4, 5);
    expect(() => matmul(a, b)).toThrow(/A \(2×3\).*B \(4×5\)/);
    expect(() => matmulTransA(a, b)).toThrow(/A \(2×3\).*B \(4×5\)/);
    expect(() => matmulTransB(a, b)).toThrow(/A \(2×3\).*B \(4×5\)/);
    expect(() => matmulBias(a, b, new Float64Array(5))).toThrow(/x \(2×3\).*W \(4×5\)/);
    expect(() => matmulBias(a, new Matrix(3, 5), new Float64Array(4))).toThrow(/W is 3×5 so b needs 5 numbers, got 4/);
    expect(() => matmul(a, new Matrix(3, 5), new Matrix(2, 4))).toThrow(/output matrix is 2×4 but the product is 2×5/);
  });
});
