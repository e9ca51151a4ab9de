import { describe, expect, it } from "vitest";
import {
  deadUnits, geometricRatio, meanAbs, meanAbsPerLayer, meanStd, saturatedFraction, zeroColumns, zeroFraction,
} from "../../src/network/gradient-flow";
import { Matrix } from "../../src/network/matrix";
import { MultiLayerNet } from "../../src/network/multi-layer-net";
import { Rng } from "../../src/network/rng";

describe("gradient-flow: summary numbers", () => {
  it("meanAbs ignores signs", () => {
    expect(meanAbs([1, -3, 2, -2])).toBe(2);
    expect(meanAbs(new Float64Array([-0.5]))).toBe(0.5);
  });

  it("meanStd is the population mean and standard deviation", () => {
    const { mean, std } = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(mean).toBe(5);
    expect(std).toBe(2);
  });

  it("saturatedFraction counts values within the margin of 0 or 1", () => {
    expect(saturatedFraction([0.001, 0.5, 0.995, 0.3])).toBe(0.5);
    expect(saturatedFraction([0.05, 0.96], 0.1)).toBe(1);
    expect(() => saturatedFraction([0.5], 0.7)).toThrow(/margin/);
  });

  it("zeroFraction counts exact zeros only", () => {
    expect(zeroFraction([0, 1e-300, -0, 3])).toBe(0.5);
  });

  it("geometricRatio is the mean factor per step", () => {
    expect(geometricRatio([1, 0.25, 0.0625])).toBeCloseTo(0.25, 15);
    expect(geometricRatio([2, 2, 2, 2])).toBe(1);
    expect(() => geometricRatio([0, 1])).toThrow(/positive/);
    expect(() => geometricRatio([1])).toThrow(/at least 2/);
  });

  it("rejects empty or malformed input with the file's name", () => {
    expect(() => meanAbs([])).toThrow(/gradient-flow\.ts meanAbs: values is empty/);
    expect(() => zeroColumns({ rows: 2, cols: 2, data: [1, 2, 3] })).toThrow(/2×2 matrix needs 4 numbers/);
    expect(() => meanAbsPerLayer([])).toThrow(/non-empty/);
  });
});

describe("gradient-flow: dead units", () => {
  it("finds the columns that are zero in every row", () => {
    const m = Matrix.from([
      [0, 1, 0, 0],
      [0, 0, 0, 2],
      [0, 3, 0, 0],
    ]);
    expect(zeroColumns(m)).toEqual([true, false, true, false]);
    expect(deadUnits(m)).toBe(2);
  });

  it("meanAbsPerLayer takes matrices or plain arrays", () => {
    expect(meanAbsPerLayer([Matrix.from([[1, -1]]), [3, -5]])).toEqual([1, 4]);
  });

  it("a ReLU unit with a large negative bias is dead, and its weights get a zero gradient", () => {
    const rng = new Rng(11);
    const net = new MultiLayerNet({ inputSize: 20, hiddenSizes: [30], outputSize: 5, activation: "relu", weightInit: "he", rng });
    const x = new Matrix(50, 20, rng.normalArray(50 * 20));
    const t = Array.from({ length: 50 }, () => rng.int(5));
    net.predict(x);
    const before = deadUnits(net.activations[0]);
    // Units 0…9 get a bias far below anything x·W can reach: they output 0 for every input.
    for (let j = 0; j < 10; j++) net.params.b1[j] = -1e3;
    net.gradient(x, t);
    const dead = zeroColumns(net.activations[0]);
    expect(deadUnits(net.activations[0])).toBeGreaterThanOrEqual(10);
    expect(deadUnits(net.activations[0])).toBeGreaterThanOrEqual(before);
    for (let j = 0; j < 10; j++) expect(dead[j]).toBe(true);
    const dWdead = zeroColumns(net.affineLayers[0].dW);
    for (let j = 0; j < 30; j++) if (dead[j]) expect(dWdead[j]).toBe(true);
    // …while the live units do learn something.
    expect(dWdead.filter((z, j) => !dead[j] && !z).length).toBeGreaterThan(0);
  });
});
