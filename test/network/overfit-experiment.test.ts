import { describe, expect, it } from "vitest";
import { quickOverfit } from "../../src/network/overfit-experiment";

describe("quickOverfit", () => {
  it("overfits 300 images without weight decay, and gives the same numbers twice", () => {
    const a = quickOverfit(0);
    expect(a.trainAccuracy).toBeGreaterThan(0.95);
    expect(a.gap).toBeGreaterThan(0.15);
    expect(a.gap).toBeCloseTo(a.trainAccuracy - a.testAccuracy, 12);
    const b = quickOverfit({ lambda: 0 });
    expect(b.trainAccuracy).toBe(a.trainAccuracy);
    expect(b.testAccuracy).toBe(a.testAccuracy);
  }, 60_000);

  it("a huge λ flattens the network to one class: no gap, no learning", () => {
    const r = quickOverfit(10);
    expect(r.gap).toBeLessThan(0.05);
    expect(r.testAccuracy).toBeLessThan(0.2);
  }, 60_000);

  it("rejects a bad λ or epoch count", () => {
    expect(() => quickOverfit(-1)).toThrow(/lambda must be a finite number ≥ 0, got -1/);
    expect(() => quickOverfit({ epochs: 0 })).toThrow(/epochs must be a positive integer, got 0/);
  });
});
