/**
 * Exercises of lesson 06 ("Sigmoid vs ReLU: how gradients flow", Chollet ch. 2 notes, Saito §5.5
 * and §6.2): the sigmoid's derivative and where it peaks, the bound 0.25ⁿ on a chain of sigmoid
 * layers, the ReLU backward mask, and counting dead ReLU units.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { defineExercise, type CaseOptions } from "./cases";
import { implCase, rounded } from "./impl-cases";
import { throwsCase } from "./tensor-throws-cases";

const LESSON = "06-activations-initialization";

// ---------------------------------------------------------------------------------------------

/** σ'(x), written by the student. */
export interface SigmoidGradFunctions {
  /** σ'(x) = σ(x)·(1 − σ(x)) with σ(x) = 1 / (1 + e^(−x)). */
  mySigmoidGrad(x: number): number;
}

/** σ'(x) by another formula than the student's: e^(−x) / (1 + e^(−x))². */
function sigmoidPrime(x: number): number {
  const e = Math.exp(-x);
  return e / (1 + e) ** 2;
}

export const sigmoidGradExercise = defineExercise<SigmoidGradFunctions>({
  id: "sigmoid-grad",
  lesson: LESSON,
  title: "The derivative of the sigmoid",
  points: 3,
  cases: (call) => [
    call("mySigmoidGrad", [0], 0.25, { hint: "σ(0) = 0.5, so σ'(0) = 0.5 · (1 − 0.5)." }),
    call("mySigmoidGrad", [2], sigmoidPrime(2), { hint: "σ'(x) = σ(x)(1 − σ(x)): compute σ(x) first, then multiply." }),
    call("mySigmoidGrad", [-2], sigmoidPrime(-2), { hint: "σ' is symmetric: σ'(−x) = σ'(x)." }),
    call("mySigmoidGrad", [1], sigmoidPrime(1)),
    call("mySigmoidGrad", [0.5], sigmoidPrime(0.5), { hidden: true }),
    call("mySigmoidGrad", [-0.1], sigmoidPrime(-0.1), { hidden: true }),
    call("mySigmoidGrad", [5], sigmoidPrime(5), { hidden: true }),
    call("mySigmoidGrad", [-7], sigmoidPrime(-7), { hidden: true, tolerance: 1e-6 }),
    call("mySigmoidGrad", [3.25], sigmoidPrime(3.25), { hidden: true }),
  ],
});

// ---------------------------------------------------------------------------------------------

/** Where a function of one number is largest, found on a grid. */
export interface GridArgmaxFunctions {
  /**
   * The x among the n evenly spaced points xᵢ = lo + i·(hi − lo)/(n − 1), i = 0 … n − 1 (both ends
   * included), where f(x) is largest; on a tie, the first such point.
   */
  gridArgmax(f: (x: number) => number, lo: number, hi: number, n: number): number;
}

export const gridArgmaxExercise = defineExercise<GridArgmaxFunctions>({
  id: "sigmoid-grad-max",
  lesson: LESSON,
  title: "Where the sigmoid's derivative is largest",
  points: 3,
  cases: (call) => {
    const id = "sigmoid-grad-max";
    const c = (label: string, f: (x: number) => number, lo: number, hi: number, n: number, expected: number, options: CaseOptions = {}) =>
      implCase(call, id, ["gridArgmax"], `gridArgmax(${label}, ${lo}, ${hi}, ${n})`, (impl) => rounded(impl.gridArgmax(f, lo, hi, n)), expected, options);
    return [
      c("σ'", sigmoidPrime, -6, 6, 121, 0, { hint: "Evaluate f at every grid point and keep the x with the largest f(x)." }),
      c("σ'", sigmoidPrime, -3, 5, 9, 0, { hint: "The points are −3, −2, …, 5: step (hi − lo)/(n − 1) = 1." }),
      c("x => -(x - 1.5) ** 2", (x) => -((x - 1.5) ** 2), 0, 3, 7, 1.5),
      c("x => x", (x) => x, 0, 1, 11, 1, { hint: "Include both ends of the interval: the last point is hi itself." }),
      c("x => σ'(x - 2)", (x) => sigmoidPrime(x - 2), -6, 6, 121, 2, { hidden: true }),
      c("x => -x", (x) => -x, -1, 1, 5, -1, { hidden: true, hint: "The first point is lo itself." }),
      c("x => 7", () => 7, -2, 2, 5, -2, { hidden: true, hint: "On a tie keep the first point: replace only on a strictly larger value." }),
      c("Math.sin", Math.sin, 0, Math.PI, 3, Math.PI / 2, { hidden: true }),
      c("x => -Math.abs(x + 0.25)", (x) => -Math.abs(x + 0.25), -1, 1, 9, -0.25, { hidden: true }),
      c("x => x * x", (x) => x * x, -3, 1, 2, -3, { hidden: true, hint: "With n = 2 the grid is just lo and hi." }),
    ];
  },
});

// ---------------------------------------------------------------------------------------------

/** The bound on a gradient that passes back through n sigmoid layers. */
export interface GradientBoundFunctions {
  /**
   * The largest |∂y/∂x| through n sigmoid layers whose weights are at most wMax in size:
   * each layer multiplies by w·σ'(z) and σ'(z) ≤ 0.25, so the bound is (0.25·wMax)ⁿ.
   */
  gradientBound(n: number, wMax: number): number;
  /**
   * The fewest layers n ≥ 0 for which gradientBound(n, wMax) ≤ threshold. Only for 0 < wMax < 4, where
   * each layer shrinks the bound (the cases never pass wMax ≥ 4: a loop would then never end).
   */
  layersUntil(threshold: number, wMax: number): number;
}

export const gradientBoundExercise = defineExercise<GradientBoundFunctions>({
  id: "gradient-bound",
  lesson: LESSON,
  title: "How small the gradient gets after n sigmoid layers",
  points: 3,
  cases: (call) => [
    call("gradientBound", [1, 1], 0.25, { hint: "One layer: at most 0.25 · wMax." }),
    call("gradientBound", [10, 1], 0.25 ** 10, { hint: "The chain rule multiplies one factor per layer: (0.25 · wMax) to the power n." }),
    call("gradientBound", [3, 2], 0.125),
    call("layersUntil", [1e-6, 1], 10, { hint: "0.25⁹ ≈ 3.8e-6 is still above 1e-6; 0.25¹⁰ ≈ 9.5e-7 is not." }),
    call("layersUntil", [1 / 64, 1], 3, { hint: "0.25³ is exactly 1/64, and ≤ counts equality." }),
    call("layersUntil", [0.5, 3], 3, { hint: "With wMax = 3 each layer multiplies the bound by 0.75: 0.75³ ≈ 0.42 is the first below 0.5." }),
    call("gradientBound", [0, 1], 1, { hidden: true, hint: "No layer, no factor: the bound is 1." }),
    call("gradientBound", [5, 4], 1, { hidden: true }),
    call("gradientBound", [2, 0.5], 0.015625, { hidden: true }),
    call("layersUntil", [1, 1], 0, { hidden: true, hint: "With n = 0 the bound is 1, already ≤ 1." }),
    call("layersUntil", [1e-12, 1], 20, { hidden: true }),
    call("layersUntil", [1e-3, 2], 10, { hidden: true }),
    call("layersUntil", [1 / 1024, 2], 10, { hidden: true, hint: "0.5¹⁰ is exactly 1/1024: beware of rounding in logarithms." }),
    call("layersUntil", [0.01, 3], 17, { hidden: true }),
    call("layersUntil", [0.3, 0.5], 1, { hidden: true, hint: "Small weights shrink the bound faster: 0.125 after one layer." }),
  ],
});

// ---------------------------------------------------------------------------------------------

/** The ReLU layer's backward pass, on a batch given as rows of numbers. */
export interface ReluBackwardFunctions {
  /** true where the forward input x is positive (the units that let the gradient through). */
  reluMask(x: number[][]): boolean[][];
  /**
   * ∂L/∂x of y = max(0, x): dout where x > 0 and 0 elsewhere (at x = 0 too, as in Saito's
   * `mask = (x <= 0)`). Throws an Error naming both shapes if x and dout differ in shape.
   */
  reluBackward(x: number[][], dout: number[][]): number[][];
}

export const reluBackwardExercise = defineExercise<ReluBackwardFunctions>({
  id: "relu-backward",
  lesson: LESSON,
  title: "The ReLU backward mask",
  points: 3,
  cases: (call) => [
    call("reluMask", [[[1, -0.5], [-2, 3]]], [[true, false], [false, true]], { hint: "x > 0 → true." }),
    call("reluBackward", [[[1, -0.5], [-2, 3]], [[10, 20], [30, 40]]], [[10, 0], [0, 40]], {
      hint: "Let dout through where the forward input was positive; send 0 elsewhere.",
    }),
    call("reluBackward", [[[0, 0.1]], [[5, 5]]], [[0, 5]], { hint: "At x = 0 ReLU is taken as flat: the gradient is 0 there." }),
    throwsCase(call, "reluBackward", [[[1, 2]], [[1, 2, 3]]], [2, 3], { hint: "dout must have the shape of x: name both shapes in the Error." }),
    call("reluMask", [[[0, -0]]], [[false, false]], { hidden: true }),
    call("reluMask", [[[1e-300], [-1e-300]]], [[true], [false]], { hidden: true }),
    call("reluBackward", [[[-1, -2, -3]], [[1, 2, 3]]], [[0, 0, 0]], { hidden: true }),
    call("reluBackward", [[[2, 3, 4]], [[-1, 0.5, 7]]], [[-1, 0.5, 7]], { hidden: true, hint: "dout may be negative: pass it through unchanged." }),
    call("reluBackward", [[[1], [-1], [2]], [[9], [9], [-9]]], [[9], [0], [-9]], { hidden: true }),
    throwsCase(call, "reluBackward", [[[1, 2], [3, 4]], [[1, 2]]], [1, 2], { hidden: true, hint: "A different number of rows is a shape mismatch too." }),
  ],
});

// ---------------------------------------------------------------------------------------------

/** Counting dead ReLU units. */
export interface DeadUnitsFunctions {
  /**
   * The number of units (columns) whose ReLU output is 0 for every input (row) of the batch.
   */
  countDeadUnits(activations: number[][]): number;
}

export const deadUnitsExercise = defineExercise<DeadUnitsFunctions>({
  id: "dead-units",
  lesson: LESSON,
  title: "Counting dead ReLU units",
  points: 3,
  cases: (call) => [
    call("countDeadUnits", [[[0, 1, 0], [0, 2, 0.5]]], 1, { hint: "A unit is a column: column 0 is 0 in every row, column 2 is not." }),
    call("countDeadUnits", [[[0, 0], [0, 0]]], 2),
    call("countDeadUnits", [[[3, 1], [0, 0], [0, 2]]], 0, { hint: "One positive output anywhere in the column keeps the unit alive." }),
    call("countDeadUnits", [[[0, 0, 0, 0]]], 4, { hidden: true }),
    call("countDeadUnits", [[[0.1], [0], [0]]], 0, { hidden: true }),
    call("countDeadUnits", [[[0, 5, 0, 0, 1], [0, 0, 0, 3, 0], [0, 0, 0, 0, 0]]], 2, { hidden: true, hint: "Check every row, not just the first." }),
    call("countDeadUnits", [[[1, 2, 3]]], 0, { hidden: true }),
  ],
});
