import { describe, expect, it } from "vitest";
import { forwardDiff, gradientDescent, numericalDiff, numericalGradient } from "../../src/network/numerical-gradient";

const function1 = (x: number): number => 0.01 * x ** 2 + 0.1 * x; // Saito §4.3.2
const function2 = (x: Float64Array | number[]): number => x[0] ** 2 + x[1] ** 2;

describe("numerical differentiation", () => {
  it("central differences: the book's 0.01x² + 0.1x at 5 and 10 (true slopes 0.2 and 0.3)", () => {
    expect(numericalDiff(function1, 5)).toBeCloseTo(0.2, 10);
    expect(numericalDiff(function1, 10)).toBeCloseTo(0.3, 10);
  });

  it("the forward difference is less accurate than the central one", () => {
    const f = Math.exp;
    const central = Math.abs(numericalDiff(f, 1) - Math.E);
    const forward = Math.abs(forwardDiff(f, 1) - Math.E);
    expect(forward).toBeGreaterThan(100 * central);
    expect(forward).toBeCloseTo(Math.E * 0.5e-4, 6); // error ≈ f''(x)·h/2
  });

  it("numericalGradient of x0² + x1² at (3, 4), (0, 2), (3, 0) is 2x", () => {
    const cases: [number[], number[]][] = [[[3, 4], [6, 8]], [[0, 2], [0, 4]], [[3, 0], [6, 0]]];
    for (const [x, g] of cases) {
      const grad = numericalGradient(function2, Float64Array.from(x));
      expect(grad[0]).toBeCloseTo(g[0], 8);
      expect(grad[1]).toBeCloseTo(g[1], 8);
    }
  });

  it("puts every x[i] back exactly as it was", () => {
    const x = Float64Array.from([0.1, -0.7, 1e-3, 123.456]);
    const copy = x.slice();
    const seen: number[][] = [];
    numericalGradient((v) => {
      seen.push(Array.from(v));
      let s = 0;
      for (const w of v) s += w * w;
      return s;
    }, x);
    expect(Array.from(x)).toEqual(Array.from(copy));
    expect(seen).toHaveLength(8); // two probes per element, one element moved at a time
    expect(seen[2]).toEqual([0.1, -0.7 + 1e-4, 1e-3, 123.456]);
    expect(() => numericalGradient(function2, x, 0)).toThrow(/h must be a positive number/);
  });

  it("gradient descent on x0² + x1² from (−3, 4) reaches the minimum and returns the path", () => {
    const { x, path } = gradientDescent(function2, [-3, 4], 0.1, 100);
    expect(Math.abs(x[0])).toBeLessThan(1e-8);
    expect(Math.abs(x[1])).toBeLessThan(1e-8);
    expect(path).toHaveLength(101);
    expect(path[0]).toEqual([-3, 4]);
    expect(path[1][0]).toBeCloseTo(-3 + 0.1 * 6, 8); // one step: x − lr·2x
    expect(path[100]).toEqual(Array.from(x));
  });

  it("too large a learning rate diverges, too small one barely moves (Saito §4.4.1)", () => {
    expect(Math.abs(gradientDescent(function2, [-3, 4], 10, 100).x[0])).toBeGreaterThan(1e10);
    expect(gradientDescent(function2, [-3, 4], 1e-10, 100).x[0]).toBeCloseTo(-3, 6);
  });
});
