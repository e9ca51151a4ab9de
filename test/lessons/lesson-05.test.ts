import { beforeAll, describe, expect, it } from "vitest";
import { runCases } from "../../src/exercises/check";
import type { Exercise } from "../../src/exercises/cases";
import {
  affineBackwardExercise, numericalGradientExercise, sigmoidBackwardExercise, tanhLayerExercise,
} from "../../src/exercises/lesson05";
import { EDITIONS, executeLesson, itKeepsMemoryBoundedOnRerun, pointsLine, RERUN_MS, numberAfter, type LessonRun } from "../helpers/notebook";
import { itChecksSolutionsAndStubs, loadSolution } from "../helpers/solutions";

const NOTEBOOK = "05-numerical-gradient.ipynb";
const NUM = "(-?[\\d.]+(?:e[+-]?\\d+)?)";

/** The numbers of a printed tuple "(a, b)". */
function pair(run: LessonRun, prefix: string): [number, number] {
  const m = run.text.match(new RegExp(`${prefix}\\(${NUM}, ${NUM}\\)`));
  if (!m) throw new Error(`no pair after ${prefix}`);
  return [Number(m[1]), Number(m[2])];
}

describe.each(EDITIONS)("lesson 05 — the notebook (%s)", (lang) => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await executeLesson("05", 600, lang);
  }, 900_000 + RERUN_MS);

  itKeepsMemoryBoundedOnRerun(() => run, lang);

  it("runs top to bottom without an error", () => {
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    expect(run.ok).toBe(true);
    // (Run time is measured by `npm run bench -- lessons`, never in a test.)
  });

  it("shows the rounding error of h = 1e-50 in float64 and float32", () => {
    expect(run.text).toMatch(/float64: h = 1e-50, and 5 \+ h === 5 is true/);
    expect(run.text).toMatch(/float32: Math\.fround\(1e-50\) = 0\n/);
    expect(run.text).toMatch(/float64, h = 1e-50: \(f\(5 \+ h\) − f\(5\)\) \/ h = 0\n/);
    expect(run.text).toMatch(/float32, h = 1e-50: \(f\(5 \+ h\) − f\(5\)\) \/ h = NaN/);
  });

  it("compares central and forward differences with h = 1e-4", () => {
    const central = numberAfter(run, new RegExp(`x = 5: exact 0\\.2 +central ${NUM}`));
    const forward = numberAfter(run, new RegExp(`x = 5: .*forward ${NUM}`));
    expect(Math.abs(central - 0.2)).toBeLessThan(1e-10);
    expect(Math.abs(forward - 0.2)).toBeGreaterThan(5e-7);
    expect(Math.abs(forward - 0.2)).toBeLessThan(2e-6);
    const best = run.text.match(/smallest error: forward at h = (1e-\d+), central at h = (1e-\d+), central in float32 at h = (1e-\d+)/);
    expect(best).not.toBeNull();
    const [forwardBest, centralBest, float32Best] = best!.slice(1).map(Number);
    expect(centralBest).toBeGreaterThanOrEqual(1e-7);
    expect(centralBest).toBeLessThanOrEqual(1e-3);
    expect(forwardBest).toBeLessThan(centralBest);
    expect(float32Best).toBeGreaterThan(centralBest);
    expect(numberAfter(run, /at h = 1e-4: central error ([\d.e+-]+) in float64/)).toBeLessThan(1e-8);
  });

  it("computes the gradient of x0² + x1² at (3, 4), (0, 2) and (3, 0)", () => {
    const cases: Array<[string, [number, number]]> = [["3, 4", [6, 8]], ["0, 2", [0, 4]], ["3, 0", [6, 0]]];
    for (const [at, exact] of cases) {
      const g = pair(run, `∇f\\(${at}\\) = `);
      expect(Math.abs(g[0] - exact[0])).toBeLessThan(1e-9);
      expect(Math.abs(g[1] - exact[1])).toBeLessThan(1e-9);
    }
    expect(run.text).toMatch(/121 arrows of −gradient/);
  });

  it("descends from (−3, 4): to ≈ (0, 0) with lr 0.1, away with lr 10, nowhere with lr 1e-10", () => {
    const end = pair(run, "after 100 steps with lr 0\\.1: ");
    expect(Math.hypot(...end)).toBeLessThan(1e-8);
    expect(Math.hypot(...end)).toBeCloseTo(5 * 0.8 ** 100, 10);
    const big = pair(run, "lr 10: +");
    expect(Math.hypot(...big)).toBeGreaterThan(1e12);
    const small = pair(run, "lr 1e-10: ");
    expect(Math.abs(small[0] + 3)).toBeLessThan(1e-6);
    expect(Math.abs(small[1] - 4)).toBeLessThan(1e-6);
    expect(run.text).toMatch(/lr 10 stops moving at step \d+: there the numerical gradient is \(0, 0\)/);
    // why it stalls: near x0 the float64 spacing is far above h, so x0 ± h rounds back to x0 (issue 17, error 4)
    const m = run.text.match(/at x0 = ([-\d.e+]+): neighbouring float64 numbers are ([\d.e+-]+) apart, h = 1e-4; x0 \+ h === x0 is (\w+), x0 − h === x0 is (\w+)/);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]))).toBeGreaterThan(1e12);
    expect(Number(m![2])).toBeGreaterThan(10 * 1e-4);
    expect([m![3], m![4]]).toEqual(["true", "true"]);
    expect(numberAfter(run, /distance from \(0, 0\): ([\d.e+-]+)/)).toBeCloseTo(numberAfter(run, /5 · 0\.8\^100 = ([\d.e+-]+)/), 12);
    expect(run.text).toMatch(/path "lr 0\.1": 101 points from \(-3, 4\)/);
  });

  it("runs the shopping graphs forward and backward", () => {
    expect(numberAfter(run, /forward: {2}price = ([\d.]+)\n[^]*∂price\/∂apple/)).toBeCloseTo(220, 10);
    const apple = run.text.match(new RegExp(`∂price/∂apple = ${NUM}, ∂price/∂count = ${NUM}, ∂price/∂tax = ${NUM}`));
    expect(apple!.slice(1).map(Number).map((v) => +v.toFixed(9))).toEqual([2.2, 110, 200]);
    const fruitPrice = run.text.match(/forward: {2}price = ([\d.]+)\nbackward: apple/);
    expect(Number(fruitPrice![1])).toBeCloseTo(715, 9);
    const fruit = run.text.match(new RegExp(`backward: apple ${NUM}, apple count ${NUM}, orange ${NUM}, orange count ${NUM}, tax ${NUM}`));
    expect(fruit!.slice(1).map(Number).map((v) => +v.toFixed(9))).toEqual([2.2, 110, 3.3, 165, 650]);
  });

  it("gradient-checks the Sigmoid layer", () => {
    expect(numberAfter(run, /max \|difference\| = ([\d.e+-]+)/)).toBeLessThan(1e-8);
  });

  it("gradient-checks SoftmaxWithLoss: its backward is (y − t)/N", () => {
    expect(numberAfter(run, /max \|backward − \(y − t\)\/N\| = ([\d.e+-]+)/)).toBeLessThan(1e-15);
    expect(numberAfter(run, /max \|backward − numerical\| = ([\d.e+-]+)/)).toBeLessThan(1e-8);
    expect(numberAfter(run, /loss \(mean cross-entropy of 3 rows\): ([\d.]+)/)).toBeGreaterThan(0);
  });

  it("shows why the accuracy cannot be the loss: its numerical derivative is 0, the loss's is not", () => {
    const m = run.text.match(/numerical ∂loss\/∂W2\[0\] = ([-\d.e+]+) +numerical ∂accuracy\/∂W2\[0\] = (-?[\d.e+-]+)/);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]))).toBeGreaterThan(0);
    expect(Number(m![2])).toBe(0);
    const steps = run.text.match(/: (\d+) different accuracies, (\d+) different losses in 201 points/);
    expect(Number(steps![1])).toBeLessThan(50);       // a staircase
    expect(Number(steps![2])).toBeGreaterThan(190);   // smooth: nearly every point different
  });

  it("gradient-checks TwoLayerNet(784, 50, 10) on 3 samples: ≈1e-10, and backprop is thousands of times faster", () => {
    expect(numberAfter(run, /(\d+) parameters in all/)).toBe(784 * 50 + 50 + 50 * 10 + 10);
    for (const key of ["W1", "b1", "W2", "b2"]) {
      const diff = numberAfter(run, new RegExp(`${key}: mean \\|numerical − backprop\\| = ([\\d.e+-]+)`));
      expect(diff).toBeLessThan(1e-8);
      expect(diff).toBeGreaterThan(0);
    }
    const numericalSeconds = numberAfter(run, /numerical gradient: ([\d.]+) s/);
    const backpropMs = numberAfter(run, /backpropagation: ([\d.]+) ms/);
    const ratio = numberAfter(run, /backpropagation is ([\d,]+) times faster/);
    expect(ratio).toBeGreaterThan(1000);
    expect(ratio).toBeCloseTo(numericalSeconds / (backpropMs / 1000), -Math.floor(Math.log10(ratio)) + 1);
    expect(run.text).toMatch(/numerical: 2 × 39,760 = 79,520 forward passes/);
  });

  it("gets the same gradients from tfjs autodiff at float32 precision", () => {
    expect(run.text).toMatch(/tf\.grad: ∇f\(3, 4\) = \(6, 8\)/);
    for (const key of ["W1", "b1", "W2", "b2"]) {
      const relative = numberAfter(run, new RegExp(`${key}: mean \\|autodiff − backprop\\| = [\\d.e+-]+, relative ([\\d.e+-]+)`));
      expect(relative).toBeLessThan(1e-5);
    }
    const m = run.text.match(/loss: ([\d.]+) \(float32\), ([\d.]+) \(float64\)/);
    expect(Math.abs(Number(m![1]) - Number(m![2]))).toBeLessThan(1e-5);
  });

  it("trains TwoLayerNet with backprop for 10,000 iterations to ≈0.97 test accuracy", () => {
    expect(run.text).toMatch(/10000 iterations in [\d.]+ s \([\d.]+ ms per iteration, with 17 accuracy measurements\)/);
    const test = numberAfter(run, /final train accuracy [\d.]+, test accuracy ([\d.]+)/);
    const train = numberAfter(run, /final train accuracy ([\d.]+)/);
    expect(test).toBeGreaterThan(0.96);
    expect(train).toBeGreaterThan(0.96);
    expect(Math.abs(train - test)).toBeLessThan(0.03);
    expect(run.text).toMatch(/Figure: line chart "TwoLayerNet trained with backpropagation" — train acc: 17 points/);
    expect(numberAfter(run, /10,000 such iterations ≈ ([\d.]+) days/)).toBeGreaterThan(1);
  });

  it("its reference solutions pass every visible case", () => {
    expect(run.text).toMatch(pointsLine(lang, "numerical-gradient", 4, 4));
    expect(run.text).toMatch(pointsLine(lang, "affine-backward", 4, 4));
    expect(run.text).toMatch(pointsLine(lang, "sigmoid-backward", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "tanh-gradient-check", 4, 4));
  });
});

describe("lesson 05 — exercise cases", () => {
  const exercises = [numericalGradientExercise, affineBackwardExercise, sigmoidBackwardExercise, tanhLayerExercise] as Exercise<unknown>[];
  const solution = <F>(ex: Exercise<F>) => loadSolution(NOTEBOOK, ex.id, ex.functions);
  const failures = async <F>(ex: Exercise<F>, impl: Record<string, unknown>) =>
    (await runCases(ex as Exercise<unknown>, { ...solution(ex), ...impl }, { hidden: true })).cases.filter((c) => c.status !== "passed").length;

  itChecksSolutionsAndStubs(NOTEBOOK, exercises);

  it("catches common mistakes", async () => {
    type F = (x: number[]) => number;
    const forward = (f: F, x: number[]) => x.map((_, i) => {
      const old = x[i];
      const f0 = f(x);
      x[i] = old + 1e-4;
      const f1 = f(x);
      x[i] = old;
      return (f1 - f0) / 1e-4;
    });
    expect(await failures(numericalGradientExercise, { myNumericalGradient: forward })).toBeGreaterThan(0);
    const drifting = (f: F, x: number[]) => x.map((_, i) => {
      x[i] += 1e-4;
      const f1 = f(x);
      x[i] -= 2e-4;
      const f2 = f(x);
      x[i] += 1e-4; // not exactly the old value
      return (f1 - f2) / 2e-4;
    });
    expect(await failures(numericalGradientExercise, { myNumericalGradient: drifting })).toBeGreaterThan(0);
    const coarse = (f: F, x: number[]) => x.map((_, i) => {
      const old = x[i];
      x[i] = old + 1e-2;
      const f1 = f(x);
      x[i] = old - 1e-2;
      const f2 = f(x);
      x[i] = old;
      return (f1 - f2) / 2e-2;
    });
    expect(await failures(numericalGradientExercise, { myNumericalGradient: coarse })).toBeGreaterThan(0);

    type M = number[][];
    const ref = solution(affineBackwardExercise).affineBackward as (x: M, W: M, dout: M) => { dx: M; dW: M; db: number[] };
    const firstRowBias = (x: M, W: M, dout: M) => ({ ...ref(x, W, dout), db: dout[0] });
    expect(await failures(affineBackwardExercise, { affineBackward: firstRowBias })).toBeGreaterThan(0);
    const noTranspose = (x: M, W: M, dout: M) => ({ ...ref(x, W, dout), dx: dout.map((row) => W.map((_, k) => row.reduce((s, d, j) => s + d * (W[j]?.[k] ?? 0), 0))) });
    expect(await failures(affineBackwardExercise, { affineBackward: noTranspose })).toBeGreaterThan(0);

    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const fromInput = (out: number[], dout: number[]) => out.map((y, i) => dout[i] * s(y) * (1 - s(y)));
    expect(await failures(sigmoidBackwardExercise, { sigmoidBackward: fromInput })).toBeGreaterThan(0);
    const noDout = (out: number[]) => out.map((y) => y * (1 - y));
    expect(await failures(sigmoidBackwardExercise, { sigmoidBackward: noDout })).toBeGreaterThan(0);

    const wrongTanh = (out: number[], dout: number[]) => out.map((y, i) => dout[i] * (1 - y));
    expect(await failures(tanhLayerExercise, { tanhBackward: wrongTanh })).toBeGreaterThan(0);
    const sigmoidSlope = (out: number[], dout: number[]) => out.map((y, i) => dout[i] * y * (1 - y));
    expect(await failures(tanhLayerExercise, { tanhBackward: sigmoidSlope })).toBeGreaterThan(0);
  });
});
