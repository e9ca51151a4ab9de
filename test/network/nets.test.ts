import { describe, expect, it } from "vitest";
import { Matrix } from "../../src/network/matrix";
import { TwoLayerNet } from "../../src/network/two-layer-net";
import { MultiLayerNet } from "../../src/network/multi-layer-net";
import { testScores } from "../../src/network/test-scores";
import { setProductKernel, type ProductKernel } from "../../src/network/matmul";
import { float64Products, setMatmulThreads, startMatmulThreads } from "../../src/runtime/float64";
import { argmaxRows } from "../../src/network/matrix";
import { Rng } from "../../src/network/rng";
import { maxAbsDiff, meanAbsDiff, randomMatrix, relativeError } from "./check";

function labels(rng: Rng, n: number, classes: number): number[] {
  return Array.from({ length: n }, () => rng.int(classes));
}

describe("TwoLayerNet", () => {
  it("backprop matches the numerical gradient (mean |diff| ~1e-10, as in the book)", () => {
    // ReLU has a kink at 0: a hidden pre-activation within h = 1e-4 of 0 would make the numerical
    // derivative wrong there, so take the first seed whose pre-activations all stay clear of it.
    let seed = 0;
    let net: TwoLayerNet, x: Matrix, rng: Rng;
    do {
      rng = new Rng(++seed);
      net = new TwoLayerNet(30, 10, 5, 0.01, { rng });
      x = new Matrix(3, 30).map(() => rng.random()); // like pixels in [0, 1]
    } while (net.layers[0].forward(x).data.some((v) => Math.abs(v) < 1e-3));
    const t = labels(rng, 3, 5);
    const numeric = net.numericalGradient(x, t);
    const backprop = net.gradient(x, t);
    for (const key of ["W1", "b1", "W2", "b2"]) {
      expect(meanAbsDiff(numeric[key], backprop[key]), key).toBeLessThan(1e-9);
      expect(relativeError(numeric[key], backprop[key]), key).toBeLessThan(1e-6);
    }
  });

  it("with sigmoid (the chapter 4 version) as well", () => {
    const rng = new Rng(12);
    const net = new TwoLayerNet(8, 6, 3, 0.5, { rng, activation: "sigmoid" });
    const x = randomMatrix(rng, 4, 8);
    const t = labels(rng, 4, 3);
    const numeric = net.numericalGradient(x, t);
    const backprop = net.gradient(x, t);
    for (const key of Object.keys(numeric)) expect(relativeError(numeric[key], backprop[key]), key).toBeLessThan(1e-7);
  });

  it("params are the arrays the layers use, so updating them changes the predictions", () => {
    const net = new TwoLayerNet(4, 3, 2, 0.1, { rng: new Rng(1) });
    const x = Matrix.from([[1, 2, 3, 4]]);
    const before = net.predict(x).data.slice();
    net.params.b2[0] += 1;
    expect(net.predict(x).data[0]).toBeCloseTo(before[0] + 1, 12);
    expect(() => new TwoLayerNet(4, 0, 2)).toThrow(/hiddenSize must be a positive integer, got 0/);
  });
});

describe("MultiLayerNet", () => {
  for (const activation of ["relu", "sigmoid"] as const) {
    it(`backprop matches the numerical gradient with weight decay and dropout (${activation})`, () => {
      const rng = new Rng(21);
      const net = new MultiLayerNet({
        inputSize: 6, hiddenSizes: [5, 4], outputSize: 3, activation,
        weightDecayLambda: 0.1, useDropout: true, dropoutRatio: 0.3, rng,
      });
      const x = randomMatrix(rng, 4, 6);
      const t = labels(rng, 4, 3);
      const numeric = net.numericalGradient(x, t);
      const backprop = net.gradient(x, t); // the same dropout masks (numericalGradient rewinds the generator)
      expect(Object.keys(backprop)).toEqual(["W1", "b1", "W2", "b2", "W3", "b3"]);
      for (const key of Object.keys(numeric)) expect(relativeError(numeric[key], backprop[key]), key).toBeLessThan(1e-7);
    });
  }

  it("the weight decay term is ½λΣ‖W‖² and its gradient λW", () => {
    const make = (lambda: number): MultiLayerNet =>
      new MultiLayerNet({ inputSize: 4, hiddenSizes: [3], outputSize: 2, weightDecayLambda: lambda, rng: new Rng(5) });
    const plain = make(0);
    const decayed = make(0.5);
    const x = Matrix.from([[1, -1, 0.5, 2]]);
    let sq = 0;
    for (const key of ["W1", "W2"]) for (const w of decayed.params[key]) sq += w * w;
    expect(decayed.loss(x, [1]) - plain.loss(x, [1])).toBeCloseTo(0.25 * sq, 12);
    const g0 = plain.gradient(x, [1]);
    const g1 = decayed.gradient(x, [1]);
    for (let i = 0; i < g0.W1.length; i++) expect(g1.W1[i] - g0.W1[i]).toBeCloseTo(0.5 * decayed.params.W1[i], 12);
    expect(Array.from(g1.b1)).toEqual(Array.from(g0.b1));
  });

  it("initial weights: He = √(2/n), Xavier = √(1/n), or a given std", () => {
    const std = (w: Float64Array): number => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    const he = new MultiLayerNet({ inputSize: 784, hiddenSizes: [100], outputSize: 10, weightInit: "he", rng: new Rng(1) });
    expect(std(he.params.W1) / Math.sqrt(2 / 784)).toBeCloseTo(1, 1);
    expect(std(he.params.W2) / Math.sqrt(2 / 100)).toBeCloseTo(1, 1);
    const xavier = new MultiLayerNet({ inputSize: 784, hiddenSizes: [100], outputSize: 10, weightInit: "xavier", rng: new Rng(1) });
    expect(std(xavier.params.W1) / Math.sqrt(1 / 784)).toBeCloseTo(1, 1);
    const fixed = new MultiLayerNet({ inputSize: 784, hiddenSizes: [100], outputSize: 10, weightInit: 0.01, rng: new Rng(1) });
    expect(std(fixed.params.W1) / 0.01).toBeCloseTo(1, 1);
    expect(Array.from(fixed.params.b1).every((v) => v === 0)).toBe(true);
  });

  it("records each hidden layer's activations and the gradients arriving at them (a 10×100 stack)", () => {
    const rng = new Rng(3);
    const net = new MultiLayerNet({ inputSize: 20, hiddenSizes: new Array(10).fill(100), outputSize: 4, activation: "sigmoid", weightInit: "xavier", rng });
    const x = randomMatrix(rng, 8, 20);
    net.gradient(x, labels(rng, 8, 4));
    expect(net.activations).toHaveLength(10);
    expect(net.activationGradients).toHaveLength(10);
    for (const a of [...net.activations, ...net.activationGradients]) expect(a.shape).toEqual([8, 100]);
    expect(net.activations[3].data.every((v) => v > 0 && v < 1)).toBe(true);
    // vanishing gradients with sigmoid: much smaller at the first layer than at the last
    const meanAbs = (m: Matrix): number => m.data.reduce((s, v) => s + Math.abs(v), 0) / m.size;
    expect(meanAbs(net.activationGradients[0])).toBeLessThan(meanAbs(net.activationGradients[9]) / 10);
  });

  it("accuracy's fast path gives exactly the scores of predict (ReLU + dropout in test mode, worker threads)", async () => {
    const stacks: number[] = [];
    const counting: ProductKernel = {
      product: float64Products.product,
      denseStack: (x, stages) => {
        stacks.push(stages.length);
        return float64Products.denseStack(x, stages);
      },
    };
    const oldKernel = setProductKernel(counting);
    const old = setMatmulThreads(3);
    expect(await startMatmulThreads()).toBe(2);
    const rng = new Rng(4);
    const net = new MultiLayerNet({ inputSize: 50, hiddenSizes: [40, 30, 20], outputSize: 10, useDropout: true, dropoutRatio: 0.2, rng });
    const x = randomMatrix(rng, 1700, 50, 0.7); // big enough to share between threads
    setProductKernel(null);
    const scores = net.predict(x, false); // the layers one by one, plain loops
    setProductKernel(counting);
    expect(maxAbsDiff(testScores(net.layers, x).data, scores.data)).toBe(0);
    expect(stacks).toEqual([4]); // the four Affine layers (+ ReLU + Dropout) in one call
    const predicted = argmaxRows(scores);
    const t = Array.from(predicted, (p, i) => (i % 3 === 0 ? (p + 1) % 10 : p)); // a third of them wrong
    expect(net.accuracy(x, t)).toBeCloseTo(1 - 567 / 1700, 12);
    expect(net.accuracy(x, Array.from(predicted))).toBe(1);
    expect(stacks).toHaveLength(3);
    setMatmulThreads(1);
    expect(maxAbsDiff(testScores(net.layers, x).data, scores.data)).toBe(0);
    expect(stacks).toHaveLength(4);
    setMatmulThreads(old);
    // a sigmoid network is not a stack of Affine → ReLU: its layers run one by one
    const sigmoid = new MultiLayerNet({ inputSize: 50, hiddenSizes: [40], outputSize: 10, activation: "sigmoid", rng });
    expect(Array.from(testScores(sigmoid.layers, x).data)).toEqual(Array.from(sigmoid.predict(x).data));
    expect(stacks).toHaveLength(4); // not even asked
    setProductKernel(oldKernel);
  });

  it("accuracy takes one-hot targets too, and checks their shape", () => {
    const net = new MultiLayerNet({ inputSize: 3, hiddenSizes: [4], outputSize: 2, rng: new Rng(9) });
    const x = randomMatrix(new Rng(1), 10, 3);
    const p = argmaxRows(net.predict(x));
    const oneHot = new Matrix(10, 2);
    p.forEach((c, i) => oneHot.set(i, c, 1));
    expect(net.accuracy(x, oneHot)).toBe(1);
    expect(() => net.accuracy(x, new Matrix(10, 3))).toThrow(/targets are 10×3 but the outputs are 10×2/);
    expect(() => net.accuracy(x, [0, 1])).toThrow(/2 labels for a batch of 10 rows/);
  });

  it("rejects bad options", () => {
    expect(() => new MultiLayerNet({ inputSize: 3, hiddenSizes: [4, -1], outputSize: 2 })).toThrow(/hiddenSizes\[1\]/);
    expect(() => new MultiLayerNet({ inputSize: 3, hiddenSizes: [4], outputSize: 2, weightInit: "lecun" as "he" })).toThrow(/weightInit/);
    expect(() => new MultiLayerNet({ inputSize: 3, hiddenSizes: [4], outputSize: 2, weightDecayLambda: -1 })).toThrow(/weightDecayLambda/);
  });
});
