import { describe, expect, it } from "vitest";
import { hyperparameterTrial } from "../../src/network/hyperparameter-trial";

describe("hyperparameterTrial", () => {
  it("overfits 300 images without weight decay, judges on validation data, and gives the same numbers twice", () => {
    const a = hyperparameterTrial(0);
    expect(a.trainAccuracy).toBeGreaterThan(0.95);
    expect(a.gap).toBeGreaterThan(0.15);
    expect(a.gap).toBeCloseTo(a.trainAccuracy - a.validationAccuracy, 12);
    expect(a.testAccuracy).toBeNaN(); // the test data is not touched unless asked
    const b = hyperparameterTrial({ lambda: 0, test: true });
    expect(b.trainAccuracy).toBe(a.trainAccuracy);
    expect(b.validationAccuracy).toBe(a.validationAccuracy);
    expect(b.testAccuracy).toBeGreaterThan(0.5);
    expect(b.testAccuracy).not.toBe(b.validationAccuracy);
  }, 60_000);

  it("a huge λ flattens the network to one class; a tiny learning rate learns little", () => {
    const r = hyperparameterTrial(10);
    expect(r.gap).toBeLessThan(0.05);
    expect(r.validationAccuracy).toBeLessThan(0.2);
    const slow = hyperparameterTrial({ lr: 1e-4 });
    expect(slow.validationAccuracy).toBeLessThan(hyperparameterTrial(0).validationAccuracy - 0.2);
  }, 60_000);

  it("rejects a bad λ, learning rate or epoch count", () => {
    expect(() => hyperparameterTrial(-1)).toThrow(/lambda must be a finite number ≥ 0, got -1/);
    expect(() => hyperparameterTrial({ lr: 0 })).toThrow(/lr must be a finite number > 0, got 0/);
    expect(() => hyperparameterTrial({ epochs: 0 })).toThrow(/epochs must be a positive integer, got 0/);
  });
});
