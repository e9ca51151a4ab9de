import { describe, expect, it } from "vitest";
import { Rng } from "../../src/network/rng";

describe("Rng", () => {
  it("repeats its sequence for the same seed and differs for another", () => {
    const a = new Rng(123), b = new Rng(123), c = new Rng(124);
    const sa = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.random())).not.toEqual(sa);
    a.seed(123);
    expect(a.random()).toBe(sa[0]);
  });

  it("uniform numbers in [0, 1) with mean ½; normal numbers with mean 0 and std 1", () => {
    const rng = new Rng(1);
    const u = Array.from({ length: 100000 }, () => rng.random());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 2);
    const z = rng.normalArray(100000);
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const std = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length);
    expect(mean).toBeCloseTo(0, 1);
    expect(std).toBeCloseTo(1, 1);
    expect(z.filter((v) => Math.abs(v) < 1).length / z.length).toBeCloseTo(0.6827, 2);
  });

  it("choice draws with replacement in range; permutation is a permutation", () => {
    const rng = new Rng(2);
    const c = rng.choice(10, 1000);
    expect(c.every((v) => v >= 0 && v < 10 && Number.isInteger(v))).toBe(true);
    expect(new Set(c).size).toBe(10);
    const p = rng.permutation(50);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(() => rng.int(0)).toThrow(/positive integer/);
  });

  it("saveState / restoreState replays the same numbers", () => {
    const rng = new Rng(3);
    rng.normal();
    const s = rng.saveState();
    const first = [rng.normal(), rng.random(), rng.normal()];
    rng.restoreState(s);
    expect([rng.normal(), rng.random(), rng.normal()]).toEqual(first);
  });
});
