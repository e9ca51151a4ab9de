import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { runCases } from "../../src/exercises/check";
import type { Exercise } from "../../src/exercises/cases";
import { graphBackwardExercise, linearGradientExercise } from "../../src/exercises/lesson04";
import { EDITIONS, executeLesson, itKeepsMemoryBoundedOnRerun, pointsLine, RERUN_MS, numberAfter, type LessonRun } from "../helpers/notebook";
import { itChecksSolutionsAndStubs } from "../helpers/solutions";

const NOTEBOOK = "04-gradient-based-optimization.ipynb";

describe.each(EDITIONS)("lesson 04 — the notebook (%s)", (lang) => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await executeLesson("04", 300, lang);
  }, 600_000 + RERUN_MS);

  itKeepsMemoryBoundedOnRerun(() => run, lang);

  it("runs top to bottom without an error, on a fast backend", () => {
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    expect(run.ok).toBe(true);
    expect(run.text).toMatch(/tfjs backend: (wasm|tensorflow)/);
    expect(run.notebook.metadata.dlbb.lesson).toBe("04-gradient-based-optimization");
  });

  it("counts the naive search's cost: two forward passes per weight of lesson 01's network", () => {
    expect(numberAfter(run, /weights in lesson 01's network: ([\d,]+)/)).toBe(407050);
    expect(numberAfter(run, /trying each weight up and down: ([\d,]+)/)).toBe(814100);
  });

  it("finds the derivative as the limit of secant slopes, and lowers f by stepping against it", () => {
    expect(run.text).toMatch(/f'\(0\.5\) = -1\.5/);
    const errors = [...run.text.matchAll(/ε = \S+ +\(f\(x \+ ε\) − f\(x\)\) \/ ε = +(-?[\d.]+) +error ([\d.e+-]+)/g)].map((m) => Number(m[2]));
    expect(errors).toHaveLength(5);
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1]);
    expect(errors[4]).toBeLessThan(1e-4);
    const m = run.text.match(/f goes from (-?[\d.]+) to (-?[\d.]+)/);
    expect(Number(m![2])).toBeLessThan(Number(m![1]));
  });

  it("computes the gradient of the linear model's loss by formula, matching the numerical one, and one step lowers the loss", () => {
    expect(run.text).toMatch(/X: \(256, 2\), y: \(256,\)/);
    // the first "largest difference:" line is the gradient cell's, formula vs central differences
    expect(numberAfter(run, /largest difference: ([\d.e+-]+)/)).toBeLessThan(1e-6);
    const m = run.text.match(/W₁ = W₀ − 0\.1·grad = \[.*\]: loss ([\d.]+) → ([\d.]+)/);
    expect(Number(m![2])).toBeLessThan(Number(m![1]));
    expect(run.text).toMatch(/Figure: field plot "The loss over the two weights; arrows: −gradient" — contour of f .*\d+ arrows of −gradient/);
  });

  it("runs true SGD, mini-batch SGD and batch gradient descent for 3 epochs: more updates get closer to the exact minimum", () => {
    const exact = run.text.match(/exact minimum: W = \[(-?[\d.]+), (-?[\d.]+)\], loss ([\d.]+)/);
    expect(exact).not.toBeNull();
    expect(Number(exact![1])).toBeCloseTo(3, 0);      // the data follow 3·x₁ − 2·x₂ + noise
    expect(Number(exact![2])).toBeCloseTo(-2, 0);
    const rows = new Map(
      [...run.text.matchAll(/^ +(1|32|256) +(\d+) +\[ *(-?[\d.]+), +(-?[\d.]+)\] +([\d.]+) +([\d.]+)$/gm)].map((m) => [
        Number(m[1]),
        { updates: Number(m[2]), loss: Number(m[5]), distance: Number(m[6]) },
      ]),
    );
    expect([...rows.keys()]).toEqual([1, 32, 256]);
    expect([1, 32, 256].map((b) => rows.get(b)!.updates)).toEqual([768, 24, 3]);
    expect(rows.get(1)!.distance).toBeLessThan(rows.get(32)!.distance);
    expect(rows.get(32)!.distance).toBeLessThan(rows.get(256)!.distance);
    for (const r of rows.values()) expect(r.loss).toBeGreaterThanOrEqual(Number(exact![3]) - 1e-4);
  });

  it("shows a learning rate too small, one that works, and one that diverges", () => {
    const rows = [...run.text.matchAll(/^ +(0\.001|0\.02|0\.2) +(-?[\d.]+|diverged) +/gm)].map((m) => ({ lr: Number(m[1]), x: m[2] }));
    expect(rows.map((r) => r.lr)).toEqual([0.001, 0.02, 0.2]);
    expect(Number(rows[0].x)).toBeGreaterThan(1.5);         // barely moved from 2
    expect(Number(rows[1].x)).toBeCloseTo(1.13, 1);         // the bottom of the first valley
    expect(rows[2].x).toBe("diverged");
  });

  it("momentum carries descent past the local minimum to the global one; plain descent stays", () => {
    expect(run.text).toMatch(/minima of f: x ≈ -1\.30 \(f = -3\.514\), x ≈ 1\.13 \(f = -1\.070\)/);
    expect(run.text).toMatch(/^plain gradient descent +ends at x = 1\.13\d+, .*: the local minimum$/m);
    expect(run.text).toMatch(/^momentum 0\.9 +ends at x = -1\.30\d+, .*: the global minimum$/m);
    expect(run.text).toMatch(/^momentum 0\.9, the book's listing +ends at x = -1\.30\d+, .*: the global minimum$/m);
  });

  it("checks the chain rule on two and on four links", () => {
    const two = run.text.match(/chain rule: (-?[\d.]+) +numerically: (-?[\d.]+)/);
    expect(Number(two![1])).toBeCloseTo(3 * 2.4 ** 2 * 2, 6);
    expect(Number(two![2])).toBeCloseTo(Number(two![1]), 4);
    const four = run.text.match(/product of the 4 local derivatives: (-?[\d.]+) +numerically: (-?[\d.]+)/);
    const x = 0.4, x3 = Math.exp(3 * x * x);
    expect(Number(four![1])).toBeCloseTo(Math.cos(x3) * x3 * 3 * 2 * x, 5);
    expect(Number(four![2])).toBeCloseTo(Number(four![1]), 4);
  });

  it("backpropagates through the book's graph by hand (grad w = 2, grad b = 1) and the tape agrees", () => {
    expect(run.text).toMatch(/forward: +x1 = x·w = 6 +x2 = x1 \+ b = 7 +loss_val = \|y_true − x2\| = 3/);
    expect(run.text).toMatch(/backward: grad\(loss_val, w\) = 1 · 1 · 2 = 2 +grad\(loss_val, b\) = 1 · 1 = 1/);
    expect(run.text).toMatch(/tape: grad\(loss_val, w\) = 2 +grad\(loss_val, b\) = 1 +\(by hand: 2, 1\)/);
  });

  it("takes gradients with the tape: 2 for y = 2x + 3, all 2s for a 2×2 variable, xᵀ·1 and the batch size for a Dense layer", () => {
    expect(run.text).toMatch(/y\(0\) = 3 +dy\/dx at 0 = 2/);
    expect(run.text).toMatch(/with a variable — value: 3 +gradient: 2/);
    expect(run.text).toMatch(/gradient of Σ\(2x \+ 3\): \[\[2,2\],\[2,2\]\]/);
    expect(run.text).toMatch(/dL\/db \(tape\): +\[2,2\]/);
    expect(numberAfter(run, /largest difference, tape vs hand: ([\d.e+-]+)/)).toBeLessThan(1e-5);
  });

  it("runs mini-batch SGD with the tape and lands where the hand-written loop did", () => {
    const g = run.text.match(/first gradient — tape: \[(-?[\d.]+), (-?[\d.]+)\] +formula: \[(-?[\d.]+), (-?[\d.]+)\]/);
    expect(Number(g![1])).toBeCloseTo(Number(g![3]), 2);
    expect(Number(g![2])).toBeCloseTo(Number(g![4]), 2);
    const last = [...run.text.matchAll(/largest difference: ([\d.e+-]+)/g)].map((m) => Number(m[1]));
    expect(last[last.length - 1]).toBeLessThan(1e-3);
  });

  it("its reference solutions pass every visible case", () => {
    expect(run.text).toMatch(pointsLine(lang, "linear-gradient", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "graph-backward", 3, 3));
  });
});

describe("lesson 04 — exercise cases", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  itChecksSolutionsAndStubs(NOTEBOOK, [linearGradientExercise, graphBackwardExercise] as Exercise<unknown>[]);

  it("every exercise belongs to the lesson's id", () => {
    expect(linearGradientExercise.lesson).toBe("04-gradient-based-optimization");
    expect(graphBackwardExercise.lesson).toBe("04-gradient-based-optimization");
  });

  it("catches a gradient that forgets the factor 2, or sums instead of averaging over the samples", async () => {
    const noTwo = (x: number[][], y: number[], w: number[]) =>
      w.map((_, j) => x.reduce((s, row, i) => s + (row.reduce((p, v, k) => p + v * w[k], 0) - y[i]) * row[j], 0) / x.length);
    const summed = (x: number[][], y: number[], w: number[]) =>
      w.map((_, j) => x.reduce((s, row, i) => s + 2 * (row.reduce((p, v, k) => p + v * w[k], 0) - y[i]) * row[j], 0));
    for (const wrong of [noTwo, summed]) {
      const result = await runCases(linearGradientExercise, { mseGradient: wrong }, { hidden: true });
      expect(result.passed).toBeLessThan(result.total);
    }
  });

  it("catches a backward pass that ignores the sign of |·|, or multiplies by w instead of x", async () => {
    const noSign = (x: number, w: number, b: number, y: number) => ({ loss: Math.abs(y - (x * w + b)), gradW: x, gradB: 1 });
    const byW = (x: number, w: number, b: number, y: number) => {
      const s = Math.sign(x * w + b - y);
      return { loss: Math.abs(y - (x * w + b)), gradW: s * w, gradB: s };
    };
    for (const wrong of [noSign, byW]) {
      const result = await runCases(graphBackwardExercise, { absLossBackward: wrong }, { hidden: true });
      expect(result.passed).toBeLessThan(result.total);
    }
  });
});
