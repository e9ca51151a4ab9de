/**
 * Exercises of lesson 05 ("Numerical gradient vs backpropagation", Saito ch. 4–5): the numerical
 * gradient by central differences, the backward passes of the Affine and Sigmoid layers, and a
 * layer of the student's own (tanh) whose backward is gradient-checked by the cases.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { defineExercise, type CaseOptions } from "./cases";
import { throwsCase } from "./tensor-throws-cases";
import { implCase, rounded } from "./impl-cases";

const LESSON = "05-numerical-gradient";

type Fn = (x: number[]) => number;

/** ∂f/∂xᵢ by central differences, as a yardstick for the cases (h = 1e-5, another h than the student's). */
function centralGradient(f: Fn, x: number[], h = 1e-5): number[] {
  return x.map((_, i) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[i] += h;
    minus[i] -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

// ---------------------------------------------------------------------------------------------

/** The numerical gradient, written by the student. */
export interface NumericalGradientFunctions {
  /**
   * [∂f/∂x₀, ∂f/∂x₁, …] at x by central differences (f(x + h) − f(x − h)) / 2h with h = 1e-4,
   * nudging one coordinate at a time. f receives the whole array; x must be left as it was.
   */
  myNumericalGradient(f: (x: number[]) => number, x: number[]): number[];
}

export const numericalGradientExercise = defineExercise<NumericalGradientFunctions>({
  id: "numerical-gradient",
  lesson: LESSON,
  title: { en: "The numerical gradient", ko: "수치 미분으로 구하는 기울기" },
  points: 4,
  cases: (call) => {
    const id = "numerical-gradient";
    const sumSq: Fn = (x) => x.reduce((s, v) => s + v * v, 0);
    /** The gradient rounded to 6 decimals: central differences get these digits right, forward ones do not. */
    const grad = (label: string, f: Fn, x: number[], options: CaseOptions = {}) =>
      implCase(call, id, ["myNumericalGradient"], `myNumericalGradient(${label}, [${x.join(", ")}])`,
        (impl) => rounded(impl.myNumericalGradient(f, x.slice()), 6), rounded(centralGradient(f, x), 6), options);
    return [
      grad("x => x[0]**2 + x[1]**2", sumSq, [3, 4], {
        hint: {
          en: "∂f/∂x₀ = 2·x₀ = 6. Use the central difference (f(x+h) − f(x−h)) / 2h with h = 1e-4; the forward one is off by h.",
          ko: "∂f/∂x₀ = 2·x₀ = 6이다. h = 1e-4로 중심 차분 (f(x+h) − f(x−h)) / 2h를 쓴다. 전방 차분은 h 정도 어긋난다.",
        },
      }),
      grad("x => x[0]**2 + x[1]**2", sumSq, [0, 2]),
      grad("x => x[0]**2 + x[1]**2", sumSq, [3, 0]),
      grad("x => x[0] * x[1]", (x) => x[0] * x[1], [2, 5], {
        hint: {
          en: "Change one coordinate at a time, keeping the others as they are.",
          ko: "좌표를 한 번에 하나씩 바꾸고, 나머지 좌표는 그대로 둔다.",
        },
      }),
      implCase(call, id, ["myNumericalGradient"], {
        en: "x after myNumericalGradient(x => x[0]**2 + x[1]**2, x = [3, 4])",
        ko: "myNumericalGradient(x => x[0]**2 + x[1]**2, x = [3, 4])를 호출한 뒤의 x",
      }, (impl) => {
        const x = [3, 4];
        impl.myNumericalGradient(sumSq, x);
        return x;
      }, [3, 4], {
        hint: {
          en: "Save xᵢ before nudging it and put the saved value back: adding h then subtracting it again need not give xᵢ exactly.",
          ko: "xᵢ를 움직이기 전에 값을 저장해 두었다가 그 값으로 되돌린다. h를 더했다가 다시 빼도 정확히 xᵢ로 돌아온다는 보장은 없다.",
        },
      }),
      grad("x => x[0]**3", (x) => x[0] ** 3, [1], { hidden: true, hint: { en: "With h = 1e-4 the central difference of x³ is off by only h² = 1e-8.", ko: "h = 1e-4이면 x³의 중심 차분은 h² = 1e-8 정도만 어긋난다." } }),
      grad("x => Math.sin(x[0]) * x[1] + x[2]", (x) => Math.sin(x[0]) * x[1] + x[2], [0.5, 2, -1], { hidden: true }),
      grad("x => Math.exp(x[0] - x[1])", (x) => Math.exp(x[0] - x[1]), [0.3, 0.1], { hidden: true }),
      grad("x => 0.01 * x[0]**2 + 0.1 * x[0]", (x) => 0.01 * x[0] ** 2 + 0.1 * x[0], [10], { hidden: true }),
      grad("x => x.reduce((s, v) => s + v * v, 0)", sumSq, [1, -2, 3, -4, 0.5], { hidden: true }),
      grad("x => 7", () => 7, [1, 2, 3], { hidden: true }),
    ];
  },
});

// ---------------------------------------------------------------------------------------------

type M = number[][];

/** xᵀ, A·B and column sums by plain loops: the reference the student's result is compared with. */
const transpose = (a: M): M => a[0].map((_, j) => a.map((row) => row[j]));
const dot = (a: M, b: M): M => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const columnSums = (a: M): number[] => a[0].map((_, j) => a.reduce((s, row) => s + row[j], 0));

/** The backward pass of y = x·W + b. */
export interface AffineBackwardFunctions {
  /**
   * For a batch x (N×in), weights W (in×out) and dout = ∂L/∂y (N×out):
   * dx = dout·Wᵀ (N×in), dW = xᵀ·dout (in×out), db = the column sums of dout (out).
   */
  affineBackward(x: M, W: M, dout: M): { dx: M; dW: M; db: number[] };
}

function affineExpected(x: M, W: M, dout: M): { dx: M; dW: M; db: number[] } {
  return { dx: dot(dout, transpose(W)), dW: dot(transpose(x), dout), db: columnSums(dout) };
}

/** A rows×cols matrix of small numbers that vary (seeded, so the cases never change). */
function numbers(rows: number, cols: number, seed: number): M {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.round(((s / 2147483648) * 4 - 2) * 100) / 100;
  };
  return Array.from({ length: rows }, () => Array.from({ length: cols }, next));
}

export const affineBackwardExercise = defineExercise<AffineBackwardFunctions>({
  id: "affine-backward",
  lesson: LESSON,
  title: { en: "The Affine layer's backward pass", ko: "Affine 계층의 역전파" },
  points: 4,
  cases: (call) => {
    const c = (x: M, W: M, dout: M, options: CaseOptions = {}) => call("affineBackward", [x, W, dout], affineExpected(x, W, dout), options);
    const W23 = [[1, 0, -1], [2, 1, 0]];
    return [
      c([[1, 2]], W23, [[1, 1, 1]], {
        hint: {
          en: "dx = dout·Wᵀ: row i of dx is Σⱼ dout[i][j]·W[k][j] for each input k.",
          ko: "dx = dout·Wᵀ: dx의 i행은 입력 k마다 Σⱼ dout[i][j]·W[k][j]이다.",
        },
      }),
      c([[1, 2], [3, 4]], W23, [[1, 0, 0], [0, 0, 2]], {
        hint: {
          en: "dW = xᵀ·dout sums over the batch: dW[k][j] = Σᵢ x[i][k]·dout[i][j]. db sums dout over the rows.",
          ko: "dW = xᵀ·dout은 배치 전체에 걸친 합이다: dW[k][j] = Σᵢ x[i][k]·dout[i][j]. db는 dout의 모든 행을 더한 것이다.",
        },
      }),
      c([[0.5, -1, 2]], [[1], [2], [3]], [[2]], {
        hint: {
          en: "Check the shapes: dx is like x (N×in), dW like W (in×out), db has one number per output.",
          ko: "형상을 확인한다: dx는 x와 같고(N×in), dW는 W와 같으며(in×out), db는 출력마다 숫자가 하나다.",
        },
      }),
      c(numbers(3, 4, 1), numbers(4, 2, 2), numbers(3, 2, 3), { hidden: true }),
      c(numbers(5, 3, 4), numbers(3, 3, 5), numbers(5, 3, 6), { hidden: true }),
      c(numbers(1, 1, 7), numbers(1, 1, 8), numbers(1, 1, 9), { hidden: true }),
      c(numbers(2, 6, 10), numbers(6, 1, 11), numbers(2, 1, 12), { hidden: true }),
      c([[0, 0], [0, 0]], W23, [[1, 2, 3], [4, 5, 6]], { hidden: true, hint: { en: "x = 0 gives dW = 0, but db still sums dout.", ko: "x = 0이면 dW = 0이지만, db는 여전히 dout의 합이다." } }),
    ];
  },
});

// ---------------------------------------------------------------------------------------------

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** The sigmoid layer, written by the student. */
export interface SigmoidBackwardFunctions {
  /** σ of every entry. */
  sigmoidForward(x: number[]): number[];
  /** ∂L/∂x from the forward *output* out = σ(x): dout · out · (1 − out), entry by entry. */
  sigmoidBackward(out: number[], dout: number[]): number[];
}

export const sigmoidBackwardExercise = defineExercise<SigmoidBackwardFunctions>({
  id: "sigmoid-backward",
  lesson: LESSON,
  title: { en: "The Sigmoid layer's backward pass", ko: "Sigmoid 계층의 역전파" },
  points: 3,
  cases: (call) => {
    const id = "sigmoid-backward";
    /** backward(forward(x), dout) against a numerical gradient of L = Σ doutᵢ·σ(xᵢ). */
    const chained = (x: number[], dout: number[], options: CaseOptions = {}) =>
      implCase(call, id, ["sigmoidForward", "sigmoidBackward"],
        `sigmoidBackward(sigmoidForward([${x.join(", ")}]), [${dout.join(", ")}])`,
        (impl) => impl.sigmoidBackward(impl.sigmoidForward(x.slice()), dout.slice()),
        centralGradient((v) => v.reduce((s, vi, i) => s + dout[i] * sigmoid(vi), 0), x), { tolerance: 1e-7, ...options });
    return [
      call("sigmoidForward", [[0, 2]], [0.5, sigmoid(2)], {
        hint: {
          en: "σ(x) = 1 / (1 + e^(−x)), entry by entry.",
          ko: "원소마다 σ(x) = 1 / (1 + e^(−x))를 계산한다.",
        },
      }),
      call("sigmoidBackward", [[0.5], [1]], [0.25], { hint: { en: "out = 0.5: 1 · 0.5 · (1 − 0.5).", ko: "out = 0.5이므로 1 · 0.5 · (1 − 0.5)이다." } }),
      call("sigmoidBackward", [[0.5, 0.9], [2, 1]], [0.5, 0.9 * (1 - 0.9)], {
        hint: {
          en: "The backward takes the forward's output, not its input: dout · out · (1 − out).",
          ko: "역전파는 순전파의 입력이 아니라 출력을 받는다: dout · out · (1 − out).",
        },
      }),
      chained([-1, 0, 3], [1, 1, 1], {
        hint: {
          en: "A gradient check: your backward must match the numerical gradient of Σ dout·σ(x).",
          ko: "기울기 확인이다: 역전파 결과가 Σ dout·σ(x)를 수치 미분해 구한 기울기와 일치해야 한다.",
        },
      }),
      call("sigmoidBackward", [[0.2, 0.7, 0.99], [1, -3, 10]], [0.2 * 0.8, -3 * 0.7 * 0.3, 10 * 0.99 * (1 - 0.99)], { hidden: true }),
      call("sigmoidForward", [[-1, 0.25, 40]], [sigmoid(-1), sigmoid(0.25), sigmoid(40)], { hidden: true }),
      call("sigmoidBackward", [[0.5, 0.5], [0, -4]], [0, -1], { hidden: true }),
      chained([0.5, -2.5, 1.25, -0.1], [2, -1, 0.5, 3], { hidden: true }),
      chained([6], [-2], { hidden: true }),
    ];
  },
});

// ---------------------------------------------------------------------------------------------

/** A layer of the student's own: tanh, checked against the numerical gradient. */
export interface TanhLayerFunctions {
  /** tanh of every entry (Math.tanh). */
  tanhForward(x: number[]): number[];
  /** ∂L/∂x from the forward output out = tanh(x) and dout = ∂L/∂out. */
  tanhBackward(out: number[], dout: number[]): number[];
}

export const tanhLayerExercise = defineExercise<TanhLayerFunctions>({
  id: "tanh-gradient-check",
  lesson: LESSON,
  title: { en: "A tanh layer of your own, gradient-checked", ko: "직접 만든 tanh 계층의 기울기 확인" },
  points: 4,
  cases: (call) => {
    const id = "tanh-gradient-check";
    /** The case is a gradient check: backward(forward(x), dout) vs the numerical gradient of Σ doutᵢ·tanh(xᵢ). */
    const check = (x: number[], dout: number[], options: CaseOptions = {}) =>
      implCase(call, id, ["tanhForward", "tanhBackward"],
        `tanhBackward(tanhForward([${x.join(", ")}]), [${dout.join(", ")}])`,
        (impl) => impl.tanhBackward(impl.tanhForward(x.slice()), dout.slice()),
        centralGradient((v) => v.reduce((s, vi, i) => s + dout[i] * Math.tanh(vi), 0), x), { tolerance: 1e-7, ...options });
    return [
      call("tanhForward", [[0, 1, -1]], [0, Math.tanh(1), Math.tanh(-1)]),
      check([0], [1], { hint: { en: "tanh'(0) = 1: the slope of tanh at the origin.", ko: "tanh'(0) = 1: 원점에서 tanh의 기울기다." } }),
      check([0.5, -1, 2], [1, 1, 1], {
        hint: {
          en: "d tanh(x)/dx = 1 − tanh(x)²: use the forward output out, as Sigmoid does.",
          ko: "d tanh(x)/dx = 1 − tanh(x)²: Sigmoid 계층처럼 순전파의 출력 out을 쓴다.",
        },
      }),
      check([0.5, -1, 2], [3, -2, 0.5], { hint: { en: "Multiply by dout: the chain rule.", ko: "dout을 곱한다: 연쇄 법칙이다." } }),
      check([1.5, -0.3, 0.05, -4], [1, 2, 3, 4], { hidden: true }),
      check([10], [1], { hidden: true }),
      check([-0.75, 0.75], [-1, -1], { hidden: true }),
      call("tanhForward", [[20, -0.5]], [Math.tanh(20), Math.tanh(-0.5)], { hidden: true }),
    ];
  },
});
