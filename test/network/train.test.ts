import { describe, expect, it } from "vitest";
import { Matrix } from "../../src/network/matrix";
import { MultiLayerNet } from "../../src/network/multi-layer-net";
import { SGD } from "../../src/network/optimizers";
import { EpochInfo, train } from "../../src/network/train";
import { Rng } from "../../src/network/rng";
import { setProductKernel } from "../../src/network/matmul";
import { float64Products } from "../../src/runtime/float64";

/** Three Gaussian blobs in the plane, one per class. */
function blobs(rng: Rng, n: number): { x: Matrix; t: number[] } {
  const centers = [[-2, 0], [2, 0], [0, 3]];
  const x = new Matrix(n, 2);
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.set(i, 0, centers[c][0] + 0.5 * rng.normal());
    x.set(i, 1, centers[c][1] + 0.5 * rng.normal());
    t.push(c);
  }
  return { x, t };
}

describe("train", () => {
  it("learns three blobs, reporting every epoch", () => {
    const rng = new Rng(1);
    const { x, t } = blobs(rng, 150);
    const test = blobs(rng, 60);
    const net = new MultiLayerNet({ inputSize: 2, hiddenSizes: [10], outputSize: 3, rng });
    const seen: EpochInfo[] = [];
    const history = train({
      network: net, xTrain: x, tTrain: t, xTest: test.x, tTest: test.t,
      optimizer: new SGD(0.1), epochs: 20, batchSize: 30, rng, onEpoch: (info) => seen.push(info),
    });
    expect(seen.map((s) => s.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(seen.map((s) => s.iteration)).toEqual(Array.from({ length: 20 }, (_, i) => 5 * i + 1)); // 150/30 = 5 per epoch
    expect(history.loss).toHaveLength(96);
    expect(history.trainAccuracy).toHaveLength(20);
    expect(history.trainAccuracy[19]).toBeGreaterThan(0.95);
    expect(history.testAccuracy[19]).toBeGreaterThan(0.9);
    expect(history.loss[95]).toBeLessThan(history.loss[0] / 3);
  });

  it("gives the same numbers to the last bit with the WebAssembly kernels and with plain TypeScript loops", () => {
    const run = (): { history: ReturnType<typeof train>; W1: number[] } => {
      const rng = new Rng(2);
      const x = new Matrix(200, 50).map(() => (rng.random() < 0.6 ? 0 : rng.random()));
      const t = Array.from({ length: 200 }, () => rng.int(5));
      const network = new MultiLayerNet({ inputSize: 50, hiddenSizes: [40, 30], outputSize: 5, useDropout: true, dropoutRatio: 0.1, rng });
      const history = train({ network, xTrain: x, tTrain: t, xTest: x, tTest: t, optimizer: new SGD(0.05), epochs: 4, batchSize: 50, rng });
      return { history, W1: Array.from(network.params.W1) };
    };
    const old = setProductKernel(float64Products);
    const fast = run();
    setProductKernel(null);
    const plain = run();
    setProductKernel(old);
    expect(fast.history).toEqual(plain.history);
    expect(fast.W1).toEqual(plain.W1);
  });

  it("checks its arguments", () => {
    const net = new MultiLayerNet({ inputSize: 2, hiddenSizes: [3], outputSize: 2 });
    const x = new Matrix(4, 2);
    const base = { network: net, xTrain: x, tTrain: [0, 1, 0, 1], optimizer: new SGD() };
    expect(() => train({ ...base, epochs: 0 })).toThrow(/epochs must be a positive integer/);
    expect(() => train({ ...base, epochs: 1, tTrain: [0, 1] })).toThrow(/xTrain has 4 rows but tTrain has 2/);
    expect(() => train({ ...base, epochs: 1, xTest: x })).toThrow(/both xTest and tTest/);
  });
});
