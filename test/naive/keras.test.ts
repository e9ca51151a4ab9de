import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { BatchGenerator, NaiveDense, NaiveSequential } from "../../src/naive/keras";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("NaiveDense", () => {
  it("computes activation(x·W + b) with W uniform in [0, 0.1) and b = 0", () => {
    const layer = new NaiveDense(4, 3, tf.relu, 7);
    expect(layer.W.shape).toEqual([4, 3]);
    expect(layer.b.shape).toEqual([3]);
    const w = layer.W.dataSync();
    expect(Math.min(...w)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...w)).toBeLessThan(0.1);
    expect(Array.from(layer.b.dataSync())).toEqual([0, 0, 0]);
    layer.b.assign(tf.tensor1d([-10, 0, 1]));
    const x = tf.tensor2d([[1, 2, 3, 4], [0, 0, 0, 0]]);
    const W = layer.W.arraySync() as number[][];
    const expected = [[1, 2, 3, 4], [0, 0, 0, 0]].map((row) =>
      [0, 1, 2].map((j) => Math.max(0, row.reduce((s, v, k) => s + v * W[k][j], 0) + [-10, 0, 1][j])),
    );
    const got = layer.call(x).arraySync() as number[][];
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
    expect(got[0][0]).toBe(0); // relu cut the −10 bias
    expect(layer.weights).toEqual([layer.W, layer.b]);
  });

  it("is reproducible with a seed", () => {
    const a = new NaiveDense(5, 2, tf.relu, 1).W.dataSync();
    const b = new NaiveDense(5, 2, tf.relu, 1).W.dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("rejects bad sizes and inputs", () => {
    expect(() => new NaiveDense(0, 3, tf.relu)).toThrow(/NaiveDense: inputSize must be a positive integer, got 0/);
    expect(() => new NaiveDense(3, 2, undefined as never)).toThrow(/activation must be a function/);
    expect(() => new NaiveDense(3, 2, tf.relu).call(tf.zeros([2, 4]))).toThrow(/inputs have shape \[2, 4\] but the layer needs \[batch, 3\]/);
  });
});

describe("NaiveSequential", () => {
  it("chains its layers and lists their weights in order", () => {
    const l1 = new NaiveDense(784, 512, tf.relu, 1);
    const l2 = new NaiveDense(512, 10, tf.softmax, 2);
    const model = new NaiveSequential([l1, l2]);
    expect(model.weights).toEqual([l1.W, l1.b, l2.W, l2.b]);
    expect(model.countParams()).toBe(784 * 512 + 512 + 512 * 10 + 10);
    const x = tf.randomUniform([3, 784], 0, 1, "float32", 3);
    const out = model.call(x);
    expect(out.shape).toEqual([3, 10]);
    const direct = l2.call(l1.call(x));
    expect(tf.max(tf.abs(tf.sub(out, direct))).dataSync()[0]).toBe(0);
    for (const s of tf.sum(out, 1).dataSync()) expect(s).toBeCloseTo(1, 5);
  });

  it("lets the gradient tape see through call: for L = Σ(x·W + b), dL/dW = xᵀ·1 and dL/db = the batch size", () => {
    const layer = new NaiveDense(3, 2, (t) => t, 5);
    const model = new NaiveSequential([layer]);
    const rows = [[1, 2, 3], [4, 5, 6]];
    const { value, grads } = tf.variableGrads(() => tf.sum(model.call(tf.tensor2d(rows))) as tf.Scalar, model.weights);
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    const dW = grads[layer.W.name].arraySync() as number[][];
    dW.forEach((row, i) => row.forEach((v) => expect(v).toBeCloseTo(rows[0][i] + rows[1][i], 5)));
    expect(Array.from(grads[layer.b.name].dataSync())).toEqual([2, 2]);
  });

  it("needs layers", () => {
    expect(() => new NaiveSequential([])).toThrow(/non-empty array of layers/);
  });
});

describe("BatchGenerator", () => {
  const images = tf.tensor2d(Array.from({ length: 10 }, (_, i) => [i, -i]));
  const labels = tf.tensor1d(Array.from({ length: 10 }, (_, i) => i % 3));

  it("hands out consecutive batches, the last one shorter, then starts over", () => {
    const gen = new BatchGenerator(images, labels, 4);
    expect(gen.numBatches).toBe(3);
    const sizes: number[] = [];
    const firstColumn: number[] = [];
    for (let i = 0; i < 4; i++) {
      const b = gen.next();
      sizes.push(b.images.shape[0]);
      expect(b.labels.shape[0]).toBe(b.images.shape[0]);
      firstColumn.push((b.images.arraySync() as number[][])[0][0]);
    }
    expect(sizes).toEqual([4, 4, 2, 4]);
    expect(firstColumn).toEqual([0, 4, 8, 0]);
  });

  it("gives 469 batches of 128 for 60,000 samples", () => {
    const gen = new BatchGenerator(tf.zeros([60000, 1]) as tf.Tensor2D, tf.zeros([60000]) as tf.Tensor1D);
    expect(gen.numBatches).toBe(469);
    for (let i = 0; i < 468; i++) gen.next();
    expect(gen.next().images.shape).toEqual([96, 1]);
  });

  it("checks that images and labels match", () => {
    expect(() => new BatchGenerator(images, tf.zeros([9]) as tf.Tensor1D)).toThrow(/10 images but 9 labels/);
    expect(() => new BatchGenerator(tf.zeros([4]) as never, labels)).toThrow(/images must be a rank-2 tensor/);
    expect(() => new BatchGenerator(images, labels, 0)).toThrow(/batchSize must be a positive integer, got 0/);
  });
});
