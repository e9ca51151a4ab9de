import { beforeAll, describe, expect, it } from "vitest";
import { runCases } from "../../src/exercises/check";
import type { Exercise } from "../../src/exercises/cases";
import { chooseLambdaExercise, dropoutExercise, lambdaVerdict, trialValidationAccuracy, weightDecayExercise } from "../../src/exercises/lesson07";
import { EDITIONS, executeLesson, itKeepsMemoryBoundedOnRerun, pointsLine, RERUN_MS, numberAfter, type LessonRun } from "../helpers/notebook";
import { loadSolution } from "../helpers/solutions";

const NOTEBOOK = "07-overfitting.ipynb";

/** train, test and gap printed by a line "NAME — train accuracy: a  test accuracy: b  gap: c". */
function finalAccuracies(run: LessonRun, name: string): { train: number; test: number; gap: number } {
  const m = run.text.match(new RegExp(`${name} — train accuracy: ([\\d.]+) +test accuracy: ([\\d.]+) +gap: (-?[\\d.]+)`));
  if (!m) throw new Error(`no final accuracies for "${name}" in the lesson's output`);
  const [train, test, gap] = m.slice(1).map(Number);
  return { train, test, gap };
}

/** A row "NAME  train  test  gap  seconds" of the tfjs table. */
function tableRow(run: LessonRun, name: string): { train: number; test: number; gap: number } {
  const escaped = name.replace(/[().]/g, "\\$&");
  const m = run.text.match(new RegExp(`^${escaped} +([\\d.]+) +([\\d.]+) +(-?[\\d.]+) +[\\d.]+$`, "m"));
  if (!m) throw new Error(`no table row "${name}" in the lesson's output`);
  const [train, test, gap] = m.slice(1).map(Number);
  return { train, test, gap };
}

describe.each(EDITIONS)("lesson 07 — the notebook (%s)", (lang) => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await executeLesson("07", 900, lang);
  }, 1_200_000 + RERUN_MS);

  itKeepsMemoryBoundedOnRerun(() => run, lang);

  it("runs top to bottom without an error", () => {
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    expect(run.ok).toBe(true);
  });

  it("uses 300 training images, all 10,000 test images, and a 130,010-parameter network", () => {
    expect(run.text).toMatch(/xTrain: \[ 300, 784 \] +tTrain: 300 labels/);
    expect(run.text).toMatch(/xTest: +\[ 10000, 784 \] +tTest: 10000 labels/);
    expect(run.text).toMatch(/layers: 784×100 → (100×100 → ){5}100×10/);
    expect(numberAfter(run, /parameters: ([\d,]+)/)).toBe(784 * 100 + 100 + 5 * (100 * 100 + 100) + 100 * 10 + 10);
  });

  it("overfits without regularization: train accuracy 1.00, test at least 0.15 lower, over 201 epochs", () => {
    const plain = finalAccuracies(run, "no regularization");
    expect(plain.train).toBeGreaterThanOrEqual(0.995);
    expect(plain.gap).toBeGreaterThanOrEqual(0.15);
    expect(plain.gap).toBeCloseTo(plain.train - plain.test, 2);
    expect(plain.test).toBeGreaterThan(0.6);
    expect(run.text).toMatch(/ {2}201 epochs, 601 updates/);
  });

  it("checks weight decay on the network: the loss grows by ½λΣw², the gradient by λW", () => {
    const m = run.text.match(/difference: ([\d.]+) +½·λ·Σw² = ½ · 0\.1 · [\d.]+ = ([\d.]+)/);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(m![1]).toBe(m![2]);
    expect(numberAfter(run, /largest \|gradient with decay − gradient without − λW\| over all [\d,]+ parameters: ([\d.e+-]+)/)).toBeLessThan(1e-12);
  });

  it("narrows the gap with weight decay λ = 0.1, and keeps the weights smaller", () => {
    const plain = finalAccuracies(run, "no regularization");
    const decay = finalAccuracies(run, "weight decay λ = 0.1");
    expect(decay.gap).toBeLessThan(plain.gap);
    expect(decay.train).toBeLessThan(plain.train);
    expect(numberAfter(run, /after training, λ = 0\.1: +([\d.]+)/)).toBeLessThan(numberAfter(run, /after training, no decay: +([\d.]+)/));
  });

  it("shows dropout's training and test modes, and its 301-epoch run narrows the gap too", () => {
    expect(run.text).toMatch(/test: +\[\[0\.5,1,1\.5,2,2\.5\],\[3,3\.5,4,4\.5,5\]\]/);
    expect(numberAfter(run, /average of 10000 training passes[\s\S]*?largest difference: ([\d.]+)/)).toBeLessThan(0.1);
    const dropped = run.text.match(/forward: +(\[\[.*\]\])\nbackward of ones: (\[\[.*\]\])/);
    expect(dropped).not.toBeNull();
    const forward = (JSON.parse(dropped![1]) as number[][]).flat();
    const backward = (JSON.parse(dropped![2]) as number[][]).flat();
    backward.forEach((g, i) => expect(g).toBe(forward[i] === 0 ? 0 : 1));
    expect(run.text).toMatch(/ {2}301 epochs, 901 updates/);
    expect(finalAccuracies(run, "dropout ratio 0.2").gap).toBeLessThan(finalAccuracies(run, "no regularization").gap);
  });

  it("explains Saito's dropout scaling: six layers shrink the scores by 0.8⁶", () => {
    const m = run.text.match(/ratio: ([\d.]+) +0\.8\^6 = ([\d.]+)/);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeCloseTo(0.8 ** 6, 3);
  });

  it("repeats the three experiments with the tfjs layers API from the same weights", () => {
    const plain = tableRow(run, "tfjs, no regularization");
    const l2 = tableRow(run, "tfjs, l2 0.05 (λ = 0.1)");
    const dropout = tableRow(run, "tfjs, dropout 0.2");
    // without regularization it overfits like the float64 network
    expect(plain.train).toBeGreaterThanOrEqual(0.98);
    expect(plain.gap).toBeGreaterThanOrEqual(0.15);
    // the l2 penalty narrows the gap at the price of training accuracy, as weight decay did
    expect(l2.gap).toBeLessThan(plain.gap - 0.03);
    expect(l2.train).toBeLessThan(plain.train);
    expect(l2.test).toBeGreaterThan(0.5);
    // inverted dropout at rate 0.2 keeps learning the training set, and its gap stays about as wide
    expect(dropout.train).toBeGreaterThan(tableRow(run, "from scratch, dropout ratio 0.2").train + 0.1);
    expect(tableRow(run, "from scratch, weight decay λ = 0.1").gap).toBeCloseTo(finalAccuracies(run, "weight decay λ = 0.1").gap, 3);
    expect(run.text).toMatch(/Total params: 130010/);
    const m = run.text.match(/with dropout 0\.2 — Saito's scaling \(float64\): ([\d.]+) +Keras' inverted \(tfjs\): ([\d.]+)/);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(tableRow(run, "from scratch, dropout ratio 0.2").train);
    expect(Number(m![2])).toBe(dropout.train);
    // the two dropout schemes are compared by test accuracy, each against its own run without dropout
    const t = run.text.match(/test accuracy after 301 epochs with dropout 0\.2 — Saito's scaling \(float64\): ([\d.]+) +Keras' inverted \(tfjs\): ([\d.]+)\n +each against its own run without dropout: float64 (-?[\d.]+), tfjs (-?[\d.]+)/);
    expect(t).not.toBeNull();
    expect(Number(t![1])).toBe(tableRow(run, "from scratch, dropout ratio 0.2").test);
    expect(Number(t![2])).toBe(dropout.test);
    expect(Number(t![3])).toBeCloseTo(tableRow(run, "from scratch, dropout ratio 0.2").test - tableRow(run, "from scratch, no regularization").test, 2);
    expect(Number(t![4])).toBeCloseTo(dropout.test - plain.test, 2);
  });

  it("shows that a seeded tfjs dropout layer repeats its mask, and an unseeded one does not", () => {
    expect(run.text).toMatch(/seeded layer — second training call gives the same mask: true/);
    expect(run.text).toMatch(/unseeded layer — different masks in 5 training calls: 5 of 5/);
  });

  it("tells Keras' inverted dropout (×2 while training, identity at inference) from Saito's (×0.5 at test time)", () => {
    const line = (label: string) => {
      const m = run.text.match(new RegExp(`${label}: +(\\[\\[.*\\]\\])`));
      expect(m, label).not.toBeNull();
      return (JSON.parse(m![1]) as number[][]).flat();
    };
    const kerasTrain = line("Keras, training");
    expect(kerasTrain.every((v) => v === 0 || Math.abs(v - 2) < 1e-6)).toBe(true);
    expect(kerasTrain.some((v) => v === 0) && kerasTrain.some((v) => v > 1)).toBe(true);
    expect(line("Keras, inference").every((v) => v === 1)).toBe(true);
    const saitoTrain = line("Saito, training");
    expect(saitoTrain.every((v) => v === 0 || v === 1)).toBe(true);
    expect(line("Saito, test").every((v) => v === 0.5)).toBe(true);
  });

  it("shows that more data is the cure: 601 updates each, test accuracy rising, gap shrinking", () => {
    const rows = ["300", "3,000", "60,000"].map((n) => {
      const m = run.text.match(new RegExp(`^ +${n} +(\\d+) +(\\d+) +([\\d.]+) +([\\d.]+) +([\\d.]+) +(-?[\\d.]+)$`, "m"));
      expect(m, n).not.toBeNull();
      const [epochs, updates, draws, train, test, gap] = m!.slice(1).map(Number);
      return { epochs, updates, draws, train, test, gap };
    });
    expect(rows.map((r) => r.epochs)).toEqual([201, 21, 2]);
    // 601 updates of 100 draws: ~200 draws of each of 300 images, ~20 of 3,000, ~1 of 60,000 (issue 17, error 5)
    expect(rows.map((r) => r.draws)).toEqual([200.3, 20.0, 1.0]);
    expect(rows.map((r) => r.updates)).toEqual([601, 601, 601]);
    expect(rows[1].test).toBeGreaterThan(rows[0].test);
    expect(rows[2].test).toBeGreaterThan(rows[0].test + 0.05);
    expect(rows[2].gap).toBeLessThan(rows[1].gap);
    expect(rows[1].gap).toBeLessThan(rows[0].gap);
  });

  it("batch normalization learns from initial weights that stall the plain network, at most weight scales", () => {
    const rows = [...run.text.matchAll(/^ +([\d.]+) +([\d.]+) +([\d.]+)$/gm)]
      .map((m) => ({ scale: Number(m[1]), without: Number(m[2]), with: Number(m[3]) }))
      .filter((r) => [1, 0.3, 0.1, 0.01, 0.001].includes(r.scale));
    expect(rows.map((r) => r.scale)).toEqual([1, 0.3, 0.1, 0.01, 0.001]);
    const ahead = rows.filter((r) => r.with > r.without + 0.05).length;
    expect(ahead).toBeGreaterThanOrEqual(3);
    expect(numberAfter(run, /batch normalization ahead at (\d+) of 5 weight scales/)).toBeGreaterThanOrEqual(ahead);
    // far too small weights: the plain network stays near chance, batch normalization learns
    for (const scale of [0.01, 0.001]) {
      const r = rows.find((row) => row.scale === scale)!;
      expect(r.without, `std ${scale}`).toBeLessThan(0.25);
      expect(r.with, `std ${scale}`).toBeGreaterThan(r.without + 0.3);
    }
    // the layer itself: columns normalized, backprop = numerical gradient, a bias before BN gets no gradient
    expect(run.text).toMatch(/after BatchNormalization \(γ = 1, β = 0\): (-?0\.000±(0\.99\d|1\.000) *){3}/);
    expect(numberAfter(run, /largest \|numerical − backprop\| over W1, γ1, β1, W2, b2: ([\d.e+-]+)/)).toBeLessThan(1e-7);
    expect(run.text).toMatch(/parameters: W1, b1, gamma1, beta1, W2, b2/);
  });

  it("chooses hyperparameters on validation data split off the training data, and uses the test data once at the end", () => {
    expect(run.text).toMatch(/training: 240 images, validation: 60 images/);
    const trial = (l: number) => run.text.match(new RegExp(`λ = ${l}: train ([\\d.]+) +validation ([\\d.]+) +gap (-?[\\d.]+)`))!.slice(1).map(Number);
    const [train0, val0] = trial(0);
    const [train1, val1] = trial(1);
    expect(train0 - val0).toBeGreaterThan(0.15);           // the small network overfits its 300 images
    expect(val1).toBeLessThan(val0 - 0.1);                 // λ = 1 underfits: worse on validation
    expect(train1).toBeLessThan(train0);
    // random search: the trials printed best first, the best one chosen
    const block = run.text.slice(run.text.indexOf("validation   λ          lr"));
    const scores = [...block.matchAll(/^ +([\d.]+) +([\d.]+e[+-]\d+) +([\d.]+e[+-]\d+)$/gm)].slice(0, 8);
    expect(scores).toHaveLength(8);
    const values = scores.map((m) => Number(m[1]));
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    const best = run.text.match(/best on validation: λ = ([\d.e+-]+), lr = ([\d.e+-]+)/)!;
    expect(best[1]).toBe(scores[0][2]);
    expect(best[2]).toBe(scores[0][3]);
    for (const m of scores) {
      expect(Number(m[2])).toBeGreaterThanOrEqual(1e-4);
      expect(Number(m[2])).toBeLessThanOrEqual(1);
      expect(Number(m[3])).toBeGreaterThanOrEqual(1e-3);
      expect(Number(m[3])).toBeLessThanOrEqual(1);
    }
    // the chosen λ beats λ = 1 on validation; the test set is measured once, after the choice
    expect(values[0]).toBeGreaterThan(val1);
    expect(run.text.match(/test \(measured once\)/g)).toHaveLength(1);
    const final = run.text.match(/chosen λ = [\d.e+-]+, lr = [\d.e+-]+, 100 epochs: train ([\d.]+) +validation ([\d.]+) +test \(measured once\) ([\d.]+)/);
    expect(final).not.toBeNull();
    expect(Number(final![3])).toBeGreaterThan(0.6);
    // the exercise's try-cell picks the best of its candidates on validation data
    const picked = numberAfter(run, /chooseLambda → λ = ([\d.]+)/);
    expect(trialValidationAccuracy(picked)).toBe(Math.max(...[0, 0.01, 0.1, 1].map(trialValidationAccuracy)));
  });

  it("its reference solutions pass every visible case", () => {
    expect(run.text).toMatch(pointsLine(lang, "weight-decay", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "dropout", 4, 4));
    expect(run.text).toMatch(pointsLine(lang, "choose-lambda", 3, 3));
  });
});

describe("lesson 07 — exercise cases", () => {
  const exercises = [weightDecayExercise, dropoutExercise, chooseLambdaExercise] as Exercise<unknown>[];

  it.each(exercises)("the notebook's solution of $id passes all cases, hidden ones included", async (ex) => {
    const result = await runCases(ex, loadSolution(NOTEBOOK, ex.id, ex.functions), { hidden: true });
    expect(result.cases.filter((c) => c.status !== "passed")).toEqual([]);
  }, 60_000);

  it("has hidden cases for the two coding exercises", () => {
    expect(weightDecayExercise.cases.some((c) => c.hidden)).toBe(true);
    expect(dropoutExercise.cases.some((c) => c.hidden)).toBe(true);
  });

  it("catches a penalty without the ½ and a gradient that subtracts λW", async () => {
    const noHalf = { weightDecayPenalty: (ws: number[][], l: number) => l * ws.flat().reduce((s, w) => s + w * w, 0), weightDecayGradient: (d: number[], W: number[], l: number) => d.map((g, i) => g + l * W[i]) };
    const minus = { weightDecayPenalty: (ws: number[][], l: number) => 0.5 * l * ws.flat().reduce((s, w) => s + w * w, 0), weightDecayGradient: (d: number[], W: number[], l: number) => d.map((g, i) => g - l * W[i]) };
    for (const wrong of [noHalf, minus]) expect((await runCases(weightDecayExercise, wrong)).passed).toBeLessThan(weightDecayExercise.cases.filter((c) => !c.hidden).length);
  });

  it("catches inverted (Keras) dropout and a mask with ≥ instead of >", async () => {
    const inverted = {
      dropoutForward: (x: number[], r: number, train: boolean, rand: number[]) => (train ? x.map((v, i) => (rand[i] > r ? v / (1 - r) : 0)) : x),
      dropoutBackward: (d: number[], r: number, rand: number[]) => d.map((g, i) => (rand[i] > r ? g / (1 - r) : 0)),
    };
    const geq = {
      dropoutForward: (x: number[], r: number, train: boolean, rand: number[]) => (train ? x.map((v, i) => (rand[i] >= r ? v : 0)) : x.map((v) => v * (1 - r))),
      dropoutBackward: (d: number[], r: number, rand: number[]) => d.map((g, i) => (rand[i] >= r ? g : 0)),
    };
    for (const wrong of [inverted, geq]) {
      const result = await runCases(dropoutExercise, wrong, { hidden: true });
      expect(result.passed).toBeLessThan(result.total);
    }
  });

  it("choose-lambda rewards the best validation accuracy: catches the smallest gap, the last candidate, and a fixed λ", async () => {
    const byGap = { chooseLambda: (c: number[], v: (l: number) => number) => c[c.length - 1] };   // "decay most"
    const byIndex = { chooseLambda: (c: number[], v: (l: number) => number) => c.indexOf(c.reduce((a, b) => (v(b) > v(a) ? b : a))) };
    const lastOnTie = { chooseLambda: (c: number[], v: (l: number) => number) => c.reduce((a, b) => (v(b) >= v(a) ? b : a)) };
    for (const wrong of [byGap, byIndex, lastOnTie]) {
      const result = await runCases(chooseLambdaExercise as Exercise<unknown>, wrong, { hidden: true });
      expect(result.passed).toBeLessThan(result.total);
    }
    const fixed = { chooseLambda: () => 0.2 };   // the old exercise's answer: not even a candidate
    expect(lambdaVerdict(fixed, [0, 0.01, 0.1, 1])).toMatch(/returned 0\.2, which is not one of the candidates \(validation accuracies 0: 0\.\d{3}/);
    const worst = { chooseLambda: () => 1 };
    expect(lambdaVerdict(worst, [0, 0.01, 0.1, 1])).toMatch(/returned λ = 1, but λ = [\d.]+ has the higher validation accuracy/);
    expect(() => lambdaVerdict({}, [0])).toThrow(/chooseLambda is missing/);
  }, 120_000);
});
