import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { installCopyFix, isCopyFixInstalled, uninstallCopyFix } from "../../src/runtime/tfjs-kernels/slice-gather";
import { readSyncCalls } from "../helpers/wasm";

tf.env().set("IS_TEST", true); // silences tfjs's "install tfjs-node" banner in test output

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
/** 0, 1, 2, … as a tensor of `shape`: every number says where it came from. */
const counting = (shape: number[], dtype: "float32" | "int32" = "float32") =>
  tf.tensor(Array.from({ length: size(shape) }, (_, i) => i), shape, dtype);

async function on<T>(backend: string, fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}

/** Runs fn on cpu and on (fixed) wasm; the results must be identical, with no tensor leaked on wasm. */
async function expectSameAsCpu(fn: () => tf.Tensor) {
  const read = () => {
    const t = fn();
    const result = { shape: t.shape, dtype: t.dtype, data: Array.from(t.dataSync()) };
    t.dispose();
    return result;
  };
  const want = await on("cpu", read);
  const got = await on("wasm", () => {
    const before = tf.memory().numTensors;
    const ids = tf.engine().backend.numDataIds();
    const r = read();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(ids);
    return r;
  });
  expect(got).toEqual(want);
}

beforeAll(async () => {
  installCopyFix();
  await tf.setBackend("wasm");
});
afterAll(() => uninstallCopyFix());

describe("installCopyFix", () => {
  it("registers the fixed kernels, idempotently, and uninstall restores the stock ones", () => {
    expect(isCopyFixInstalled("Slice")).toBe(true);
    expect(isCopyFixInstalled("GatherV2")).toBe(true);
    const fixedFn = tf.getKernel("Slice", "wasm")!.kernelFunc;
    installCopyFix();
    expect(tf.getKernel("Slice", "wasm")!.kernelFunc).toBe(fixedFn);
    uninstallCopyFix();
    expect(isCopyFixInstalled("Slice") || isCopyFixInstalled("GatherV2")).toBe(false);
    expect(tf.getKernel("Slice", "wasm")!.kernelFunc).not.toBe(fixedFn);
    installCopyFix();
    expect(isCopyFixInstalled()).toBe(true);
  });

  it("reads the input where it lies: no copy of the whole tensor out of WebAssembly memory", async () => {
    await tf.setBackend("wasm");
    const x = counting([1000, 784]);
    const idx = tf.tensor1d([5, 3, 999], "int32");
    try {
      expect(readSyncCalls(() => tf.slice(x, [100, 0], [100, 784]).dispose())).toBe(0);
      expect(readSyncCalls(() => tf.gather(x, idx).dispose())).toBe(0);
      uninstallCopyFix(); // the stock kernels do copy: the measurement above can tell them apart
      expect(readSyncCalls(() => tf.slice(x, [100, 0], [100, 784]).dispose())).toBeGreaterThan(0);
      expect(readSyncCalls(() => tf.gather(x, idx).dispose())).toBeGreaterThan(0);
    } finally {
      installCopyFix();
      tf.dispose([x, idx]);
    }
  });
});

describe("fixed wasm slice equals the cpu backend", () => {
  const cases: Array<[string, number[], number[], number[]]> = [
    ["rows of a matrix (one run)", [60, 7], [10, 0], [20, -1]],
    ["a block of a matrix", [9, 11], [2, 3], [4, 5]],
    ["one column", [6, 5], [0, 4], [-1, 1]],
    ["a crop of every image", [5, 28, 28], [0, 7, 7], [-1, 14, 14]],
    ["rank 4, short runs", [3, 4, 5, 6], [1, 1, 2, 3], [2, 2, 2, 2]],
    ["rank 5", [2, 3, 2, 4, 3], [1, 0, 1, 1, 0], [1, 3, 1, 2, 3]],
    ["a vector", [50], [13], [20]],
    ["the whole tensor", [4, 3], [0, 0], [4, 3]],
    ["nothing", [4, 3], [2, 0], [0, 3]],
  ];
  it.each(cases)("%s", async (_name, shape, begin, sizes) => {
    await expectSameAsCpu(() => tf.tidy(() => tf.slice(counting(shape), begin, sizes)));
  });

  it("int32 and bool tensors", async () => {
    await expectSameAsCpu(() => tf.tidy(() => tf.slice(counting([8, 9], "int32"), [1, 2], [3, 4])));
    await expectSameAsCpu(() => tf.tidy(() => tf.slice(tf.greater(counting([8, 9]), 30), [1, 2], [5, 6])));
  });

  it("a slice that does not fit is an error, as on cpu (stock wasm returned memory past the tensor)", async () => {
    await tf.setBackend("wasm");
    const x = counting([300, 4]);
    try {
      expect(() => tf.slice(x, [256, 0], [128, 4])).toThrow(/begin\[0\] \+ size\[0\] \(384\) would overflow input.shape\[0\] \(300\)/);
      expect(() => tf.slice(x, [0, 2], [10, 3])).toThrow(/overflow input.shape\[1\] \(4\)/);
    } finally {
      x.dispose();
    }
  });
});

describe("fixed wasm gather equals the cpu backend", () => {
  it("rows in any order, repeated (a shuffled mini-batch)", async () => {
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(counting([300, 784]), tf.tensor1d([299, 0, 5, 5, 17, 123], "int32"))));
  });

  it("along an inner axis, with a negative axis, and a 2-D index tensor", async () => {
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(counting([4, 6, 3]), tf.tensor1d([5, 0, 2], "int32"), 1)));
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(counting([4, 6, 3]), tf.tensor1d([2, 2, 0, 1], "int32"), -1)));
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(counting([10, 5]), tf.tensor2d([[1, 2], [9, 0], [3, 3]], [3, 2], "int32"))));
  });

  it("labels (a vector, one number per run), int32 and bool tensors", async () => {
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(counting([100]), tf.tensor1d([7, 3, 99, 0], "int32"))));
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(counting([20, 3], "int32"), tf.tensor1d([19, 4], "int32"))));
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(tf.greater(counting([20, 3]), 25), tf.tensor1d([19, 4, 8], "int32"))));
  });

  it("with batchDims", async () => {
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(counting([3, 5, 2]), tf.tensor2d([[4, 0], [1, 1], [2, 3]], [3, 2], "int32"), 1, 1)));
  });

  it("no indices, and an index out of range is an error naming it", async () => {
    await expectSameAsCpu(() => tf.tidy(() => tf.gather(counting([6, 2]), tf.tensor1d([], "int32"))));
    await tf.setBackend("wasm");
    const x = counting([6, 2]);
    const bad = tf.tensor1d([1, 6], "int32");
    try {
      expect(() => tf.gather(x, bad)).toThrow("GatherV2: the index value 6 is not in [0, 5]");
    } finally {
      tf.dispose([x, bad]);
    }
  });
});

describe("what the fix is for", () => {
  it("model.fit on the wasm backend trains through the fixed gather and gives the same numbers as without it", async () => {
    await tf.setBackend("wasm");
    // tfjs's per-kernel leak check (on under IS_TEST) trips over stock wasm's fused matMul inside layers
    tf.env().set("IS_TEST", false);
    const fitOnce = async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: "ones" })] });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
      const x = counting([12, 4]).div(48);
      const y = counting([12, 3]).div(36);
      const history = await model.fit(x, y, { epochs: 3, batchSize: 5, shuffle: false, verbose: 0 });
      const weights = Array.from(model.getWeights()[0].dataSync());
      tf.dispose([x, y]);
      model.dispose();
      return { loss: history.history.loss, weights };
    };
    const fixed = await fitOnce();
    uninstallCopyFix();
    try {
      expect(await fitOnce()).toEqual(fixed);
    } finally {
      installCopyFix();
      tf.env().set("IS_TEST", true);
    }
    expect(fixed.loss.length).toBe(3);
  });
});
