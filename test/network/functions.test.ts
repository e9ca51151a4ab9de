import { describe, expect, it } from "vitest";
import { Matrix } from "../../src/network/matrix";
import { crossEntropyError, oneHot, relu, sigmoid, sigmoidGrad, softmax, sumSquaredError } from "../../src/network/functions";
import { addRowVector, argmaxRows, sumRows, transpose } from "../../src/network/matrix";

// y and t from Saito §4.2.1–4.2.2: "2" is the right class.
const y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0];

describe("functions", () => {
  it("sum of squares error and cross-entropy of the book's example", () => {
    const t = oneHot([2], 10);
    expect(sumSquaredError(Matrix.rowVector(y), t)).toBeCloseTo(0.0975, 12);
    expect(crossEntropyError(Matrix.rowVector(y), [2])).toBeCloseTo(-Math.log(0.6 + 1e-7), 12);
    expect(crossEntropyError(Matrix.rowVector(y), t)).toBeCloseTo(-Math.log(0.6 + 1e-7), 12);
    expect(crossEntropyError(Matrix.rowVector(y), [7])).toBeCloseTo(-Math.log(0.1 + 1e-7), 12);
  });

  it("softmax rows sum to 1, keep the order, and do not overflow", () => {
    const s = softmax(Matrix.from([[0.3, 2.9, 4.0], [1010, 1000, 990]]));
    for (let i = 0; i < 2; i++) expect(s.row(i).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(Array.from(s.row(0)).map((v) => +v.toFixed(8))).toEqual([0.01821127, 0.24519181, 0.73659691]); // the book's example
    expect(s.get(1, 0)).toBeCloseTo(1 / (1 + Math.exp(-10) + Math.exp(-20)), 14);
    expect(Array.from(argmaxRows(s))).toEqual([2, 0]);
  });

  it("sigmoid, its slope (at most ¼) and relu", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoidGrad(0)).toBe(0.25);
    expect(sigmoidGrad(5)).toBeLessThan(0.01);
    expect([relu(-1), relu(0), relu(2)]).toEqual([0, 0, 2]);
  });

  it("matrix helpers: bias broadcast, column sums, transpose", () => {
    const x = Matrix.from([[1, 2], [3, 4], [5, 6]]);
    expect(addRowVector(x, Float64Array.from([10, 20])).toArray()).toEqual([[11, 22], [13, 24], [15, 26]]);
    expect(Array.from(sumRows(x))).toEqual([9, 12]);
    expect(transpose(x).toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(() => addRowVector(x, new Float64Array(3))).toThrow(/length 3 to the rows of a 3×2 matrix/);
    expect(() => Matrix.from([[1, 2], [3]])).toThrow(/row 1 has 1 numbers, row 0 has 2/);
    expect(() => new Matrix(2, 2, new Float64Array(3))).toThrow(/3 numbers but a 2×2 matrix needs 4/);
    expect(() => sumSquaredError(x, new Matrix(2, 3))).toThrow(/y is 3×2 but t is 2×3/);
  });
});
