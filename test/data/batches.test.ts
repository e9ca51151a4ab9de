import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { batchCount } from "../../src/data/batches";

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
