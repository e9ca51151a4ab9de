import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { runCases } from "../../src/exercises/check";
import type { Exercise } from "../../src/exercises/cases";
import { centerCropExercise, getBatchExercise, shapeOfExercise } from "../../src/exercises/lesson02";
import { EDITIONS, executeLesson, itKeepsMemoryBoundedOnRerun, pointsLine, RERUN_MS, numberAfter, type LessonRun } from "../helpers/notebook";
import { loadSolution } from "../helpers/solutions";

const NOTEBOOK = "02-tensors.ipynb";
const BATCHES = Math.ceil(60000 / 128);

describe.each(EDITIONS)("lesson 02 — the notebook (%s)", (lang) => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await executeLesson("02", 600, lang);
  }, 300_000 + RERUN_MS);

  itKeepsMemoryBoundedOnRerun(() => run, lang);

  it("runs top to bottom without an error", () => {
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    expect(run.ok).toBe(true);
  });

  it("builds tensors of rank 0 to 4 and tells a 5-D vector from a 5-D tensor", () => {
    expect(run.text).toMatch(/rank: 0 {2}shape: \[\] {2}dtype: float32/);
    expect(run.text).toMatch(/rank: 1 {2}shape: \[ 5 \] {2}entries: 5/);
    expect(run.text).toMatch(/5-D vector: rank 1, shape \[5\], 5 entries/);
    expect(run.text).toMatch(/5-D tensor: rank 5, shape \[2,2,2,2,2\], 32 entries/);
    expect(run.text).toMatch(/rank: 2 {2}shape: \[ 3, 5 \]/);
    expect(run.text).toMatch(/first column \(axis 1, index 0\): 5, 6, 7/);
    expect(run.text).toMatch(/rank: 3 {2}shape: \[ 3, 3, 5 \]/);
    expect(run.text).toMatch(/rank: 4 {2}shape: \[ 2, 3, 3, 5 \] {2}entries: 90/);
  });

  it("reads MNIST's key attributes and what a tensor of it costs", () => {
    expect(run.text).toMatch(/rank: 3\s+shape: \[ 60000, 28, 28 \]\s+dtype: uint8/);
    const pixels = numberAfter(run, /= ([\d,]+) pixels/);
    expect(pixels).toBe(60000 * 28 * 28);
    expect(numberAfter(run, /stored in ([\d,]+) bytes/)).toBe(pixels);
    expect(run.text).toMatch(/uint8 tensor: Unknown data type uint8/);
    expect(numberAfter(run, /int32 +4 byte\(s\) per entry → +([\d,]+) bytes/)).toBe(4 * pixels);
    expect(numberAfter(run, /complex64 8 byte\(s\) per entry → +([\d,]+) bytes/)).toBe(8 * pixels);
    expect(run.text).toMatch(/images: rank 3 {2}shape \[ 60000, 28, 28 \] {2}dtype int32/);
    expect(numberAfter(run, /tensor memory: ([\d,]+) bytes/)).toBe(4 * pixels);
  });

  it("shows the digit at index 4, a 9, from the tensor", () => {
    expect(run.text).toMatch(/digit: rank 2 {2}shape \[ 28, 28 \] {2}label: 9/);
    expect(run.text).toMatch(/28×28 grayscale image "train_images\[4\] — label 9"/);
  });

  it("slices [10:100] three (and four) ways and crops to 14 × 14", () => {
    for (const k of [1, 2, 3]) expect(run.text).toMatch(new RegExp(`slice ${k}: \\[ 90, 28, 28 \\]`));
    expect(run.text).toMatch(/all three hold the same values: true/);
    expect(run.text).toMatch(/stridedSlice: \[ 90, 28, 28 \] {2}same values: true/);
    expect(run.text).toMatch(/bottom-right crop: \[ 60000, 14, 14 \]/);
    expect(run.text).toMatch(/centre crop: +\[ 60000, 14, 14 \]/);
    expect(run.text).toMatch(/centre crop with negative ends: \[ 60000, 14, 14 \] {2}same values: true/);
    expect(run.text).toMatch(/3 grayscale images "Sample 4 and its two crops"/);
  });

  it("cuts batches of 128 along the sample axis, the last one of 96", () => {
    expect(run.text).toMatch(/batch 0: \[ 128, 28, 28 \] {2}batch 1: \[ 128, 28, 28 \] {2}batch 3: \[ 128, 28, 28 \]/);
    expect(run.text).toMatch(/batch 3 = samples \[384, 512\)/);
    expect(numberAfter(run, /60000 samples make (\d+) batches/)).toBe(BATCHES);
    const lastStart = 128 * (BATCHES - 1);
    expect(run.text).toContain(`batch ${BATCHES - 1} is samples [${lastStart}, 60000): shape [ ${60000 - lastStart}, 28, 28 ]`);
    // the kit's wasm slice kernel checks the size, like cpu (stock wasm returned memory past the tensor)
    expect(run.text).toMatch(new RegExp(`slice\\(${lastStart}, 128\\) on (wasm|cpu|tensorflow): .*\\(${lastStart + 128}\\) would overflow input.shape\\[0\\] \\(60000\\)`));
  });

  it("builds vector, timeseries, image and video data at small size", () => {
    expect(run.text).toMatch(/\(samples, features\): \[ 4, 3 \]/);
    expect(run.text).toMatch(/\(samples, timesteps, features\): \[ 2, 390, 3 \]/);
    expect(run.text).toMatch(/one colour image \(samples, height, width, channels\): \[ 1, 2, 2, 3 \]/);
    expect(run.text).toMatch(/128 MNIST digits \(samples, height, width, channels\): \[ 128, 28, 28, 1 \]/);
    expect(run.text).toMatch(/\(samples, frames, height, width, channels\): \[ 2, 8, 28, 28, 3 \]/);
    expect(numberAfter(run, /\(4, 240, 144, 256, 3\) +([\d,]+) entries/)).toBe(4 * 240 * 144 * 256 * 3);
  });

  it("reshapes (3, 2) → (6, 1) and transposes (300, 20) → (20, 300)", () => {
    expect(run.text).toMatch(/reshape to \(6, 1\): \[ 6, 1 \] {2}entries: 0 1 2 3 4 5/);
    expect(run.text).toMatch(/MNIST as vectors: \[ 60000, 784 \]/);
    expect(run.text).toMatch(/x: \[ 300, 20 \] → transposed: \[ 20, 300 \]/);
  });

  it("its reference solutions pass every visible case", () => {
    expect(run.text).toMatch(pointsLine(lang, "shape-of", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "get-batch", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "center-crop", 3, 3));
  });
});

describe("lesson 02 — exercise cases", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  const solution = (ex: Exercise<unknown>) => loadSolution(NOTEBOOK, ex.id, ex.functions);

  it.each([shapeOfExercise, getBatchExercise, centerCropExercise] as Exercise<unknown>[])(
    "the notebook's solution of $id passes all cases, hidden ones included",
    async (ex) => {
      const result = await runCases(ex, solution(ex), { hidden: true });
      expect(result.cases.filter((c) => c.status !== "passed")).toEqual([]);
      expect(result.total).toBe(ex.cases.length);
      expect(ex.cases.some((c) => c.hidden)).toBe(true);
    },
  );

  it("a stub that is not implemented passes nothing, not even the cases that expect an error", async () => {
    const stub = () => {
      throw new Error("not implemented yet: shapeOf");
    };
    const result = await runCases(shapeOfExercise, { shapeOf: stub }, { hidden: true });
    expect(result.passed).toBe(0);
    expect(result.cases.every((c) => c.status === "not implemented")).toBe(true);
  });

  it("catches a shapeOf that only looks at the first element", async () => {
    const firstOnly = (x: unknown): number[] => (Array.isArray(x) ? [x.length, ...(x.length ? firstOnly(x[0]) : [])] : []);
    const result = await runCases(shapeOfExercise, { shapeOf: firstOnly }, { hidden: true });
    const failed = result.cases.filter((c) => c.status !== "passed");
    expect(failed.length).toBeGreaterThanOrEqual(3); // the ragged cases
    expect(failed.some((c) => !c.hidden)).toBe(true);
  });

  it("catches a getBatch that runs past the end of the last batch", async () => {
    const noMin = (x: tf.Tensor, n: number, size: number) => x.slice(size * n, size);
    const result = await runCases(getBatchExercise, { getBatch: noMin }, { hidden: true });
    const failed = result.cases.filter((c) => c.status !== "passed");
    expect(failed.map((c) => c.name)).toContain("getBatch(tensor of shape [10, 2], 2, 4)");
    expect(failed.length).toBeGreaterThanOrEqual(3);
  });

  it("catches a centerCrop that rounds the offset up or ignores the width", async () => {
    const roundUp = (images: tf.Tensor, size: number) => {
      const top = Math.ceil((images.shape[1]! - size) / 2);
      const left = Math.ceil((images.shape[2]! - size) / 2);
      return images.slice([0, top, left], [-1, size, size]);
    };
    const heightOnly = (images: tf.Tensor, size: number) => {
      const o = Math.floor((images.shape[1]! - size) / 2);
      return images.slice([0, o, o], [-1, size, size]);
    };
    for (const wrong of [roundUp, heightOnly]) {
      const result = await runCases(centerCropExercise, { centerCrop: wrong }, { hidden: true });
      expect(result.passed).toBeLessThan(result.total);
    }
  });

  it("shows a tensor argument by its shape and reads results back as { shape, values }", async () => {
    const result = await runCases(getBatchExercise, { getBatch: (x: tf.Tensor) => x.slice(0, 1) });
    const first = result.cases[0];
    expect(first.name).toBe("getBatch(tensor of shape [10, 2], 0, 4)");
    expect(first.status).toBe("failed");
    expect(first.got).toMatch(/shape: \[ 1, 2 \]/);
    expect(first.expected).toMatch(/shape: \[ 4, 2 \]/);
  });
});
