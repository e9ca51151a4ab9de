import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { broadcastShapes } from "../../src/naive/broadcast";
import { runCases } from "../../src/exercises/check";
import type { Exercise } from "../../src/exercises/cases";
import { broadcastShapesExercise, dotShapeExercise, matrixVectorDotExercise } from "../../src/exercises/lesson03";
import { EDITIONS, executeLesson, itKeepsMemoryBoundedOnRerun, pointsLine, RERUN_MS, numberAfter, type LessonRun } from "../helpers/notebook";
import { loadSolution } from "../helpers/solutions";

const NOTEBOOK = "03-tensor-operations.ipynb";
/** Agreement between naive loops (float64) and tfjs (float32). */
const FLOAT32_TOLERANCE = 1e-5;

describe.each(EDITIONS)("lesson 03 — the notebook (%s)", (lang) => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await executeLesson("03", 600, lang);
  }, 300_000 + RERUN_MS);

  itKeepsMemoryBoundedOnRerun(() => run, lang);

  it("runs top to bottom without an error", () => {
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    expect(run.ok).toBe(true);
  });

  it("computes a Dense layer as dot, + b, relu — the same as tf.layers.dense", () => {
    expect(run.text).toMatch(/dot\(input, W\): \[ 4, 2 \]/);
    expect(run.text).toMatch(/relu: +\[ 4, 2 \]/);
    expect(numberAfter(run, /between the layer and the three operations: ([\d.e-]+)/)).toBeLessThan(FLOAT32_TOLERANCE);
  });

  it("reconciles the book's dot(W, input) with Keras' dot(input, W): the same numbers for one sample", () => {
    expect(run.text).toMatch(/dot\(x, W\): +\[ 2 \]/);
    expect(run.text).toMatch(/dot\(Wᵀ, x\): +\[ 2 \]/);
    expect(run.text).toMatch(/Wᵀ: \[ 2, 3 \]/);
    const row = run.text.match(/dot\(x, W\): +\[ 2 \] (-?[\d.]+) (-?[\d.]+)/)!;
    const first = run.text.match(/row 0 of dot\(input, W\): (-?[\d.]+) (-?[\d.]+)/)!;
    // sample 0 = [1, 2, 3]: 1·0.2 + 2·0.1 + 3·(−0.3) = −0.5 and 1·(−0.5) + 2·0.4 + 3·0.2 = 0.9
    expect(Number(row[1])).toBeCloseTo(-0.5, 4);
    expect(Number(row[2])).toBeCloseTo(0.9, 4);
    expect(Number(first[1])).toBeCloseTo(Number(row[1]), 3);
    expect(Number(first[2])).toBeCloseTo(Number(row[2]), 3);
    expect(numberAfter(run, /largest difference, row way vs column way: ([\d.e+-]+)/)).toBeLessThan(1e-6);
  });

  it("naive element-wise loops agree with tfjs, and both are timed with their ratio", () => {
    expect(numberAfter(run, /largest difference, naive vs tfjs: ([\d.e-]+)/)).toBeLessThan(FLOAT32_TOLERANCE);
    for (const [size, reps] of [["20 × 100", 1000], ["200 × 1000", 100]] as const) {
      const m = run.text.match(new RegExp(`${size}, ${reps} times — naive loops: ([\\d.]+) ms, tfjs: ([\\d.]+) ms\\s+naive / tfjs time ratio: ([\\d.]+)`));
      expect(m, size).not.toBeNull();
      const [naive, tfjs, ratio] = m!.slice(1).map(Number);
      expect(naive).toBeGreaterThan(0);
      expect(tfjs).toBeGreaterThan(0);
      expect(Math.abs(ratio - naive / tfjs)).toBeLessThanOrEqual(0.05 + 0.01 * ratio);
    }
  });

  it("broadcasts (10,) against (32, 10) step by step, as tfjs does by itself", () => {
    expect(run.text).toMatch(/X: \[ 32, 10 \] {2}y: \[ 10 \]/);
    expect(run.text).toMatch(/expandDims\(y, 0\): \[ 1, 10 \]/);
    expect(run.text).toMatch(/repeated 32 times: \[ 32, 10 \]/);
    expect(run.text).toMatch(/every row of Y equals y: true/);
    expect(numberAfter(run, /X \+ y: \[ 32, 10 \]\s+largest difference: ([\d.e-]+)/)).toBe(0);
    expect(numberAfter(run, /naiveAddMatrixAndVector: \[ 32, 10 \] {2}largest difference from tfjs: ([\d.e-]+)/)).toBeLessThan(FLOAT32_TOLERANCE);
  });

  it("its table of the general rule agrees with broadcastShapes and with tfjs on every row", () => {
    const rows = [...run.text.matchAll(/^ *(\([\d, ]*\)) with (\([\d, ]*\)) +→ (\S.*?) +tfjs: (.+)$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const parse = (s: string) => s.replace(/[(),]/g, " ").trim().split(/\s+/).filter(Boolean).map(Number);
    let errors = 0;
    for (const [, a, b, kit, fromTf] of rows) {
      expect(kit.trim()).toBe(fromTf.trim());
      let expected = "error";
      try {
        expected = broadcastShapes(parse(a), parse(b)).join(",");
      } catch {
        errors++;
      }
      expect(kit.trim() === "error" ? "error" : parse(kit).join(","), `${a} with ${b}`).toBe(expected);
    }
    expect(errors).toBeGreaterThanOrEqual(1);
    expect(run.text).toMatch(/\(32, 10\) and \(32,\) are incompatible at axis 1 .*size 10 vs size 32/);
  });

  it("takes the maximum of (64, 3, 32, 10) and (32, 10)", () => {
    expect(run.text).toMatch(/maximum: \[ 64, 3, 32, 10 \] {2}broadcastShapes: \[ 64, 3, 32, 10 \]/);
    expect(run.text).toMatch(/every entry ≥ both operands: true/);
  });

  it("naive vector, matrix–vector and matrix–matrix products agree with tfjs", () => {
    expect(run.text).toMatch(/tfjs shape: \[\]/);
    expect(numberAfter(run, /naive: [\d.-]+ {2}tfjs: [\d.-]+ {2}tfjs shape: \[\]\s+difference: ([\d.e-]+)/)).toBeLessThan(FLOAT32_TOLERANCE);
    expect(run.text).toMatch(/\(64, 32\) · \(32,\) → naive: \[ 64 \] {2}tfjs: \[ 64 \]/);
    expect(run.text).toMatch(/\(64, 32\) · \(32, 16\) → naive: \[ 64, 16 \] {2}tfjs matMul: \[ 64, 16 \] {2}tfjs dot: \[ 64, 16 \]/);
    const diffs = [...run.text.matchAll(/^largest difference: ([\d.e-]+)$/gm)].map((m) => Number(m[1]));
    expect(diffs.length).toBeGreaterThanOrEqual(2);
    for (const d of diffs) expect(d).toBeLessThan(FLOAT32_TOLERANCE);
  });

  it("states the shape rule (a, b)·(b, c) → (a, c) with a figure, and shows the mismatch error", () => {
    expect(run.text).toMatch(/x: \[ 3, 4 \] {2}y: \[ 4, 5 \] {2}x·y: \[ 3, 5 \]/);
    expect(run.text).toMatch(/Figure: heatmap "x · y: \(3, 5\)"/);
    expect(run.text).toMatch(/tfjs: Error in dot: inner dimensions of inputs must match, but got 4 and 3/);
    expect(run.text).toMatch(/naive: naiveMatrixDot: x has shape \(3, 4\) but y has shape \(3, 4\)/);
    expect(run.text).toMatch(/\(2, 3, 4, 5\) · \(5,\): +\[ 2, 3, 4 \]/);
    expect(run.text).toMatch(/\(2, 3, 4, 5\) · \(5, 6\): \[ 2, 3, 4, 6 \]/);
  });

  it("tells reshaping (order kept) from transposing (order changed)", () => {
    expect(run.text).toMatch(/reshaped: +\[ 2, 3 \] {2}entries: 0 1 2 3 4 5/);
    expect(run.text).toMatch(/transposed: \[ 2, 3 \] {2}entries: 0 2 4 1 3 5/);
    expect(run.text).toMatch(/\(300, 20\) transposed: \[ 20, 300 \]/);
  });

  it("translates, rotates and scales a point set, and plots it", () => {
    const roof = (label: string) => {
      const m = run.text.match(new RegExp(`${label} +roof top: \\((-?[\\d.]+), (-?[\\d.]+)\\)`));
      expect(m, label).not.toBeNull();
      return [Number(m![1]), Number(m![2])];
    };
    const t = Math.PI / 4;
    const [x, y] = roof("original");
    expect([x, y]).toEqual([1, 3]);
    expect(roof("translated by \\(3, 1\\)")).toEqual([x + 3, y + 1]);
    const rotated = [x * Math.cos(t) - y * Math.sin(t), x * Math.sin(t) + y * Math.cos(t)];
    roof("rotated by 45°").forEach((v, i) => expect(v).toBeCloseTo(rotated[i], 2));
    expect(roof("scaled by \\(1.5, 0.5\\)")).toEqual([1.5 * x, 0.5 * y]);
    roof("rotated, then translated by \\(−4, 1\\)").forEach((v, i) => expect(v).toBeCloseTo(rotated[i] + [-4, 1][i], 2));
    expect(run.text).toMatch(/Figure: 5 point sets "One point set, four tensor operations"/);
    expect(run.text).toMatch(/first side — original: 2\.0000 {2}rotated: 2\.0000 {2}scaled: 3\.0000/);
  });

  it("its reference solutions pass every visible case", () => {
    expect(run.text).toMatch(pointsLine(lang, "broadcast-shapes", 4, 4));
    expect(run.text).toMatch(pointsLine(lang, "matrix-vector-dot", 3, 3));
    expect(run.text).toMatch(pointsLine(lang, "dot-shape", 3, 3));
  });
});

describe("lesson 03 — exercise cases", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  const exercises = [broadcastShapesExercise, matrixVectorDotExercise, dotShapeExercise] as Exercise<unknown>[];

  it.each(exercises)("the notebook's solution of $id passes all cases, hidden ones included", async (ex) => {
    const result = await runCases(ex, loadSolution(NOTEBOOK, ex.id, ex.functions), { hidden: true });
    expect(result.cases.filter((c) => c.status !== "passed")).toEqual([]);
    expect(ex.cases.some((c) => c.hidden)).toBe(true);
  });

  it("the kit's broadcastShapes passes the broadcast-shapes cases too", async () => {
    const result = await runCases(broadcastShapesExercise, { myBroadcastShapes: broadcastShapes }, { hidden: true });
    expect(result.passed).toBe(result.total);
  });

  it("catches a broadcast rule that aligns shapes on the left", async () => {
    const leftAligned = (a: number[], b: number[]) =>
      Array.from({ length: Math.max(a.length, b.length) }, (_, i) => {
        const da = a[i] ?? 1;
        const db = b[i] ?? 1;
        if (da !== db && da !== 1 && db !== 1) throw new Error(`${da} vs ${db}`);
        return Math.max(da, db);
      });
    const result = await runCases(broadcastShapesExercise, { myBroadcastShapes: leftAligned });
    expect(result.passed).toBeLessThan(result.total);
  });

  it("catches an error message that does not name the clashing sizes", async () => {
    const vague = (a: number[], b: number[]) => {
      try {
        return broadcastShapes(a, b);
      } catch {
        throw new Error("shapes do not match");
      }
    };
    const result = await runCases(broadcastShapesExercise, { myBroadcastShapes: vague }, { hidden: true });
    const failed = result.cases.filter((c) => c.status !== "passed");
    expect(failed.length).toBe(broadcastShapesExercise.cases.filter((c) => c.name.endsWith(" throws")).length);
    expect(failed.find((c) => !c.hidden)?.got).toMatch(/does not mention 10 and 32/);
  });

  it("catches a matrix–vector product that multiplies by the transpose, or never throws", async () => {
    const transposed = (x: number[][], y: number[]) => y.map((_, j) => x.reduce((s, row, i) => s + row[j] * (y[i] ?? 0), 0));
    const lenient = (x: number[][], y: number[]) => x.map((row) => row.reduce((s, v, j) => s + v * (y[j] ?? 0), 0));
    for (const wrong of [transposed, lenient]) {
      const result = await runCases(matrixVectorDotExercise, { matrixVectorDot: wrong }, { hidden: true });
      expect(result.passed).toBeLessThan(result.total);
    }
  });

  it("catches a dotShape that keeps the shared axis or does not check it", async () => {
    const keeps = (a: number[], b: number[]) => [...a, ...b.slice(1)];
    const unchecked = (a: number[], b: number[]) => [...a.slice(0, -1), ...b.slice(1)];
    for (const wrong of [keeps, unchecked]) {
      const result = await runCases(dotShapeExercise, { dotShape: wrong });
      expect(result.passed).toBeLessThan(result.total);
    }
  });
});
