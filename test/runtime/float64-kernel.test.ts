// The float64 WebAssembly kernel (src/runtime/float64/gemm.wat) and its seam into the network.
import { createHash } from "crypto";
import { afterAll, describe, expect, it } from "vitest";
import { float64Products, setMatmulThreads, startMatmulThreads } from "../../src/runtime/float64";
import { matmul, matmulBias, matmulTransA, matmulTransB, setProductKernel, type ProductKernel } from "../../src/network/matmul";
import { Matrix } from "../../src/network/matrix";
import { MultiLayerNet } from "../../src/network/multi-layer-net";
import { SGD } from "../../src/network/optimizers";
import { Rng } from "../../src/network/rng";

// sha256 of the outputs below, recorded with the kit before gemm.wat replaced the byte assembler
// (src/scratch/wasm-kernels.ts, then src/runtime/float64/kernels.ts; commit c4a25c7), one thread and two.
const BEFORE = {
  products: "b5886c966452c0bab6476c56a894a648b1cf5f5d4c32efa9b29c623774ccb5c0",
  scores: "ba19c3ea7873107c7f97daf233af34de8cec04dd3f671167353150428c36d0ef",
  accuracy: 0.09733333333333333,
  train: "7890fc80a217e503e8bda2784ff24d90afc06e19a20ad1cbd9ffcf57b72bc790",
};

function sha256(arrays: Float64Array[]): string {
  const h = createHash("sha256");
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest("hex");
}

function matrix(rng: Rng, rows: number, cols: number, zeros: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.random() < zeros ? 0 : rng.normal();
  return m;
}

/**
 * Saito's mini-batch loop (ch. 4.5), as the kit's former train() ran it when the hashes above were
 * recorded: an accuracy check on train and test data after every ⌈rows / batchSize⌉-th update.
 */
function train(net: MultiLayerNet, x: Matrix, t: number[], xTest: Matrix, tTest: number[], optimizer: SGD, epochs: number, batchSize: number, rng: Rng) {
  const history = { loss: [] as number[], trainAccuracy: [] as number[], testAccuracy: [] as number[] };
  const iterPerEpoch = Math.max(x.rows / batchSize, 1);
  for (let i = 0, epoch = 0; epoch < epochs; i++) {
    const batch = rng.choice(x.rows, batchSize);
    optimizer.update(net.params, net.gradient(x.pickRows(batch), Array.from(batch, (r) => t[r])));
    history.loss.push(net.lastLoss);
    if (i % iterPerEpoch === 0) {
      history.trainAccuracy.push(net.accuracy(x, t));
      history.testAccuracy.push(net.accuracy(xTest, tTest));
      epoch++;
    }
  }
  return history;
}

/** The fixed seeded case: products, test-mode scores, accuracy and a short training run. */
function seededCase(): typeof BEFORE {
  const rng = new Rng(2026);
  const a = matrix(rng, 203, 131, 0.5), b = matrix(rng, 131, 45, 0.1), bias = rng.normalArray(45);
  const at = matrix(rng, 131, 203, 0.7), bt = matrix(rng, 45, 131, 0);
  const products = sha256([matmul(a, b).data, matmulBias(a, b, bias).data, matmulTransA(at, b).data, matmulTransB(a, bt).data]);
  const x = matrix(rng, 1500, 60, 0.6);
  const net = new MultiLayerNet({ inputSize: 60, hiddenSizes: [50, 40, 30], outputSize: 10, useDropout: true, dropoutRatio: 0.25, rng });
  const scores = sha256([net.predict(x, false).data]);
  const t = Array.from({ length: 1500 }, () => rng.int(10));
  const accuracy = net.accuracy(x, t);
  const history = train(net, x.sliceRows(0, 300), t.slice(0, 300), x, t, new SGD(0.05), 3, 100, rng);
  const trained = sha256([
    Float64Array.from(history.loss), Float64Array.from(history.trainAccuracy), Float64Array.from(history.testAccuracy),
    ...Object.values(net.params),
  ]);
  return { products, scores, accuracy, train: trained };
}

/** The runtime's products, counting what they take (so that a test knows the kernel did the work). */
function counting(): ProductKernel & { products: number; stacks: number } {
  const k = {
    products: 0,
    stacks: 0,
    product: (...args: Parameters<ProductKernel["product"]>) => {
      const took = float64Products.product(...args);
      k.products += +took;
      return took;
    },
    denseStack: (...args: Parameters<ProductKernel["denseStack"]>) => {
      const y = float64Products.denseStack(...args);
      k.stacks += +(y !== null);
      return y;
    },
  };
  return k;
}

describe("the float64 WebAssembly kernel", () => {
  const oldThreads = setMatmulThreads(1);
  afterAll(() => {
    setProductKernel(null);
    setMatmulThreads(oldThreads);
  });

  it("gives the same bits as the kit before it was written as WebAssembly text (one thread)", () => {
    const k = counting();
    setProductKernel(k);
    expect(seededCase()).toEqual(BEFORE);
    expect(k.products).toBeGreaterThan(4); // the four products and the networks' big ones
    expect(k.stacks).toBe(1 + 2 * 3); // accuracy, then train and test accuracy after each of 3 epochs
  });

  it("gives the same bits on worker threads", async () => {
    setMatmulThreads(2);
    expect(await startMatmulThreads()).toBe(1);
    const k = counting();
    setProductKernel(k);
    expect(seededCase()).toEqual(BEFORE);
    expect(k.products).toBeGreaterThan(4);
    setMatmulThreads(1);
  });

  it("and so do the network's plain loops", () => {
    setProductKernel(null);
    expect(seededCase()).toEqual(BEFORE);
  });

  it("applies max(·, 0)·scale after the last layer of a stack only where asked, and declines an empty one", () => {
    const x = Matrix.from([[1, -2], [0, 3]]);
    const W = Matrix.from([[1, 0, -1], [0, 1, 1]]);
    const b = Float64Array.from([0.5, -0.5, 0]);
    // x·W + b = [[1.5, -2.5, -3], [0.5, 2.5, 3]]
    expect(Array.from(float64Products.denseStack(x, [{ W, b, relu: false, scale: 1 }]) ?? [])).toEqual([1.5, -2.5, -3, 0.5, 2.5, 3]);
    expect(Array.from(float64Products.denseStack(x, [{ W, b, relu: true, scale: 0.5 }]) ?? [])).toEqual([0.75, 0, 0, 0.25, 1.25, 1.5]);
    expect(float64Products.denseStack(x, [])).toBeNull();
    expect(float64Products.denseStack(Matrix.from([[1, 2, 3]]), [{ W, b, relu: false, scale: 1 }])).toBeNull(); // 3 columns, W has 2 rows
  });
});
