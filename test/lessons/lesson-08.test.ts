import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { runCases } from "../../src/exercises/check";
import type { Exercise } from "../../src/exercises/cases";
import { chooseLossExercise, fitBudgetExercise, momentumStepExercise, rmspropStepExercise } from "../../src/exercises/lesson08";
import { EDITIONS, executeLesson, itKeepsMemoryBoundedOnRerun, pointsLine, RERUN_MS, numberAfter, type LessonRun } from "../helpers/notebook";
import { loadSolution } from "../helpers/solutions";

const NOTEBOOK = "08-training-loop.ipynb";

describe.each(EDITIONS)("lesson 08 — the notebook (%s)", (lang) => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await executeLesson("08", 900, lang);
  }, 1_200_000 + RERUN_MS);

  itKeepsMemoryBoundedOnRerun(() => run, lang);

  it("runs top to bottom without an error", () => {
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    expect(run.ok).toBe(true);
  });

  it("shows the layers' shapes, the open batch axis and the compiled loss and optimizer", () => {
    expect(run.text).toMatch(/input \[null,784\] → output \[null,32\], 25120 parameters/);
    expect(run.text).toMatch(/input \[null,32\] → output \[null,10\], 330 parameters/);
    expect(run.text).toMatch(/input \[128, 784\] → output \[128, 10\]/);
    expect(run.text).toMatch(/compiled with loss: meanSquaredError +optimizer: RMSProp/);
  });

  it("shows why MSE suits a softmax classifier poorly: its gradient on the true class's score fades as the prediction gets worse", () => {
    const rows = [...run.text.matchAll(/^ +(0\.9|0\.5|0\.1|0\.01|0\.001) +(-?[\d.]+) +(-?[\d.e+-]+)$/gm)].map((m) => ({ p: Number(m[1]), ce: Number(m[2]), mse: Number(m[3]) }));
    expect(rows.map((r) => r.p)).toEqual([0.9, 0.5, 0.1, 0.01, 0.001]);
    for (const r of rows) expect(r.ce).toBeCloseTo(r.p - 1, 4);          // softmax + crossentropy: p − t
    const worst = rows[rows.length - 1];
    expect(Math.abs(worst.mse)).toBeLessThan(0.01 * Math.abs(worst.ce));
    expect(Math.abs(worst.mse)).toBeLessThan(Math.abs(rows[2].mse));
  });

  it("builds the same model with the functional API, and sums the losses of a two-output model", () => {
    expect(run.text).toMatch(/Sequential: 2 Dense layers, 25450 parameters; functional: 2 Dense layers, 25450 parameters/);
    expect(run.text).toMatch(/outputs: digit \[null,10\], even \[null,1\]/);
    const m = run.text.match(/digit loss ([\d.]+) \+ even loss ([\d.]+) = ([\d.]+); the model's total loss: ([\d.]+)/);
    expect(m).not.toBeNull();
    expect(Number(m![4])).toBeCloseTo(Number(m![1]) + Number(m![2]), 3);
  });

  it("computes six losses by hand that agree with tfjs", () => {
    const rows = [...run.text.matchAll(/^(binary crossentropy|categorical crossentropy|sparse categorical crossentropy|mean squared error|mean absolute error|mean absolute percentage error) +([\d.]+) +([\d.]+) +([\d.e+-]+)$/gm)];
    expect(rows.map((r) => r[1])).toEqual([
      "binary crossentropy", "categorical crossentropy", "sparse categorical crossentropy",
      "mean squared error", "mean absolute error", "mean absolute percentage error",
    ]);
    for (const [, , byHand, fromTf] of rows) expect(Math.abs(Number(byHand) - Number(fromTf))).toBeLessThanOrEqual(1e-5 * Math.max(1, Number(byHand)));
    const value = (name: string) => Number(rows.find((r) => r[1] === name)![2]);
    expect(value("sparse categorical crossentropy")).toBe(value("categorical crossentropy"));
    // house prices: errors 10, 30, 10, 10
    expect(value("mean squared error")).toBeCloseTo((100 + 900 + 100 + 100) / 4, 6);
    expect(value("mean absolute error")).toBeCloseTo(15, 6);
    expect(value("mean absolute percentage error")).toBeCloseTo((100 / 4) * (10 / 200 + 30 / 150 + 10 / 320 + 10 / 90), 5);
    expect(value("binary crossentropy")).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + 2 * Math.log(0.6)) / 4, 5);
    expect(numberAfter(run, /largest relative difference: ([\d.e+-]+)/)).toBeLessThan(1e-5);
  });

  it("counts 469 steps per epoch, a last batch of 96, and reads fit(epochs=100, batch_size=10) aloud", () => {
    expect(numberAfter(run, /steps per epoch: (\d+), last batch/)).toBe(469);
    expect(numberAfter(run, /last batch: (\d+)/)).toBe(96);
    expect(numberAfter(run, /updates in 2 epochs: (\d+)/)).toBe(938);
    expect(run.text).toMatch(/with 1,000 samples: 100 steps per epoch, 10,000 updates/);
  });

  it("measures batch sizes: 1 is noisy, 3,000 barely learns, 32 gets the lowest loss", () => {
    const rows = new Map(
      [...run.text.matchAll(/^ +(1|32|3000) +(\d+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+)$/gm)].map((m) => [
        Number(m[1]),
        { updates: Number(m[2]), loss: Number(m[3]), testAcc: Number(m[4]), spread: Number(m[5]), seconds: Number(m[6]) },
      ]),
    );
    expect([...rows.keys()]).toEqual([1, 32, 3000]);
    const [one, mid, all] = [rows.get(1)!, rows.get(32)!, rows.get(3000)!];
    expect([one.updates, mid.updates, all.updates]).toEqual([6000, 2 * Math.ceil(3000 / 32), 2]);
    expect(one.spread).toBeGreaterThan(5 * mid.spread);
    expect(mid.loss).toBeLessThan(one.loss);
    expect(mid.loss).toBeLessThan(all.loss);
    expect(all.loss).toBeGreaterThan(2);        // 2 updates: still close to −log(1/10) = 2.30
    expect(mid.testAcc).toBeGreaterThan(all.testAcc);
  });

  it("measures the memory of a training step growing with the batch size", () => {
    const rows = [...run.text.matchAll(/^batch +(\d+): a step holds up to +([\d.]+) MiB/gm)].map((m) => ({ size: Number(m[1]), mib: Number(m[2]) }));
    expect(rows.map((r) => r.size)).toEqual([32, 256, 2048]);
    expect(rows[1].mib).toBeGreaterThan(rows[0].mib);
    expect(rows[2].mib).toBeGreaterThan(rows[1].mib);
    // at least the input batch and both layers' outputs: (784 + 512 + 10) float32 per sample
    const perSample = numberAfter(run, /MiB \+ ([\d,]+) bytes per sample/);
    expect(perSample).toBeGreaterThanOrEqual(4 * (784 + 512 + 10));
    expect(numberAfter(run, /largest batch for a 1024 MiB budget: ([\d,]+)/)).toBeGreaterThan(numberAfter(run, /largest batch for a 64 MiB budget: ([\d,]+)/));
  });

  it("says the tfjs Dense default is glorotNormal, and tfjs RMSprop's decay is 0.9 against the kit's 0.99", () => {
    expect(run.text).toMatch(/tf\.layers\.dense default kernel initializer: VarianceScaling \{"scale":1,"mode":"fanAvg","distribution":"normal"/);
    expect(run.text).toMatch(/the same as tf\.initializers\.glorotNormal\(\): true +as glorotUniform\(\): false/);
    const std = numberAfter(run, /a 784 × 512 kernel: mean -?[\d.]+, std ([\d.]+)/);
    // truncated normal with Glorot's variance: the std lands a little below √(2 / 1296) ≈ 0.039
    expect(std).toBeGreaterThan(0.03);
    expect(std).toBeLessThan(0.04);
    expect(run.text).toMatch(/tf\.train\.rmsprop\(0\.001\) \(lesson 01\): learning rate 0\.001, decay ρ = 0\.9$/m);
    expect(run.text).toMatch(/kit's new RMSprop\(0\.001\) \(Saito\): +learning rate 0\.001, decay ρ = 0\.99$/m);
  });

  it("compares the 2-epoch from-scratch run with the book's 10 epochs: 938 against 4,690 updates, the loss still falling", () => {
    expect(run.text).toMatch(/book: 10 epochs × 469 steps = 4,690 updates/);
    expect(run.text).toMatch(/here: 2 epochs × 469 steps = 938 updates → test accuracy [\d.]+ \(lower\)/);
    const m = run.text.match(/mean batch loss — epoch 1: ([\d.]+), epoch 2: ([\d.]+)/);
    expect(Number(m![2])).toBeLessThan(Number(m![1]));
  });

  it("rebuilds the first example from scratch: 469 batches, 407,050 parameters, 2 epochs of plain SGD", () => {
    expect(run.text).toMatch(/weights: \[784, 512\] \[512\] \[512, 10\] \[10\] +parameters: 407,050/);
    expect(run.text).toMatch(/batches per epoch: 469 +first batch: \[ 128, 784 \] \[ 128 \]/);
    expect([...run.text.matchAll(/469\/469 \[=+\]/g)].length).toBe(4);   // 2 epochs of plain SGD, 2 of RMSprop
    expect(numberAfter(run, /from scratch, plain SGD \(lr 1e-3\), 2 epochs — test accuracy: ([\d.]+)/)).toBeGreaterThan(0.3);
  });

  it("compares with lesson 01's rmsprop from the same weights and explains the difference from the numbers", () => {
    expect(run.text).toMatch(/same starting weights: true/);
    const sgd = numberAfter(run, /from scratch, plain SGD \(lr 1e-3\), 2 epochs — test accuracy: ([\d.]+)/);
    const rmsprop = numberAfter(run, /from scratch, rmsprop \(lr 1e-3\), 2 epochs — test accuracy: ([\d.]+)/);
    expect(rmsprop).toBeGreaterThan(0.85);
    expect(rmsprop).toBeGreaterThan(sgd + 0.1);
    expect(numberAfter(run, /loss of the very first batch \(both\): ([\d.]+)/)).toBeGreaterThan(Math.log(10));
    const m = run.text.match(/in 938 updates — plain SGD: ([\d.e+-]+) +rmsprop: ([\d.e+-]+) +\(ratio (\d+)\)/);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(3 * Number(m![1]));
    const second = run.text.match(/mean loss, 2nd epoch — plain SGD: ([\d.]+) +rmsprop: ([\d.]+)/);
    expect(Number(second![2])).toBeLessThan(Number(second![1]));
  });

  it("its reference solutions pass every visible case", () => {
    expect(run.text).toMatch(pointsLine(lang, "momentum-update", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "rmsprop-update", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "fit-budget", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "choose-loss", 3, 3));
  });
});

describe("lesson 08 — exercise cases", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  const exercises = [momentumStepExercise, rmspropStepExercise, fitBudgetExercise, chooseLossExercise] as Exercise<unknown>[];

  it.each(exercises)("the notebook's solution of $id passes all cases, hidden ones included", async (ex) => {
    const result = await runCases(ex, loadSolution(NOTEBOOK, ex.id, ex.functions), { hidden: true });
    expect(result.cases.filter((c) => c.status !== "passed")).toEqual([]);
    expect(ex.cases.some((c) => c.hidden)).toBe(true);
  });

  it("catches Momentum that adds the gradient instead of subtracting it, or forgets the old velocity", async () => {
    const plus = (p: number[], g: number[], v: number[], lr: number, m: number) => {
      const nv = v.map((vi, i) => m * vi + lr * g[i]);
      return { param: p.map((pi, i) => pi + nv[i]), v: nv };
    };
    const forgetful = (p: number[], g: number[], _v: number[], lr: number) => ({ param: p.map((pi, i) => pi - lr * g[i]), v: g.map((gi) => -lr * gi) });
    for (const wrong of [plus, forgetful]) {
      const result = await runCases(momentumStepExercise, { momentumStep: wrong }, { hidden: true });
      expect(result.passed).toBeLessThan(result.total);
    }
  });

  it("catches RMSprop written as AdaGrad (h only grows) or without the square root", async () => {
    const adagrad = (p: number[], g: number[], h: number[], lr: number) => {
      const nh = h.map((hi, i) => hi + g[i] * g[i]);
      return { param: p.map((pi, i) => pi - (lr * g[i]) / (Math.sqrt(nh[i]) + 1e-7)), h: nh };
    };
    const noRoot = (p: number[], g: number[], h: number[], lr: number, rho: number) => {
      const nh = h.map((hi, i) => rho * hi + (1 - rho) * g[i] * g[i]);
      return { param: p.map((pi, i) => pi - (lr * g[i]) / (nh[i] + 1e-7)), h: nh };
    };
    for (const wrong of [adagrad, noRoot]) {
      const result = await runCases(rmspropStepExercise, { rmspropStep: wrong }, { hidden: true });
      expect(result.passed).toBeLessThan(result.total);
    }
  });

  it("catches a budget that rounds the steps down, and a loss chooser that always says MSE", async () => {
    const floor = {
      fitBudget: (n: number, b: number, e: number) => ({ steps: Math.floor(n / b), lastBatch: b, updates: Math.floor(n / b) * e }),
      epochsFor: (n: number, b: number, u: number) => Math.ceil(u / Math.floor(n / b)),
    };
    expect((await runCases(fitBudgetExercise, floor)).passed).toBeLessThan(5);
    const mse = await runCases(chooseLossExercise, { lossFor: () => "meanSquaredError" }, { hidden: true });
    expect(mse.passed).toBe(1);
  });
});
