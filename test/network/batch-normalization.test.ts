import { describe, expect, it } from "vitest";
import { Matrix } from "../../src/network/matrix";
import { BatchNormalization } from "../../src/network/batch-normalization";
import { MultiLayerNet } from "../../src/network/multi-layer-net";
import { Rng } from "../../src/network/rng";
import { checkGradient, dot, randomMatrix, relativeError } from "./check";

describe("BatchNormalization (Saito §6.3)", () => {
  it("training mode: every column comes out with mean β and standard deviation γ", () => {
    const rng = new Rng(1);
    const x = randomMatrix(rng, 50, 4);
    for (let i = 0; i < x.size; i++) x.data[i] = 3 + 5 * x.data[i]; // far from mean 0, std 1
    const bn = new BatchNormalization(Float64Array.from([1, 2, 0.5, 1]), Float64Array.from([0, -1, 3, 0.25]));
    const y = bn.forward(x, true);
    for (let j = 0; j < 4; j++) {
      let mean = 0, sq = 0;
      for (let i = 0; i < 50; i++) mean += y.get(i, j) / 50;
      for (let i = 0; i < 50; i++) sq += (y.get(i, j) - mean) ** 2 / 50;
      expect(mean).toBeCloseTo(bn.beta[j], 10);
      expect(Math.sqrt(sq)).toBeCloseTo(bn.gamma[j], 6);
    }
  });

  it("gradient check of dx, dγ and dβ against the numerical gradient", () => {
    const rng = new Rng(2);
    const x = randomMatrix(rng, 6, 5);
    const G = randomMatrix(rng, 6, 5);
    const bn = new BatchNormalization(rng.normalArray(5), rng.normalArray(5));
    const f = (): number => dot(bn.forward(x, true), G);
    f();
    const dx = bn.backward(G);
    const { dgamma, dbeta } = bn;
    expect(checkGradient(f, x.data, dx.data)).toBeLessThan(1e-7);
    expect(checkGradient(f, bn.gamma, dgamma)).toBeLessThan(1e-7);
    expect(checkGradient(f, bn.beta, dbeta)).toBeLessThan(1e-7);
    // the batch statistics matter: the naive dx = γ·dout/std (treating μ and σ² as constants) is wrong
    const std = Array.from({ length: 5 }, (_, j) => {
      let m = 0, v = 0;
      for (let i = 0; i < 6; i++) m += x.get(i, j) / 6;
      for (let i = 0; i < 6; i++) v += (x.get(i, j) - m) ** 2 / 6;
      return Math.sqrt(v + 1e-7);
    });
    const naive = Float64Array.from(G.data, (g, k) => (bn.gamma[k % 5] * g) / std[k % 5]);
    expect(relativeError(naive, dx.data)).toBeGreaterThan(0.1);
  });

  it("keeps running averages (momentum 0.9) and uses them at test time", () => {
    const bn = BatchNormalization.ofSize(2);
    const x = Matrix.from([[1, 10], [3, 30]]); // means 2, 20; variances 1, 100
    bn.forward(x, true);
    expect(Array.from(bn.runningMean)).toEqual([0.1 * 2, 0.1 * 20].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(bn.runningVar)).toEqual([0.1 * 1, 0.1 * 100].map((v) => expect.closeTo(v, 12)));
    for (let k = 0; k < 200; k++) bn.forward(x, true);
    const y = bn.forward(Matrix.from([[2, 30]]), false); // one example: normalized by the running statistics
    expect(y.get(0, 0)).toBeCloseTo(0, 6);
    expect(y.get(0, 1)).toBeCloseTo(1, 6);
    // test mode does not change the running averages
    const before = Array.from(bn.runningMean);
    bn.forward(x, false);
    expect(Array.from(bn.runningMean)).toEqual(before);
  });

  it("in MultiLayerNet (useBatchNorm): backprop matches the numerical gradient, γ and β included", () => {
    const rng = new Rng(3);
    const net = new MultiLayerNet({ inputSize: 6, hiddenSizes: [5, 4], outputSize: 3, useBatchNorm: true, weightDecayLambda: 0.05, rng });
    const x = randomMatrix(rng, 8, 6);
    const t = Array.from({ length: 8 }, () => rng.int(3));
    const numeric = net.numericalGradient(x, t);
    const backprop = net.gradient(x, t);
    expect(Object.keys(backprop).sort()).toEqual(["W1", "W2", "W3", "b1", "b2", "b3", "beta1", "beta2", "gamma1", "gamma2"]);
    for (const key of Object.keys(numeric)) {
      if (key === "b1" || key === "b2") {
        // a bias just before BatchNormalization is subtracted again with the batch mean: its gradient is 0
        for (const g of [...numeric[key], ...backprop[key]]) expect(Math.abs(g), key).toBeLessThan(1e-9);
      } else {
        expect(relativeError(numeric[key], backprop[key]), key).toBeLessThan(1e-6);
      }
    }
    expect(net.layers.map((l) => l.constructor.name).slice(0, 4)).toEqual(["Affine", "BatchNormalization", "Relu", "Affine"]);
  });

  it("accuracy in MultiLayerNet uses the running statistics (test mode), not the fast Affine+ReLU path", () => {
    const rng = new Rng(4);
    const net = new MultiLayerNet({ inputSize: 6, hiddenSizes: [5], outputSize: 3, useBatchNorm: true, rng });
    const x = randomMatrix(rng, 20, 6);
    const t = Array.from({ length: 20 }, () => rng.int(3));
    net.gradient(x, t); // one training pass sets the running statistics
    const scores = net.predict(x, false);
    let correct = 0;
    for (let i = 0; i < 20; i++) {
      const row = Array.from(scores.row(i));
      correct += +(row.indexOf(Math.max(...row)) === t[i]);
    }
    expect(net.accuracy(x, t)).toBe(correct / 20);
  });

  it("rejects bad shapes and options with clear errors", () => {
    expect(() => BatchNormalization.ofSize(3).forward(new Matrix(2, 4))).toThrow(/input is 2×4 but the layer has 3 units/);
    expect(() => new BatchNormalization(new Float64Array(2), new Float64Array(3))).toThrow(/gamma has 2 numbers but beta has 3/);
    expect(() => BatchNormalization.ofSize(2).backward(new Matrix(1, 2))).toThrow(/call forward in training mode first/);
    expect(() => BatchNormalization.ofSize(2, { momentum: 1 })).toThrow(/momentum must be in \[0, 1\)/);
  });
});
