import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { batchCount, getBatch } from "../../src/data/batches";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("batchCount", () => {
  it("counts 469 batches of 128 in 60,000 samples, 79 in 10,000", () => {
    expect(batchCount(60000, 128)).toBe(469);
    expect(batchCount(10000)).toBe(79);
    expect(batchCount(256, 128)).toBe(2);
    expect(batchCount(0, 128)).toBe(0);
  });
  it("rejects a bad size or count", () => {
    expect(() => batchCount(10, 0)).toThrow(/size must be a positive integer, got 0/);
    expect(() => batchCount(-1, 4)).toThrow(/samples must be an integer ≥ 0, got -1/);
  });
});

describe("getBatch", () => {
  // 10 samples of 2×3, sample i filled with the value i
  const x = tf.tile(tf.range(0, 10).reshape([10, 1, 1]), [1, 2, 3]);

  it("batch n holds samples [size·n, size·(n+1)), other axes whole", () => {
    const b = getBatch(x, 1, 4);
    expect(b.shape).toEqual([4, 2, 3]);
    expect((b.arraySync() as number[][][]).map((s) => s[0][0])).toEqual([4, 5, 6, 7]);
  });

  it("the last batch is shorter", () => {
    const b = getBatch(x, 2, 4);
    expect(b.shape).toEqual([2, 2, 3]);
    expect((b.arraySync() as number[][][]).map((s) => s[1][2])).toEqual([8, 9]);
  });

  it("the batches together are the whole tensor, in order", () => {
    const parts = [0, 1, 2, 3].map((n) => getBatch(x, n, 3));
    expect(parts.map((p) => p.shape[0])).toEqual([3, 3, 3, 1]);
    expect(tf.concat(parts, 0).arraySync()).toEqual(x.arraySync());
  });

  it("defaults to batches of 128 (MNIST-sized: the last of 60,000 holds 96)", () => {
    const big = tf.zeros([60000, 1]);
    expect(getBatch(big, 0).shape).toEqual([128, 1]);
    expect(getBatch(big, 468).shape).toEqual([96, 1]);
    expect(() => getBatch(big, 469)).toThrow(/batch 469 does not exist: 60000 samples make batches 0..468 of size 128/);
  });

  it("works on vectors (labels) too", () => {
    expect(getBatch(tf.range(0, 10), 3, 3).arraySync()).toEqual([9]);
  });

  it("rejects bad arguments with clear messages", () => {
    expect(() => getBatch(x, -1, 4)).toThrow(/batch -1 does not exist/);
    expect(() => getBatch(x, 0, 2.5)).toThrow(/size must be a positive integer, got 2.5/);
    expect(() => getBatch(tf.scalar(3), 0)).toThrow(/scalar/);
    expect(() => getBatch([1, 2, 3] as unknown as tf.Tensor, 0)).toThrow(/x must be a tf.Tensor/);
  });
});
