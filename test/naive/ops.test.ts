import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  naiveAdd,
  naiveAddMatrixAndVector,
  naiveMatrixDot,
  naiveMatrixVectorDot,
  naiveRelu,
  naiveVectorDot,
  type Matrix,
} from "../../src/naive/ops";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Seeded uniform numbers in [-1, 1), so failures can be reproduced. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return (seed / 2 ** 32) * 2 - 1;
  };
}
const r = rng(7);
const randomMatrix = (rows: number, cols: number): Matrix => Array.from({ length: rows }, () => Array.from({ length: cols }, r));

/** Every entry within a float32 tolerance of tfjs's result. */
function expectClose(actual: number | number[] | number[][], expected: number | number[] | number[][]): void {
  const a = [actual].flat(2) as number[];
  const e = [expected].flat(2) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(Math.abs(v - e[i]), `entry ${i}: ${v} vs ${e[i]}`).toBeLessThan(1e-4 * (1 + Math.abs(e[i]))));
}

describe("element-wise operations agree with tfjs", () => {
  const x = randomMatrix(20, 100);
  const y = randomMatrix(20, 100);

  it("naiveRelu = tf.relu, and leaves its input alone", () => {
    const copy = x.map((row) => [...row]);
    const out = naiveRelu(x);
    expectClose(out, tf.relu(tf.tensor2d(x)).arraySync());
    expect(x).toEqual(copy);
    expect(out.flat().every((v) => v >= 0)).toBe(true);
    expect(naiveRelu([[-2, 0, 3]])).toEqual([[0, 0, 3]]);
  });

  it("naiveAdd = tf.add", () => {
    expectClose(naiveAdd(x, y), tf.add(tf.tensor2d(x), tf.tensor2d(y)).arraySync() as number[][]);
    expect(naiveAdd([[1, 2]], [[10, 20]])).toEqual([[11, 22]]);
  });

  it("naiveAdd refuses different shapes", () => {
    expect(() => naiveAdd(x, randomMatrix(20, 99))).toThrow(/\(20, 100\) but y has shape \(20, 99\)/);
    expect(() => naiveAdd([[1], [2, 3]], [[1], [2]])).toThrow(/ragged: row 0 has 1 entries, row 1 has 2/);
  });

  it("naiveAddMatrixAndVector = tf.add with broadcasting", () => {
    const v = randomMatrix(1, 100)[0];
    expectClose(naiveAddMatrixAndVector(x, v), tf.add(tf.tensor2d(x), tf.tensor1d(v)).arraySync() as number[][]);
    expect(naiveAddMatrixAndVector([[1, 2], [3, 4]], [10, 20])).toEqual([[11, 22], [13, 24]]);
    expect(() => naiveAddMatrixAndVector(x, [1, 2])).toThrow(/y has shape \(2,\); y needs 100 entries/);
  });
});

describe("tensor products agree with tfjs dot", () => {
  it("vector · vector is a scalar", () => {
    const a = randomMatrix(1, 50)[0];
    const b = randomMatrix(1, 50)[0];
    expectClose(naiveVectorDot(a, b), tf.dot(tf.tensor1d(a), tf.tensor1d(b)).dataSync()[0]);
    expect(naiveVectorDot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(() => naiveVectorDot([1, 2], [1, 2, 3])).toThrow(/x has 2 entries but y has 3/);
  });

  it("matrix · vector: (n, m) · (m,) → (n,)", () => {
    const m = randomMatrix(7, 5);
    const v = randomMatrix(1, 5)[0];
    const z = naiveMatrixVectorDot(m, v);
    expect(z.length).toBe(7);
    expectClose(z, tf.dot(tf.tensor2d(m), tf.tensor1d(v)).arraySync() as number[]);
    expect(() => naiveMatrixVectorDot(m, [1, 2])).toThrow(/shape \(7, 5\) but y has shape \(2,\)/);
  });

  it("matrix · matrix: (a, b) · (b, c) → (a, c)", () => {
    for (const [a, b, c] of [[3, 4, 5], [1, 1, 1], [8, 2, 3], [4, 6, 1]]) {
      const x = randomMatrix(a, b);
      const y = randomMatrix(b, c);
      const z = naiveMatrixDot(x, y);
      expect([z.length, z[0].length]).toEqual([a, c]);
      expectClose(z, tf.matMul(tf.tensor2d(x), tf.tensor2d(y)).arraySync() as number[][]);
    }
    expect(naiveMatrixDot([[1, 2], [3, 4]], [[5, 6], [7, 8]])).toEqual([[19, 22], [43, 50]]);
    expect(() => naiveMatrixDot(randomMatrix(3, 4), randomMatrix(5, 2))).toThrow(/\(3, 4\) but y has shape \(5, 2\)/);
  });

  it("rejects things that are not matrices or vectors", () => {
    expect(() => naiveRelu([1, 2] as unknown as Matrix)).toThrow(/naiveRelu: x must be a matrix/);
    expect(() => naiveVectorDot([1, "2"] as unknown as number[], [1, 2])).toThrow(/naiveVectorDot: y|naiveVectorDot: x must be a vector/);
  });
});
