import { beforeAll, describe, expect, it } from "vitest";
import { runCases } from "../../src/exercises/check";
import type { Exercise } from "../../src/exercises/cases";
import {
  deadUnitsExercise, gradientBoundExercise, gridArgmaxExercise, reluBackwardExercise, sigmoidGradExercise,
} from "../../src/exercises/lesson06";
import { EDITIONS, executeLesson, itKeepsMemoryBoundedOnRerun, pointsLine, RERUN_MS, numberAfter, type LessonRun } from "../helpers/notebook";
import { itChecksSolutionsAndStubs, loadSolution } from "../helpers/solutions";

const NOTEBOOK = "06-activations-initialization.ipynb";

/** Every match of `pattern` in the lesson's output, as numbers (one per capture group). */
function allNumbers(run: LessonRun, pattern: RegExp): number[][] {
  return [...run.text.matchAll(new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g"))].map((m) => m.slice(1).map(Number));
}

/** "ranking by f after 30 updates: A < B < …" as a list of names. */
function numberlessRanking(run: LessonRun): string[] {
  const m = run.text.match(/ranking by f after 30 updates: (.+)$/m);
  if (!m) throw new Error("no ranking in the lesson's output");
  return m[1].split(" < ").map((s) => s.trim());
}

describe.each(EDITIONS)("lesson 06 — the notebook (%s)", (lang) => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await executeLesson("06", 600, lang);
  }, 600_000 + RERUN_MS);

  itKeepsMemoryBoundedOnRerun(() => run, lang);

  it("runs top to bottom without an error", () => {
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    expect(run.ok).toBe(true);
    // (Run time is measured by `npm run bench -- lessons`, never in a test.)
  });

  it("orders the optimizers on f(x, y) = x²/20 + y²: SGD zigzags, AdaGrad ends closest, Momentum and Adam still swing", () => {
    const rows = new Map(
      [...run.text.matchAll(/^(SGD|Momentum|AdaGrad|RMSprop|Adam) +\( *(-?[\d.]+), +(-?[\d.]+)\) +([\d.e+-]+) +(\d+) +([\d.]+)$/gm)].map((m) => [
        m[1],
        { x: Number(m[2]), y: Number(m[3]), f: Number(m[4]), flips: Number(m[5]), length: Number(m[6]) },
      ]),
    );
    expect([...rows.keys()]).toEqual(["SGD", "Momentum", "AdaGrad", "RMSprop", "Adam"]);
    for (const [name, r] of rows) expect(r.f, name).toBeCloseTo((r.x * r.x) / 20 + r.y * r.y, 2);
    const flips = [...rows.values()].map((r) => r.flips);
    expect(rows.get("SGD")!.flips).toBe(30);                  // y ← y − 0.95·2y = −0.9y: a sign change at every update
    expect(rows.get("SGD")!.flips).toBe(Math.max(...flips));
    const ranking = numberlessRanking(run);
    expect(ranking[0]).toBe("AdaGrad");
    expect(ranking.slice(-2).sort()).toEqual(["Adam", "Momentum"]);
    expect(ranking).toEqual([...rows.entries()].sort((a, b) => a[1].f - b[1].f).map(([name]) => name));
    expect(run.text).toMatch(/5 panels side by side/);
  });

  it("compares five optimizers on MNIST over 2,000 iterations (Saito's four and RMSprop): SGD is the slowest", () => {
    expect([...run.text.matchAll(/2000\/2000 \[=+\]/g)].length).toBe(5);
    const rows = [...run.text.matchAll(/^(SGD|Momentum|AdaGrad|RMSprop|Adam) +([\d.]+) +([\d.]+)$/gm)].map((m) => ({ name: m[1], loss: Number(m[2]), acc: Number(m[3]) }));
    expect(rows.map((r) => r.name)).toEqual(["SGD", "Momentum", "AdaGrad", "RMSprop", "Adam"]);
    const sgd = rows[0];
    for (const r of rows.slice(1)) {
      expect(r.loss, r.name).toBeLessThan(sgd.loss);
      expect(r.acc, r.name).toBeGreaterThan(0.9);
    }
    expect(run.text).toMatch(/ranking by final loss: .* < SGD$/m);
  });

  it("finds σ' largest, 0.25, at x = 0, and flat in the tails", () => {
    expect(run.text).toMatch(/largest σ'\(x\) on the grid: 0\.25 at x = 0\n/);
    expect(numberAfter(run, /σ'\(5\) = ([\d.e+-]+)/)).toBeLessThan(0.01);
    expect(numberAfter(run, /σ'\(10\) = ([\d.e+-]+)/)).toBeLessThan(1e-4);
    expect(run.text).toMatch(/ReLU'\(-2\) = 0\n[^]*ReLU'\(0\) = 0\n[^]*ReLU'\(0\.001\) = 1/);
  });

  it("keeps the one-unit sigmoid chain under the bound 0.25ⁿ", () => {
    const rows = allNumbers(run, /n = +(\d+): ∂y\/∂x = ([\d.e+-]+) +bound 0\.25\^\d+ = ([\d.e+-]+)/);
    expect(rows.map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const [n, slope, bound] of rows) {
      expect(Math.abs(bound / 0.25 ** n - 1)).toBeLessThan(1e-3); // printed with 4 significant digits
      expect(slope).toBeLessThanOrEqual(bound * 1.0005); // printed with 4 significant digits
    }
    expect(rows[0][1]).toBe(0.25);
  });

  it("measures the vanishing gradient: sigmoid falls by orders of magnitude toward the input, ReLU (He) stays level", () => {
    const rows = allNumbers(run, /^ +(\d+) +([\d.e+-]+) +([\d.e+-]+)$/m);
    expect(rows.map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const sigmoid = rows.map((r) => r[1]);
    const relu = rows.map((r) => r[2]);
    for (let i = 1; i < 10; i++) expect(sigmoid[i]).toBeGreaterThan(sigmoid[i - 1]);
    expect(sigmoid[9] / sigmoid[0]).toBeGreaterThan(1e4);
    expect(Math.max(...relu) / Math.min(...relu)).toBeLessThan(5);
    const orders = numberAfter(run, /sigmoid: layer 10 \/ layer 1 = [\d.e+-]+ \(([\d.]+) orders of magnitude\)/);
    expect(Math.abs(orders - Math.log10(sigmoid[9] / sigmoid[0]))).toBeLessThanOrEqual(0.1); // the table is rounded
    const perLayer = numberAfter(run, /sigmoid: .*×([\d.]+) per layer going back/);
    expect(perLayer).toBeLessThan(0.3);
    // the prose's "σ' ≤ 0.25, a factor a little below 0.25" is printed: the mean slope of each sigmoid layer
    const slopes = run.text.match(/mean σ'\(z\) of the sigmoid layers: ([\d.]+) to ([\d.]+)/);
    expect(slopes).not.toBeNull();
    expect(Number(slopes![2])).toBeLessThanOrEqual(0.25);
    expect(Number(slopes![1])).toBeGreaterThan(0.1);
    expect(run.text).toMatch(/Figure: line chart "Mean \|gradient\| of each layer's weights.*\(log y\)/);
  });

  it("shows that all-zero initial weights keep every hidden unit identical (symmetry), random ones do not", () => {
    const m = run.text.match(/from all-zero weights: (\d+) of 6; from Xavier weights: (\d+) of 6/);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(1);
    expect(Number(m![2])).toBe(6);
  });

  it("tells Glorot & Bengio's fan-in + fan-out std from Saito's 1/√n", () => {
    expect(run.text).toMatch(/std for 100 → 100: Glorot & Bengio √\(2\/\(100 \+ 100\)\) = 0\.100, Saito's 1\/√100 = 0\.100; for 784 → 100: 0\.048 vs 0\.036/);
  });

  it("shows Saito's activation distributions: std 1 saturates, 0.01 bunches at 0.5, Xavier spreads", () => {
    const layers = allNumbers(run, /layer (\d): mean ([\d.]+), std ([\d.]+), saturated \(< 0\.01 or > 0\.99\) ([\d.]+)%/);
    expect(layers).toHaveLength(15);
    const [std1, std001, xavier] = [layers.slice(0, 5), layers.slice(5, 10), layers.slice(10, 15)];
    for (const [, mean, std, sat] of std1) {
      expect(std).toBeGreaterThan(0.35);
      expect(sat).toBeGreaterThan(30);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.1);
    }
    for (const [, mean, std, sat] of std001) {
      expect(std).toBeLessThan(0.05);
      expect(sat).toBe(0);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    }
    for (const [, , std, sat] of xavier) {
      expect(std).toBeGreaterThan(0.1);
      expect(std).toBeLessThan(0.3);
      expect(sat).toBeLessThan(1);
    }
    expect(run.text.match(/Figure: 5 histograms "Sigmoid activations/g)).toHaveLength(3);
  });

  it("shows ReLU activations shrinking with std 0.01, fading with Xavier and level with He", () => {
    const stds = (name: string) => {
      const m = run.text.match(new RegExp(`${name}: std per layer ((?:[\\d.e+-]+ ){4}[\\d.e+-]+);`));
      if (!m) throw new Error(`no std line for ${name}`);
      return m[1].split(" ").map(Number);
    };
    const small = stds("std 0\\.01"), xavier = stds("Xavier 1/√n"), he = stds("He √\\(2/n\\)");
    expect(small[0] / small[4]).toBeGreaterThan(1e3);
    expect(xavier[0] / xavier[4]).toBeGreaterThan(2);
    expect(Math.max(...he) / Math.min(...he)).toBeLessThan(1.3);
    expect(run.text).toMatch(/He √\(2\/n\): .*exact zeros (4\d|5\d)%/);
  });

  it("kills ReLU units with lr 2 and a −2 bias, and shows their gradient is exactly 0", () => {
    expect(run.text).toMatch(/dead units per layer of a fresh network: 0, 0/);
    const [healthy1] = allNumbers(run, /lr 0\.1: dead units per layer (\d+), (\d+); loss ([\d.]+); accuracy ([\d.]+)/);
    const [broken1] = allNumbers(run, /lr 2 +: dead units per layer (\d+), (\d+); loss ([\d.]+); accuracy ([\d.]+)/);
    expect(healthy1[0]).toBeLessThanOrEqual(5);
    expect(broken1[0]).toBeGreaterThanOrEqual(50);
    expect(broken1[2]).toBeGreaterThan(2); // near ln 10: the network has given up
    expect(broken1[3]).toBeLessThan(healthy1[3]);
    const [[dead, zeroW, zeroB]] = allNumbers(run, /layer 1: (\d+) dead units; ∂L\/∂W column exactly 0 for (\d+) of them, ∂L\/∂b exactly 0 for (\d+)/);
    expect(dead).toBe(broken1[0]);
    expect(zeroW).toBe(dead);
    expect(zeroB).toBe(dead);
    const zeroColumns = numberAfter(run, /columns of ∂L\/∂W₁ that are exactly 0: (\d+) of 100/);
    expect(zeroColumns).toBeGreaterThanOrEqual(dead);
    // a live unit of a dense layer gets a zero gradient only through images where all of layer 2 is off
    const [[liveZero, layer2Off]] = allNumbers(run, /live units of layer 1 with a zero ∂L\/∂W column: (\d+); images on which every unit of layer 2 outputs 0: (\d+) of 1000/);
    expect(liveZero).toBe(zeroColumns - dead);
    if (liveZero > 0) expect(layer2Off).toBeGreaterThan(0);
    const [healthy2] = allNumbers(run, /started at lr 0\.1: dead units per layer (\d+), (\d+); accuracy ([\d.]+)/);
    const [broken2] = allNumbers(run, /started at lr 2 +: dead units per layer (\d+), (\d+); accuracy ([\d.]+)/);
    expect(broken2[0]).toBeGreaterThanOrEqual(broken1[0]); // dead units of layer 1 never come back
    expect(healthy2[2] - broken2[2]).toBeGreaterThan(0.2);
    const [bias] = allNumbers(run, /bias −2: dead units per layer (\d+), (\d+) before training, (\d+), (\d+) after 220 steps at lr 0\.1; accuracy ([\d.]+)/);
    expect(bias[0]).toBeGreaterThanOrEqual(90);
    expect(bias[2]).toBeGreaterThanOrEqual(bias[0]);
    expect(bias[4]).toBeLessThan(0.3);
  });

  it("its reference solutions pass every visible case", () => {
    expect(run.text).toMatch(pointsLine(lang, "sigmoid-grad", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "sigmoid-grad-max", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "gradient-bound", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "relu-backward", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "dead-units", 3, 3));
  });
});

describe("lesson 06 — exercise cases", () => {
  const exercises = [sigmoidGradExercise, gridArgmaxExercise, gradientBoundExercise, reluBackwardExercise, deadUnitsExercise] as Exercise<unknown>[];
  const solution = <F>(ex: Exercise<F>) => loadSolution(NOTEBOOK, ex.id, ex.functions);
  const failures = async <F>(ex: Exercise<F>, impl: Record<string, unknown>) =>
    (await runCases(ex as Exercise<unknown>, { ...solution(ex), ...impl }, { hidden: true })).cases.filter((c) => c.status !== "passed").length;

  itChecksSolutionsAndStubs(NOTEBOOK, exercises, { stubsSayNotImplemented: true });

  it("catches common mistakes", async () => {
    const s = (x: number) => 1 / (1 + Math.exp(-x));
    expect(await failures(sigmoidGradExercise, { mySigmoidGrad: (x: number) => s(x) * (1 + s(x)) })).toBeGreaterThan(0);
    expect(await failures(sigmoidGradExercise, { mySigmoidGrad: s })).toBeGreaterThan(0);
    // a grid that stops before hi
    const openGrid = (f: (x: number) => number, lo: number, hi: number, n: number) => {
      let best = lo;
      for (let i = 0; i < n - 1; i++) {
        const x = lo + (i * (hi - lo)) / (n - 1);
        if (f(x) > f(best)) best = x;
      }
      return best;
    };
    expect(await failures(gridArgmaxExercise, { gridArgmax: openGrid })).toBeGreaterThan(0);
    // ties going to the last point
    const lastOnTie = (f: (x: number) => number, lo: number, hi: number, n: number) => {
      let best = lo;
      for (let i = 0; i < n; i++) {
        const x = lo + (i * (hi - lo)) / (n - 1);
        if (f(x) >= f(best)) best = x;
      }
      return best;
    };
    expect(await failures(gridArgmaxExercise, { gridArgmax: lastOnTie })).toBeGreaterThan(0);
    // ceil of a logarithm, off by one at exact powers? and a bound that forgets wMax
    expect(await failures(gradientBoundExercise, { gradientBound: (n: number) => 0.25 ** n })).toBeGreaterThan(0);
    expect(await failures(gradientBoundExercise, { layersUntil: (t: number, w: number) => Math.floor(Math.log(t) / Math.log(0.25 * w)) })).toBeGreaterThan(0);
    // ReLU' = 1 at 0, and no shape check
    const geq = (x: number[][], dout: number[][]) => x.map((row, i) => row.map((v, j) => (v >= 0 ? dout[i][j] : 0)));
    expect(await failures(reluBackwardExercise, { reluBackward: geq })).toBeGreaterThan(0);
    const unchecked = (x: number[][], dout: number[][]) => x.map((row, i) => row.map((v, j) => (v > 0 ? dout[i]?.[j] ?? 0 : 0)));
    expect(await failures(reluBackwardExercise, { reluBackward: unchecked })).toBeGreaterThan(0);
    // only the first row decides whether a unit is dead
    const firstRow = (a: number[][]) => a[0].filter((v) => v === 0).length;
    expect(await failures(deadUnitsExercise, { countDeadUnits: firstRow })).toBeGreaterThan(0);
  });
});
