import { describe, expect, it } from "vitest";
import { AdaGrad, Adam, Momentum, RMSprop, SGD } from "../../src/network/optimizers";
import type { Params } from "../../src/network/layer";

// One parameter array w = [1, −2] and a constant gradient g = [0.5, −1]; every expected value
// below is worked out by hand from the update rule.
const start = (): Params => ({ w: Float64Array.from([1, -2]) });
const grads: Params = { w: Float64Array.from([0.5, -1]) };

describe("optimizers against hand-computed steps", () => {
  it("SGD: w − lr·g", () => {
    const p = start();
    new SGD(0.1).update(p, grads);
    expect(p.w[0]).toBeCloseTo(0.95, 15);
    expect(p.w[1]).toBeCloseTo(-1.9, 15);
  });

  it("Momentum: v = 0.9v − lr·g, w + v (two steps)", () => {
    const p = start();
    const opt = new Momentum(0.1, 0.9);
    opt.update(p, grads); // v = [−0.05, 0.1]
    expect(Array.from(p.w).map((v) => +v.toFixed(12))).toEqual([0.95, -1.9]);
    opt.update(p, grads); // v = 0.9·[−0.05, 0.1] − [0.05, −0.1] = [−0.095, 0.19]
    expect(p.w[0]).toBeCloseTo(0.855, 14);
    expect(p.w[1]).toBeCloseTo(-1.71, 14);
  });

  it("AdaGrad: h += g², w − lr·g/(√h + 1e-7) (two steps)", () => {
    const p = start();
    const opt = new AdaGrad(0.1);
    opt.update(p, grads); // h = [0.25, 1]
    expect(p.w[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-7), 15);
    expect(p.w[1]).toBeCloseTo(-2 + 0.1 / (1 + 1e-7), 15);
    opt.update(p, grads); // h = [0.5, 2]: the step shrinks by √2
    expect(p.w[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-7) - (0.1 * 0.5) / (Math.sqrt(0.5) + 1e-7), 15);
  });

  it("RMSprop: h = 0.99h + 0.01g², w − lr·g/(√h + 1e-7)", () => {
    const p = start();
    new RMSprop(0.1, 0.99).update(p, grads); // h = [0.0025, 0.01], √h = [0.05, 0.1]: a step of lr·10
    expect(p.w[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.05 + 1e-7), 12);
    expect(p.w[1]).toBeCloseTo(-2 + 0.1 / (0.1 + 1e-7), 12);
    expect(p.w[0]).toBeCloseTo(0, 4);
    expect(p.w[1]).toBeCloseTo(-1, 4);
  });

  it("Adam: the first step is lr in the direction of −g, whatever |g|", () => {
    const p = start();
    const opt = new Adam(0.1, 0.9, 0.999);
    opt.update(p, grads);
    // lr_t = 0.1·√(1 − 0.999)/(1 − 0.9); m = 0.1g; v = 0.001g²; step = lr_t·m/(√v + 1e-7) ≈ 0.1·sign(g)
    const lrT = (0.1 * Math.sqrt(0.001)) / 0.1;
    expect(p.w[0]).toBeCloseTo(1 - (lrT * 0.05) / (Math.sqrt(0.00025) + 1e-7), 14);
    expect(p.w[0]).toBeCloseTo(0.9, 5);
    expect(p.w[1]).toBeCloseTo(-1.9, 5);
    expect(opt.iter).toBe(1);
    opt.update(p, grads); // second step, by hand: m = 0.19g, v = 0.001999g², lr_t = 0.1·√(1 − 0.999²)/(1 − 0.9²)
    const lrT2 = (0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.81);
    expect(p.w[0]).toBeCloseTo(1 - (lrT * 0.05) / (Math.sqrt(0.00025) + 1e-7) - (lrT2 * 0.095) / (Math.sqrt(0.001999 * 0.25) + 1e-7), 12);
  });

  it("reject a gradient without a parameter, or of the wrong length", () => {
    expect(() => new SGD().update(start(), { v: new Float64Array(2) })).toThrow(/gradient "v" but no parameter/);
    expect(() => new Adam().update(start(), { w: new Float64Array(3) })).toThrow(/"w" has 2 numbers but its gradient has 3/);
  });
});
