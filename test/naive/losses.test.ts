import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  EPSILON, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy,
  meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError,
} from "../../src/naive/losses";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const tfValue = (t: tf.Tensor): number => tf.tidy(() => tf.mean(t).dataSync()[0]);

describe("losses by hand", () => {
  it("binary crossentropy: −mean[t log p + (1 − t) log(1 − p)]", () => {
    expect(binaryCrossentropy([1, 0, 1], [0.9, 0.2, 0.6])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3, 12);
    // a confident right answer costs almost nothing, a confident wrong one a lot
    expect(binaryCrossentropy([1], [0.999])).toBeLessThan(0.002);
    expect(binaryCrossentropy([1], [0.001])).toBeGreaterThan(6.9);
  });

  it("clips probabilities to [ε, 1 − ε], so p = 0 or 1 gives a finite loss", () => {
    expect(binaryCrossentropy([1], [0])).toBeCloseTo(-Math.log(EPSILON), 9);
    expect(binaryCrossentropy([0], [1])).toBeCloseTo(-Math.log(EPSILON), 6);
    expect(sparseCategoricalCrossentropy([0], [[0, 1]])).toBeCloseTo(-Math.log(EPSILON), 9);
  });

  it("categorical crossentropy: −Σ t log p per sample, averaged; rows are normalised first", () => {
    const t = [[0, 1, 0], [1, 0, 0]];
    expect(categoricalCrossentropy(t, [[0.1, 0.8, 0.1], [0.6, 0.3, 0.1]])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(categoricalCrossentropy(t, [[0.2, 1.6, 0.2], [1.2, 0.6, 0.2]])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
  });

  it("sparse categorical crossentropy equals categorical crossentropy with one-hot targets", () => {
    const p = [[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6]];
    expect(sparseCategoricalCrossentropy([1, 0, 2], p)).toBeCloseTo(categoricalCrossentropy([[0, 1, 0], [1, 0, 0], [0, 0, 1]], p), 14);
  });

  it("MSE, MAE and MAPE on numbers and on rows (row means first)", () => {
    expect(meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBeCloseTo((0.25 + 0.25 + 0 + 1) / 4, 14);
    expect(meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBeCloseTo((0.5 + 0.5 + 0 + 1) / 4, 14);
    expect(meanAbsolutePercentageError([100, 50], [110, 40])).toBeCloseTo(15, 12);
    expect(meanSquaredError([[1, 2], [3, 5]], [[1, 4], [3, 5]])).toBeCloseTo((2 + 0) / 2, 14);
    expect(meanAbsolutePercentageError([0], [1])).toBeCloseTo(100 / EPSILON, 0);
  });

  it("agrees with tf.metrics on random batches (float32 tolerance)", () => {
    let seed = 3;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const probs = Array.from({ length: 6 }, () => { const r = [rand(), rand(), rand(), rand()]; const s = r.reduce((a, b) => a + b); return r.map((v) => v / s); });
    const labels = [0, 3, 1, 2, 3, 0];
    const oneHot = labels.map((l) => [0, 1, 2, 3].map((j) => (j === l ? 1 : 0)));
    const bTrue = [1, 0, 0, 1, 1, 0], bPred = bTrue.map(() => rand());
    const yTrue = Array.from({ length: 6 }, () => 10 * rand() + 1), yPred = yTrue.map((v) => v + rand() - 0.5);
    const close = (mine: number, theirs: tf.Tensor) => expect(Math.abs(mine - tfValue(theirs))).toBeLessThan(1e-5 * Math.max(1, Math.abs(mine)));
    close(binaryCrossentropy(bTrue, bPred), tf.metrics.binaryCrossentropy(tf.tensor1d(bTrue), tf.tensor1d(bPred)));
    close(categoricalCrossentropy(oneHot, probs), tf.metrics.categoricalCrossentropy(tf.tensor2d(oneHot), tf.tensor2d(probs)));
    close(sparseCategoricalCrossentropy(labels, probs), tf.metrics.categoricalCrossentropy(tf.oneHot(tf.tensor1d(labels, "int32"), 4), tf.tensor2d(probs)));
    close(meanSquaredError(yTrue, yPred), tf.metrics.meanSquaredError(tf.tensor1d(yTrue), tf.tensor1d(yPred)));
    close(meanAbsoluteError(yTrue, yPred), tf.metrics.meanAbsoluteError(tf.tensor1d(yTrue), tf.tensor1d(yPred)));
    close(meanAbsolutePercentageError(yTrue, yPred), tf.metrics.meanAbsolutePercentageError(tf.tensor1d(yTrue), tf.tensor1d(yPred)));
  });

  it("rejects bad input with a message naming the function and the problem", () => {
    expect(() => meanSquaredError([1, 2], [1])).toThrow(/meanSquaredError: yTrue has 2 samples but yPred has 1/);
    expect(() => binaryCrossentropy([1], [1.5])).toThrow(/binaryCrossentropy: yPred\[0\]\[0\] = 1.5 is not a probability/);
    expect(() => sparseCategoricalCrossentropy([3], [[0.5, 0.5]])).toThrow(/label 3 of sample 0 is not a class index in 0…1/);
    expect(() => sparseCategoricalCrossentropy([0, 1], [[0.5, 0.5]])).toThrow(/1 samples, got 2 labels/);
    expect(() => categoricalCrossentropy([[1, 0]], [[1, 0, 0]])).toThrow(/sample 0 has 2 targets but 3 predictions/);
    expect(() => categoricalCrossentropy([[1, 0]], [[-0.5, 1.5]])).toThrow(/yPred\[0\]\[0\] = -0.5 is negative/);
    expect(() => meanAbsoluteError([], [])).toThrow(/yTrue has no samples/);
    expect(() => meanAbsoluteError([NaN], [1])).toThrow(/yTrue\[0\]\[0\] is NaN/);
  });
});
