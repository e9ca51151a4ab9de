/**
 * Exercises of lesson 04-gradient-based-optimization ("Gradient-based optimization", Chollet 2nd ed.
 * §2.4): the gradient of a mean squared error with respect to the weights of a linear model, and the
 * backward pass through the book's small computation graph, worked by hand.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { defineExercise } from "./cases";

const LESSON = "04-gradient-based-optimization";

/** Central difference of `f` along each coordinate of `w`: the hidden cases' independent reference. */
function numericalGradient(f: (w: number[]) => number, w: number[], h = 1e-4): number[] {
  return w.map((_, i) => {
    const plus = w.slice(), minus = w.slice();
    plus[i] += h;
    minus[i] -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/** mean over samples of (x_i · w − y_i)², computed directly (no gradient formula). */
function meanSquaredError(x: number[][], y: number[], w: number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    let prediction = 0;
    for (let j = 0; j < w.length; j++) prediction += x[i][j] * w[j];
    sum += (prediction - y[i]) ** 2;
  }
  return sum / x.length;
}

/** The gradient of a linear model's loss (Chollet §2.4.2). */
export interface LinearGradientFunctions {
  /**
   * For a batch `x` (one row per sample), targets `y` and weights `w`: the gradient with respect to
   * `w` of loss(w) = mean over samples i of (dot(x[i], w) − y[i])² — one number per weight.
   */
  mseGradient(x: number[][], y: number[], w: number[]): number[];
}

export const linearGradientExercise = defineExercise<LinearGradientFunctions>({
  id: "linear-gradient",
  lesson: LESSON,
  title: { en: "The gradient of a linear model's mean squared error", ko: "선형 모델의 평균 제곱 오차에 대한 그레이디언트" },
  points: 3,
  cases: (call) => {
    // quadratic loss: the central difference is exact up to rounding, so 1e-6 is plenty
    const tolerance = 1e-6;
    const hidden = (x: number[][], y: number[], w: number[]) =>
      call("mseGradient", [x, y, w], numericalGradient((v) => meanSquaredError(x, y, v), w), { hidden: true, tolerance });
    return [
      call("mseGradient", [[[1, 2]], [5], [1, 1]], [-4, -8], {
        tolerance,
        hint: {
          en: "One sample: the prediction 1·1 + 2·1 = 3 misses 5 by −2; the gradient is 2·(−2)·x = [−4, −8].",
          ko: "샘플이 하나입니다: 예측 1·1 + 2·1 = 3은 5와 −2만큼 차이 나므로 그레이디언트는 2·(−2)·x = [−4, −8]입니다.",
        },
      }),
      call("mseGradient", [[[1, 0], [0, 1]], [1, 2], [1, 2]], [0, 0], {
        tolerance,
        hint: {
          en: "Every prediction is exact: the loss is at its minimum, where the gradient is 0.",
          ko: "모든 예측이 정확합니다: 손실이 최솟값에 있고, 그곳에서 그레이디언트는 0입니다.",
        },
      }),
      call("mseGradient", [[[1, 0], [0, 1]], [0, 0], [1, 1]], [1, 1], {
        tolerance,
        hint: {
          en: "Average over the samples: each sample adds 2·(error)·x[i] / N, and N = 2 here.",
          ko: "샘플에 대해 평균을 냅니다: 샘플마다 2·(오차)·x[i] / N을 더하며, 여기서는 N = 2입니다.",
        },
      }),
      call("mseGradient", [[[2], [-1], [3]], [1, 1, 1], [0]], [-8 / 3], {
        tolerance,
        hint: {
          en: "With w = 0 every error is −y[i]: (2·(−1)·2 + 2·(−1)·(−1) + 2·(−1)·3) / 3.",
          ko: "w = 0이면 모든 오차가 −y[i]입니다: (2·(−1)·2 + 2·(−1)·(−1) + 2·(−1)·3) / 3.",
        },
      }),
      hidden([[0.5, -1.5, 2], [1, 1, 1], [-2, 0.3, 0.7], [4, -1, 0]], [1, -2, 0.5, 3], [0.2, -0.4, 1.1]),
      hidden([[3, 1], [1, 3]], [4, 4], [1, 1]),
      hidden([[1, 2, 3, 4]], [-10], [0.1, 0.2, 0.3, 0.4]),
      hidden([[-1, 2], [2, -1], [0.5, 0.5], [10, -10], [0, 1]], [0.3, -0.7, 1, 2, -1], [-0.25, 0.75]),
    ];
  },
});

/** The backward pass through the book's computation graph (Chollet 2nd ed. §2.4.4). */
export interface GraphBackwardFunctions {
  /**
   * The graph x1 = x·w, x2 = x1 + b, loss = |yTrue − x2|: the loss and the gradients of the loss
   * with respect to w and b, by the chain rule through the graph (grad(loss, x2) = ±1).
   */
  absLossBackward(x: number, w: number, b: number, yTrue: number): { loss: number; gradW: number; gradB: number };
}

export const graphBackwardExercise = defineExercise<GraphBackwardFunctions>({
  id: "graph-backward",
  lesson: LESSON,
  title: { en: "Backpropagation through a computation graph", ko: "계산 그래프를 거슬러 가는 역전파" },
  points: 3,
  cases: (call) => {
    const tolerance = 1e-9;
    /** Hidden cases: the loss computed directly and its gradient by central differences. */
    const hidden = (x: number, w: number, b: number, yTrue: number) => {
      const loss = (v: number[]) => Math.abs(yTrue - (x * v[0] + v[1]));
      const [gradW, gradB] = numericalGradient(loss, [w, b], 1e-6);
      // |·| is linear on each side of its kink; the cases stay far from it, so rounding is the only error
      return call("absLossBackward", [x, w, b, yTrue], { loss: loss([w, b]), gradW, gradB }, { hidden: true, tolerance: 1e-6 });
    };
    return [
      call("absLossBackward", [2, 3, 1, 4], { loss: 3, gradW: 2, gradB: 1 }, {
        tolerance,
        hint: {
          en: "The book's graph: x1 = 6, x2 = 7, loss = |4 − 7| = 3; grad(loss, x2) = 1, grad(x2, x1) = 1, grad(x1, w) = x = 2.",
          ko: "책의 그래프입니다: x1 = 6, x2 = 7, loss = |4 − 7| = 3이고, grad(loss, x2) = 1, grad(x2, x1) = 1, grad(x1, w) = x = 2입니다.",
        },
      }),
      call("absLossBackward", [2, 1, 0, 5], { loss: 3, gradW: -2, gradB: -1 }, {
        tolerance,
        hint: {
          en: "Here x2 = 2 is below yTrue = 5: raising x2 lowers the loss, so grad(loss, x2) = −1.",
          ko: "여기서는 x2 = 2가 yTrue = 5보다 작습니다: x2를 키우면 손실이 줄어들므로 grad(loss, x2) = −1입니다.",
        },
      }),
      call("absLossBackward", [-3, 2, 1, 0], { loss: 5, gradW: 3, gradB: -1 }, {
        tolerance,
        hint: {
          en: "x2 = −5 is below 0, so grad(loss, x2) = −1; grad(x1, w) is x itself, −3: gradW = (−1)·(−3) = 3.",
          ko: "x2 = −5가 0보다 작으므로 grad(loss, x2) = −1입니다. grad(x1, w)는 x 자신인 −3이므로 gradW = (−1)·(−3) = 3입니다.",
        },
      }),
      hidden(0.5, -1.2, 0.3, 2),
      hidden(-1.5, 0.8, 4, -2),
      hidden(10, 0.1, -0.5, 0.25),
      hidden(-0.2, -7, 3, 3.5),
    ];
  },
});
