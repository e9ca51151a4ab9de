import { afterAll, describe, expect, it } from "vitest";
import { availableParallelism } from "os";
import { join } from "path";
import * as tf from "@tensorflow/tfjs";
import {
  gemm,
  gemmAvailable,
  gemmThreads,
  setGemmThreads,
  startGemmThreads,
  stopGemmThreads,
  type GemmJob,
} from "../../src/runtime/tfjs-kernels/gemm-threads";
import { installMatmulFix, uninstallMatmulFix } from "../../src/runtime/tfjs-kernels/matmul";
import { installCopyFix } from "../../src/runtime/tfjs-kernels/slice-gather";
import { loadData } from "../../src/data/mnist";
import { run as runProgram } from "../helpers/run";

// (no IS_TEST here: its debug leak check trips on stock tfjs's own fusedMatMul in training; leaks of the
// kit's kernels are checked in tfjs-matmul.test.ts)

/** Deterministic values in [-1, 1); every `zeroEvery`-th one is 0 (the kernel skips zeros). */
function values(n: number, seed: number, zeroEvery = 0): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = zeroEvery > 0 && i % zeroEvery === 0 ? 0 : s / 2 ** 31 - 1;
  }
  return out;
}

/** The same product in plain float64 loops. */
function reference(j: Omit<GemmJob, "out">): Float64Array {
  const { a, transA, b, transB, M, K, N, bias, relu } = j;
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let n = 0; n < N; n++) {
      let sum = bias === undefined ? 0 : bias.length === 1 ? bias[0] : bias[n];
      for (let k = 0; k < K; k++) sum += (transA ? a[k * M + i] : a[i * K + k]) * (transB ? b[n * K + k] : b[k * N + n]);
      out[i * N + n] = relu && sum < 0 ? 0 : sum;
    }
  }
  return out;
}

function run(j: Omit<GemmJob, "out">): Float32Array {
  const out = new Float32Array(j.M * j.N).fill(NaN);
  expect(gemm({ ...j, out })).toBe(true);
  return out;
}

function job(M: number, K: number, N: number, transA: boolean, transB: boolean, extra: Partial<GemmJob> = {}): Omit<GemmJob, "out"> {
  return { a: values(M * K, M + 7 * K, 3), transA, b: values(K * N, N + 11 * K), transB, M, K, N, ...extra };
}

function maxRelErr(got: Float32Array, want: Float64Array): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

const flags: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

afterAll(() => {
  setGemmThreads(Math.min(4, availableParallelism()));
});

describe("the threaded float32 kernel", () => {
  it("is available here (Node has SharedArrayBuffer and worker threads)", () => {
    expect(gemmAvailable()).toBe(true);
  });

  it.each(flags)("equals plain loops on odd sizes, transA=%s transB=%s", (ta, tb) => {
    for (const [M, K, N] of [[1, 1, 1], [3, 5, 7], [17, 9, 10], [33, 65, 31], [5, 3, 129], [128, 784, 512]]) {
      const j = job(M, K, N, ta, tb);
      expect(maxRelErr(run(j), reference(j)), `${M}×${K}·${K}×${N}`).toBeLessThan(1e-5);
    }
  });

  it("adds a bias row (or one number) and applies the ReLU as it stores", () => {
    for (const [M, K, N] of [[3, 5, 7], [40, 33, 10], [20, 17, 48]]) {
      for (const bias of [values(N, 5), new Float32Array([0.25])]) {
        const j = job(M, K, N, false, false, { bias, relu: true });
        const got = run(j);
        expect(maxRelErr(got, reference(j))).toBeLessThan(1e-5);
        expect(got.some((v) => v === 0) && got.every((v) => v >= 0)).toBe(true);
      }
    }
  });

  it("gives the same numbers, to the bit, on one thread and on several, and after the workers are stopped", async () => {
    const j = job(300, 200, 100, true, false); // 6 M multiply-adds: big enough to wake the workers
    setGemmThreads(1);
    const one = run(j);
    setGemmThreads(3);
    expect(await startGemmThreads()).toBe(3);
    expect(gemmThreads()).toBe(3);
    for (let r = 0; r < 5; r++) expect(run(j)).toEqual(one);
    stopGemmThreads(); // as after an interrupted notebook: the next product starts them again
    expect(run(j)).toEqual(one);
    expect(await startGemmThreads()).toBe(3);
    expect(run(j)).toEqual(one);
  });

  it("never keeps Node from exiting: a process that used the workers ends by itself", async () => {
    const dist = join(__dirname, "..", "..", "dist", "runtime", "tfjs-kernels", "gemm-threads.js");
    const code = `
      const g = require(${JSON.stringify(dist)});
      g.startGemmThreads().then((n) => {
        const M = 256, K = 256, N = 256, out = new Float32Array(M * N);
        g.gemm({ a: new Float32Array(M * K).fill(1), transA: false, b: new Float32Array(K * N).fill(2), transB: false, M, K, N, out });
        console.log(n, out[0], out[M * N - 1]);
      });`;
    const p = await runProgram(process.execPath, ["-e", code], { timeout: 50_000, env: { ...process.env, DLBB_MATMUL_THREADS: "2" } });
    expect(p.error).toBeUndefined();
    expect(p.status).toBe(0);
    expect(p.stdout.trim()).toBe("2 512 512");
  });
});

describe("model.fit through the kit's kernels", () => {
  it("gives the losses of stock tfjs within float32 rounding (Chollet's first network, 6 steps)", async () => {
    const [[images, labels]] = loadData();
    const n = 6 * 128;
    const losses = async (fixed: boolean): Promise<number[]> => {
      if (fixed) installMatmulFix();
      else uninstallMatmulFix();
      installCopyFix();
      await tf.setBackend("wasm");
      const x = tf.tidy(() => tf.tensor2d(images.data.subarray(0, n * 784), [n, 784], "float32").div(255));
      const y = tf.tensor1d(labels.data.subarray(0, n), "float32");
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [784], units: 512, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
          tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
      model.compile({ optimizer: "rmsprop", loss: "sparseCategoricalCrossentropy" });
      const out: number[] = [];
      await model.fit(x, y, { batchSize: 128, epochs: 1, shuffle: false, verbose: 0, callbacks: { onBatchEnd: async (_b, logs) => void out.push(logs!.loss) } });
      tf.dispose([x, y]);
      model.dispose();
      return out;
    };
    try {
      const kit = await losses(true);
      const stock = await losses(false);
      expect(kit).toHaveLength(6);
      expect(stock[5]).toBeLessThan(stock[0]); // it learns
      for (let i = 0; i < 6; i++) expect(Math.abs(kit[i] - stock[i]) / stock[i], `step ${i + 1}`).toBeLessThan(1e-4);
    } finally {
      installMatmulFix();
    }
  }, 120_000);
});
