import { describe, expect, it } from "vitest";
import { Matrix } from "../../src/network/matrix";
import { Rng } from "../../src/network/rng";
import { logUniform, randomSearch, splitValidation } from "../../src/network/validation";

describe("validation data and random search (Saito §6.5)", () => {
  it("splitValidation shuffles and splits off `rate` of the rows, every row landing in exactly one part with its label", () => {
    const x = Matrix.from(Array.from({ length: 10 }, (_, i) => [i, 10 * i]));
    const t = Array.from({ length: 10 }, (_, i) => i % 3);
    const s = splitValidation(x, t, 0.2, new Rng(1));
    expect(s.xValidation.rows).toBe(2);
    expect(s.xTrain.rows).toBe(8);
    const seen = [...s.xTrain.toArray(), ...s.xValidation.toArray()].map((r) => r[0]).sort((a, b) => a - b);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    s.xTrain.toArray().forEach((r, i) => expect(s.tTrain[i]).toBe(r[0] % 3));
    s.xValidation.toArray().forEach((r, i) => expect(s.tValidation[i]).toBe(r[0] % 3));
    // shuffled: not simply the first rows
    const other = splitValidation(x, t, 0.5, new Rng(2));
    expect(other.xValidation.toArray().map((r) => r[0])).not.toEqual([0, 1, 2, 3, 4]);
  });

  it("splitValidation rejects a bad rate or mismatched labels", () => {
    const x = new Matrix(4, 2);
    expect(() => splitValidation(x, [0, 1, 2], 0.2)).toThrow(/x is 4×2 but there are 3 labels/);
    expect(() => splitValidation(x, [0, 1, 2, 3], 1)).toThrow(/rate must be between 0 and 1/);
    expect(() => splitValidation(x, [0, 1, 2, 3], 0.1)).toThrow(/leaves 0 for validation/);
  });

  it("logUniform spreads evenly over the orders of magnitude", () => {
    const rng = new Rng(3);
    const draws = Array.from({ length: 4000 }, () => logUniform(1e-6, 1e-2, rng));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1e-6);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1e-2);
    // four decades, about a quarter of the draws in each
    for (let k = -6; k < -2; k++) {
      const share = draws.filter((v) => v >= 10 ** k && v < 10 ** (k + 1)).length / draws.length;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.3);
    }
    expect(() => logUniform(0, 1)).toThrow(/need 0 < lo ≤ hi/);
  });

  it("randomSearch draws every hyperparameter in its range and returns the trials best first", () => {
    const calls: Array<Record<string, number>> = [];
    const results = randomSearch({
      ranges: { lr: [1e-3, 1], lambda: [1e-8, 1e-4] }, trials: 30, rng: new Rng(4),
      evaluate: (p) => { calls.push(p); return -Math.abs(Math.log10(p.lr) + 1); },   // best at lr = 0.1
    });
    expect(calls).toHaveLength(30);
    expect(results).toHaveLength(30);
    for (const r of results) {
      expect(r.params.lr).toBeGreaterThanOrEqual(1e-3);
      expect(r.params.lr).toBeLessThanOrEqual(1);
      expect(r.params.lambda).toBeGreaterThanOrEqual(1e-8);
      expect(r.params.lambda).toBeLessThanOrEqual(1e-4);
    }
    for (let i = 1; i < results.length; i++) expect(results[i].score).toBeLessThanOrEqual(results[i - 1].score);
    expect(Math.abs(Math.log10(results[0].params.lr) + 1)).toBeLessThan(0.2);
    expect(() => randomSearch({ ranges: { lr: [1, 0.1] }, trials: 1, evaluate: () => 0 })).toThrow(/range of lr must be 0 < lo ≤ hi/);
    expect(() => randomSearch({ ranges: { lr: [0.1, 1] }, trials: 1, evaluate: () => NaN })).toThrow(/evaluate returned NaN/);
  });
});
