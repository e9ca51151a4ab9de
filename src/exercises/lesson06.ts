/**
 * Exercises of lesson 06 ("Updating parameters, activations and initial weights", Chollet ch. 2
 * notes, Saito §5.5 and §6.2): the sigmoid's derivative and where it peaks, the bound 0.25ⁿ on a chain of sigmoid
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
  title: { en: "The derivative of the sigmoid", ko: "시그모이드 함수의 미분" },
  points: 3,
  cases: (call) => [
    call("mySigmoidGrad", [0], 0.25, { hint: { en: "σ(0) = 0.5, so σ'(0) = 0.5 · (1 − 0.5).", ko: "σ(0) = 0.5이므로 σ'(0) = 0.5 · (1 − 0.5)이다." } }),
    call("mySigmoidGrad", [2], sigmoidPrime(2), {
      hint: {
        en: "σ'(x) = σ(x)(1 − σ(x)): compute σ(x) first, then multiply.",
        ko: "σ'(x) = σ(x)(1 − σ(x)): σ(x)를 먼저 계산한 다음 곱한다.",
      },
    }),
    call("mySigmoidGrad", [-2], sigmoidPrime(-2), { hint: { en: "σ' is symmetric: σ'(−x) = σ'(x).", ko: "σ'은 좌우 대칭이다: σ'(−x) = σ'(x)." } }),
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
  title: { en: "Where the sigmoid's derivative is largest", ko: "시그모이드 함수의 미분이 가장 큰 곳" },
  points: 3,
  cases: (call) => {
    const id = "sigmoid-grad-max";
    /** The case's name and call, for implCase. */
    const grid = (label: string, f: (x: number) => number, lo: number, hi: number, n: number) =>
      [`gridArgmax(${label}, ${lo}, ${hi}, ${n})`, (impl: GridArgmaxFunctions) => rounded(impl.gridArgmax(f, lo, hi, n))] as const;
    const c = (label: string, f: (x: number) => number, lo: number, hi: number, n: number, expected: number, options: CaseOptions = {}) =>
      implCase(call, id, ["gridArgmax"], ...grid(label, f, lo, hi, n), expected, options);
    // The hidden ones call implCase themselves, the answer right before their options, where the grader's
    // kit snapshot takes it out (tools/grading/sandbox.mjs, blankHiddenAnswers).
    return [
      c("σ'", sigmoidPrime, -6, 6, 121, 0, {
        hint: {
          en: "Evaluate f at every grid point and keep the x with the largest f(x).",
          ko: "모든 격자점에서 f를 계산하고, f(x)가 가장 큰 x를 남긴다.",
        },
      }),
      c("σ'", sigmoidPrime, -3, 5, 9, 0, {
        hint: {
          en: "The points are −3, −2, …, 5: step (hi − lo)/(n − 1) = 1.",
          ko: "점은 −3, −2, …, 5이다: 간격은 (hi − lo)/(n − 1) = 1.",
        },
      }),
      c("x => -(x - 1.5) ** 2", (x) => -((x - 1.5) ** 2), 0, 3, 7, 1.5),
      c("x => x", (x) => x, 0, 1, 11, 1, {
        hint: {
          en: "Include both ends of the interval: the last point is hi itself.",
          ko: "구간의 양 끝을 모두 포함한다: 마지막 점은 hi 자신이다.",
        },
      }),
      implCase(call, id, ["gridArgmax"], ...grid("x => σ'(x - 2)", (x) => sigmoidPrime(x - 2), -6, 6, 121), 2, { hidden: true }),
      implCase(call, id, ["gridArgmax"], ...grid("x => -x", (x) => -x, -1, 1, 5), -1, { hidden: true, hint: { en: "The first point is lo itself.", ko: "첫 번째 점은 lo 자신이다." } }),
      implCase(call, id, ["gridArgmax"], ...grid("x => 7", () => 7, -2, 2, 5), -2, { hidden: true, hint: { en: "On a tie keep the first point: replace only on a strictly larger value.", ko: "값이 같으면 첫 번째 점을 남긴다: 엄격히 더 큰 값일 때만 바꾼다." } }),
      implCase(call, id, ["gridArgmax"], ...grid("Math.sin", Math.sin, 0, Math.PI, 3), Math.PI / 2, { hidden: true }),
      implCase(call, id, ["gridArgmax"], ...grid("x => -Math.abs(x + 0.25)", (x) => -Math.abs(x + 0.25), -1, 1, 9), -0.25, { hidden: true }),
      implCase(call, id, ["gridArgmax"], ...grid("x => x * x", (x) => x * x, -3, 1, 2), -3, { hidden: true, hint: { en: "With n = 2 the grid is just lo and hi.", ko: "n = 2이면 격자점은 lo와 hi뿐이다." } }),
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
  title: { en: "How small the gradient gets after n sigmoid layers", ko: "시그모이드 계층 n개를 지난 기울기는 얼마나 작아지는가" },
  points: 3,
  cases: (call) => [
    call("gradientBound", [1, 1], 0.25, { hint: { en: "One layer: at most 0.25 · wMax.", ko: "계층이 하나이면 많아야 0.25 · wMax다." } }),
    call("gradientBound", [10, 1], 0.25 ** 10, {
      hint: {
        en: "The chain rule multiplies one factor per layer: (0.25 · wMax) to the power n.",
        ko: "연쇄 법칙에 따라 계층마다 인수가 하나씩 곱해진다: (0.25 · wMax)의 n제곱이다.",
      },
    }),
    call("gradientBound", [3, 2], 0.125),
    call("layersUntil", [1e-6, 1], 10, {
      hint: {
        en: "0.25⁹ ≈ 3.8e-6 is still above 1e-6; 0.25¹⁰ ≈ 9.5e-7 is not.",
        ko: "0.25⁹ ≈ 3.8e-6은 아직 1e-6보다 크지만 0.25¹⁰ ≈ 9.5e-7은 그렇지 않다.",
      },
    }),
    call("layersUntil", [1 / 64, 1], 3, { hint: { en: "0.25³ is exactly 1/64, and ≤ counts equality.", ko: "0.25³은 정확히 1/64이고, ≤는 같은 경우도 포함한다." } }),
    call("layersUntil", [0.5, 3], 3, {
      hint: {
        en: "With wMax = 3 each layer multiplies the bound by 0.75: 0.75³ ≈ 0.42 is the first below 0.5.",
        ko: "wMax = 3이면 계층마다 상한에 0.75가 곱해진다: 처음으로 0.5 아래가 되는 것은 0.75³ ≈ 0.42다.",
      },
    }),
    call("gradientBound", [0, 1], 1, { hidden: true, hint: { en: "No layer, no factor: the bound is 1.", ko: "계층이 없으면 곱해지는 인수도 없다: 상한은 1이다." } }),
    call("gradientBound", [5, 4], 1, { hidden: true }),
    call("gradientBound", [2, 0.5], 0.015625, { hidden: true }),
    call("layersUntil", [1, 1], 0, { hidden: true, hint: { en: "With n = 0 the bound is 1, already ≤ 1.", ko: "n = 0이면 상한이 1이므로 이미 ≤ 1이다." } }),
    call("layersUntil", [1e-12, 1], 20, { hidden: true }),
    call("layersUntil", [1e-3, 2], 10, { hidden: true }),
    call("layersUntil", [1 / 1024, 2], 10, { hidden: true, hint: { en: "0.5¹⁰ is exactly 1/1024: beware of rounding in logarithms.", ko: "0.5¹⁰은 정확히 1/1024다: 로그를 쓴다면 반올림 오차에 주의한다." } }),
    call("layersUntil", [0.01, 3], 17, { hidden: true }),
    call("layersUntil", [0.3, 0.5], 1, { hidden: true, hint: { en: "Small weights shrink the bound faster: 0.125 after one layer.", ko: "가중치가 작으면 상한이 더 빨리 줄어든다: 계층 하나를 지나면 0.125다." } }),
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
  title: { en: "The ReLU backward mask", ko: "ReLU 역전파의 마스크" },
  points: 3,
  cases: (call) => [
    call("reluMask", [[[1, -0.5], [-2, 3]]], [[true, false], [false, true]], { hint: { en: "x > 0 → true.", ko: "x > 0이면 true다." } }),
    call("reluBackward", [[[1, -0.5], [-2, 3]], [[10, 20], [30, 40]]], [[10, 0], [0, 40]], {
      hint: {
        en: "Let dout through where the forward input was positive; send 0 elsewhere.",
        ko: "순전파의 입력이 양수였던 곳으로는 dout을 그대로 흘려보내고, 나머지 곳으로는 0을 보낸다.",
      },
    }),
    call("reluBackward", [[[0, 0.1]], [[5, 5]]], [[0, 5]], {
      hint: {
        en: "At x = 0 ReLU is taken as flat: the gradient is 0 there.",
        ko: "x = 0에서는 ReLU가 평평하다고 본다: 그곳의 기울기는 0이다.",
      },
    }),
    throwsCase(call, "reluBackward", [[[1, 2]], [[1, 2, 3]]], [2, 3], {
      hint: {
        en: "dout must have the shape of x: name both shapes in the Error.",
        ko: "dout은 x와 형상이 같아야 한다: Error 메시지에 두 형상을 모두 적는다.",
      },
    }),
    call("reluMask", [[[0, -0]]], [[false, false]], { hidden: true }),
    call("reluMask", [[[1e-300], [-1e-300]]], [[true], [false]], { hidden: true }),
    call("reluBackward", [[[-1, -2, -3]], [[1, 2, 3]]], [[0, 0, 0]], { hidden: true }),
    call("reluBackward", [[[2, 3, 4]], [[-1, 0.5, 7]]], [[-1, 0.5, 7]], { hidden: true, hint: { en: "dout may be negative: pass it through unchanged.", ko: "dout은 음수일 수도 있다: 바꾸지 말고 그대로 흘려보낸다." } }),
    call("reluBackward", [[[1], [-1], [2]], [[9], [9], [-9]]], [[9], [0], [-9]], { hidden: true }),
    throwsCase(call, "reluBackward", [[[1, 2], [3, 4]], [[1, 2]]], [1, 2], { hidden: true, hint: { en: "A different number of rows is a shape mismatch too.", ko: "행 수가 달라도 형상이 맞지 않는 것이다." } }),
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
  title: { en: "Counting dead ReLU units", ko: "죽은 ReLU 뉴런 세기" },
  points: 3,
  cases: (call) => [
    call("countDeadUnits", [[[0, 1, 0], [0, 2, 0.5]]], 1, {
      hint: {
        en: "A unit is a column: column 0 is 0 in every row, column 2 is not.",
        ko: "뉴런 하나가 열 하나다: 열 0은 모든 행에서 0이지만 열 2는 그렇지 않다.",
      },
    }),
    call("countDeadUnits", [[[0, 0], [0, 0]]], 2),
    call("countDeadUnits", [[[3, 1], [0, 0], [0, 2]]], 0, {
      hint: {
        en: "One positive output anywhere in the column keeps the unit alive.",
        ko: "열 어딘가에 양수 출력이 하나라도 있으면 그 뉴런은 살아 있다.",
      },
    }),
    call("countDeadUnits", [[[0, 0, 0, 0]]], 4, { hidden: true }),
    call("countDeadUnits", [[[0.1], [0], [0]]], 0, { hidden: true }),
    call("countDeadUnits", [[[0, 5, 0, 0, 1], [0, 0, 0, 3, 0], [0, 0, 0, 0, 0]]], 2, { hidden: true, hint: { en: "Check every row, not just the first.", ko: "첫 번째 행만이 아니라 모든 행을 확인한다." } }),
    call("countDeadUnits", [[[1, 2, 3]]], 0, { hidden: true }),
  ],
});
