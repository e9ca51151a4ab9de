import { beforeAll, describe, expect, it } from "vitest";
import { EDITIONS, executeLesson, itKeepsMemoryBoundedOnRerun, RERUN_MS, numberAfter, type LessonRun } from "../helpers/notebook";

describe.each(EDITIONS)("lesson 01 — a first look at a neural network (%s)", (lang) => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await executeLesson("01", 600, lang);
  }, 900_000 + RERUN_MS);

  itKeepsMemoryBoundedOnRerun(() => run, lang);

  it("runs top to bottom without an error", () => {
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    expect(run.ok).toBe(true);
  });

  it("runs on a fast backend, never silently on the cpu fallback", () => {
    expect(run.text).toMatch(/tfjs backend: (wasm|tensorflow)/);
  });

  it("shows MNIST's real shapes", () => {
    expect(run.text).toMatch(/train images: \[ 60000, 28, 28 \] uint8/);
    expect(run.text).toMatch(/test images: +\[ 10000, 28, 28 \] uint8/);
    expect(run.text).toMatch(/first ten: 5 0 4 1 9 2 1 3 1 4/);
  });

  it("counts 469 steps per epoch, a last batch of 96 and 2,345 updates", () => {
    expect(numberAfter(run, /steps per epoch: (\d+)/)).toBe(469);
    expect(numberAfter(run, /a last batch of (\d+)/)).toBe(96);
    expect(numberAfter(run, /updates in 5 epochs: (\d+)/)).toBe(2345);
  });

  it("trains five epochs of 469 steps, the loss falling", () => {
    const epochs = [...run.text.matchAll(/469\/469 .*loss: ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(epochs.length).toBe(5);
    expect(epochs[4]).toBeLessThan(epochs[0]);
  });

  it("predicts the first test digit (a 7) by argmax", () => {
    expect(run.text).toMatch(/predicted class \(argmax\) of test image 0: 7 — its label: 7/);
  });

  it("reaches a test accuracy of at least 0.97", () => {
    const acc = numberAfter(run, /test_acc: ([\d.]+)/);
    expect(acc).toBeGreaterThanOrEqual(0.97);
    expect(acc).toBeLessThanOrEqual(1);
  });

  it("measures the training accuracy the same way as the test accuracy (evaluate after fit), not fit's running average", () => {
    const test = numberAfter(run, /test_acc: ([\d.]+)/);
    const train = numberAfter(run, /train_acc \(evaluate on the 60,000 training images after fit\): ([\d.]+)/);
    const running = numberAfter(run, /fit's running average in the last epoch: ([\d.]+)/);
    expect(train).toBeGreaterThanOrEqual(0.97);
    expect(train).toBeLessThanOrEqual(1);
    // after five epochs the final weights beat the average over the last epoch's changing weights
    expect(train).toBeGreaterThan(running);
    const gap = numberAfter(run, /train_acc − test_acc = (-?[\d.]+)/);
    expect(gap).toBeCloseTo(train - test, 3);
  });
});
