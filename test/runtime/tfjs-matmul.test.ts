import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { installMatmulFix, isMatmulFixInstalled, uninstallMatmulFix } from "../../src/runtime/tfjs-kernels/matmul";

tf.env().set("IS_TEST", true); // silences tfjs's "install tfjs-node" banner in test output

/** Deterministic pseudo-random values in [-1, 1) (a small LCG), so cases are reproducible. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

async function on<T>(backend: string, fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}

/** Largest |x - y| relative to the largest |y| (at least 1). */
function relErr(x: Float32Array | number[], y: Float32Array | number[]): number {
  expect(x.length).toBe(y.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return diff / scale;
}

type Case = { aShape: number[]; bShape: number[]; ta: boolean; tb: boolean };
/** Shapes of a and b (as stored, i.e. already transposed when ta/tb) for C = op(a)·op(b) of size m×k·k×n. */
function makeCase(batchA: number[], batchB: number[], m: number, k: number, n: number, ta: boolean, tb: boolean): Case {
  return { aShape: [...batchA, ...(ta ? [k, m] : [m, k])], bShape: [...batchB, ...(tb ? [n, k] : [k, n])], ta, tb };
}
const flags: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

/** Read and free a tensor. (Never return a typed array from tf.tidy: tidy walks every element.) */
function take(t: tf.Tensor): Float32Array {
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

function productOn(c: Case) {
  const p = tf.tidy(() => {
    const a = tf.tensor(values(size(c.aShape), 1), c.aShape);
    const b = tf.tensor(values(size(c.bShape), 2), c.bShape);
    return tf.matMul(a, b, c.ta, c.tb);
  });
  return { shape: p.shape, data: take(p) };
}

function leakCheck(fn: () => void) {
  const before = tf.memory().numTensors;
  const dataIds = tf.engine().backend.numDataIds();
  fn();
  expect(tf.memory().numTensors).toBe(before);
  expect(tf.engine().backend.numDataIds()).toBe(dataIds);
}

async function expectSameAsCpu(c: Case) {
  const want = await on("cpu", () => productOn(c));
  const got = await on("wasm", () => {
    let r: ReturnType<typeof productOn> | undefined;
    leakCheck(() => (r = productOn(c)));
    return r!;
  });
  expect(got.shape).toEqual(want.shape);
  expect(relErr(got.data, want.data)).toBeLessThan(1e-5);
}

beforeAll(async () => {
  installMatmulFix();
  await tf.setBackend("wasm");
});
afterAll(() => uninstallMatmulFix());

describe("installMatmulFix", () => {
  it("registers the fixed kernels, idempotently, and uninstall restores the stock ones", () => {
    expect(isMatmulFixInstalled("BatchMatMul")).toBe(true);
    expect(isMatmulFixInstalled("_FusedMatMul")).toBe(true);
    const fixedFn = tf.getKernel("BatchMatMul", "wasm")!.kernelFunc;
    installMatmulFix();
    expect(tf.getKernel("BatchMatMul", "wasm")!.kernelFunc).toBe(fixedFn);
    uninstallMatmulFix();
    expect(isMatmulFixInstalled()).toBe(false);
    const stock = tf.getKernel("BatchMatMul", "wasm")!;
    expect(stock.kernelFunc).not.toBe(fixedFn);
    expect(stock.setupFunc).toBeTypeOf("function"); // the original config, setupFunc included
    installMatmulFix();
    expect(isMatmulFixInstalled()).toBe(true);
    expect(tf.getKernel("BatchMatMul", "wasm")!.setupFunc).toBe(stock.setupFunc);
  });

  it("is the kernel the engine actually runs: one transposed matrix is read in place, a transposed stack goes through Transpose", () => {
    const transpose = tf.getKernel("Transpose", "wasm")!;
    let calls = 0;
    tf.unregisterKernel("Transpose", "wasm");
    tf.registerKernel({ ...transpose, kernelFunc: (args) => (calls++, transpose.kernelFunc(args)) });
    try {
      tf.tidy(() => tf.matMul(tf.ones([4, 3]), tf.ones([4, 5]), true, false).dataSync());
      expect(calls).toBe(0); // the kit's threaded kernel (gemm-threads.ts) reads Aᵀ in place
      tf.tidy(() => tf.matMul(tf.ones([2, 4, 3]), tf.ones([2, 4, 5]), true, false).dataSync());
      expect(calls).toBe(1); // a stack of products: explicit transpose, then XNNPACK
      tf.tidy(() => tf.matMul(tf.ones([2, 3, 4]), tf.ones([2, 4, 5])).dataSync());
      expect(calls).toBe(1); // untransposed: no copy
    } finally {
      tf.unregisterKernel("Transpose", "wasm");
      tf.registerKernel(transpose);
    }
  });
});

describe("fixed wasm matMul equals the cpu backend", () => {
  const sizes = [1, 3, 7, 33, 129];
  it.each(flags)("unbatched, odd sizes, transposeA=%s transposeB=%s", async (ta, tb) => {
    for (const [m, k, n] of [[1, 1, 1], [3, 7, 1], [7, 33, 3], [33, 129, 7], [129, 3, 33], [129, 129, 129]]) {
      await expectSameAsCpu(makeCase([], [], m, k, n, ta, tb));
    }
    for (const m of sizes) await expectSameAsCpu(makeCase([], [], m, 33, 7, ta, tb));
  });

  it.each(flags)("batched rank 3 and 4, transposeA=%s transposeB=%s", async (ta, tb) => {
    await expectSameAsCpu(makeCase([3], [3], 7, 3, 33, ta, tb)); // small: stock loop
    await expectSameAsCpu(makeCase([3], [3], 33, 129, 33, ta, tb)); // big: matrix by matrix
    await expectSameAsCpu(makeCase([2, 3], [2, 3], 33, 33, 65, ta, tb)); // rank 4
    await expectSameAsCpu(makeCase([1], [1], 129, 7, 33, ta, tb));
  });

  it.each(flags)("broadcast batch, transposeA=%s transposeB=%s", async (ta, tb) => {
    await expectSameAsCpu(makeCase([5], [1], 33, 129, 7, ta, tb)); // stack · one matrix
    await expectSameAsCpu(makeCase([1], [5], 33, 129, 33, ta, tb)); // one matrix · stack
    await expectSameAsCpu(makeCase([1], [4], 3, 7, 1, ta, tb));
    await expectSameAsCpu(makeCase([4], [], 33, 33, 33, ta, tb)); // rank 3 · rank 2
    await expectSameAsCpu(makeCase([2, 3], [1, 1], 33, 7, 3, ta, tb));
  });

  it.each(flags)("fused matMul with bias and relu, transposeA=%s transposeB=%s", async (ta, tb) => {
    for (const [c, n] of [[makeCase([], [], 129, 33, 7, ta, tb), 7], [makeCase([3], [3], 33, 65, 33, ta, tb), 33]] as const) {
      const bias = values(n, 3);
      const run = () =>
        take(
          tf.tidy(() => {
            const a = tf.tensor(values(size(c.aShape), 1), c.aShape);
            const b = tf.tensor(values(size(c.bShape), 2), c.bShape);
            return tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: tf.tensor1d(bias), activation: "relu" });
          }),
        );
      const want = await on("cpu", run);
      const got = await on("wasm", () => {
        let r: Float32Array | undefined;
        leakCheck(() => (r = run()));
        return r!;
      });
      expect(relErr(got, want)).toBeLessThan(1e-5);
    }
  });

  it.each(flags)("gradients through tf.matMul, transposeA=%s transposeB=%s", async (ta, tb) => {
    for (const c of [makeCase([], [], 129, 33, 7, ta, tb), makeCase([3], [3], 33, 65, 33, ta, tb)]) {
      const run = () =>
        tf
          .tidy(() => {
            const a = tf.tensor(values(size(c.aShape), 1), c.aShape);
            const b = tf.tensor(values(size(c.bShape), 2), c.bShape);
            return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb).square().sum())([a, b]);
          })
          .map(take);
      const want = await on("cpu", run);
      const got = await on("wasm", () => {
        let r: Float32Array[] | undefined;
        leakCheck(() => (r = run()));
        return r!;
      });
      expect(relErr(got[0], want[0])).toBeLessThan(1e-5);
      expect(relErr(got[1], want[1])).toBeLessThan(1e-5);
    }
  });
});
// Speed is measured by `npm run bench -- first-example`, never in a timed test.
