/**
 * Exercises of lesson 08 ("Losses, optimizers and the training loop": the lecture notes on model
 * anatomy, Chollet §2.4–2.5): the Momentum and RMSprop updates of lesson 06 (Saito §6.1) written by hand, the
 * arithmetic of `fit(x, y, { epochs, batchSize })`, and choosing the loss for a problem.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { defineExercise } from "./cases";
import { Momentum, RMSprop } from "../network/optimizers";

const LESSON = "08-training-loop";

/** Runs one step of a kit optimizer on copies of plain arrays (the hidden cases' reference). */
function kitStep(optimizer: Momentum | RMSprop, param: number[], grad: number[], state: number[]): { param: number[]; state: number[] } {
  const p = Float64Array.from(param);
  const s = Float64Array.from(state);
  if (optimizer instanceof Momentum) optimizer.v.w = s;
  else optimizer.h.w = s;
  optimizer.update({ w: p }, { w: Float64Array.from(grad) });
  return { param: Array.from(p), state: Array.from(s) };
}

/** One Momentum step (Saito §6.1.4). */
export interface MomentumStepFunctions {
  /**
   * v ← momentum·v − lr·grad, then param ← param + v, element by element.
   * Returns the new `param` and `v` (new arrays).
   */
  momentumStep(param: number[], grad: number[], v: number[], lr: number, momentum: number): { param: number[]; v: number[] };
}

export const momentumStepExercise = defineExercise<MomentumStepFunctions>({
  id: "momentum-update",
  lesson: LESSON,
  title: { en: "The Momentum update", ko: "모멘텀 업데이트" },
  points: 3,
  cases: (call) => {
    const hidden = (param: number[], grad: number[], v: number[], lr: number, momentum: number) => {
      const r = kitStep(new Momentum(lr, momentum), param, grad, v);
      return call("momentumStep", [param, grad, v, lr, momentum], { param: r.param, v: r.state }, { hidden: true });
    };
    return [
      call("momentumStep", [[1, 2], [0.5, -1], [0, 0], 0.1, 0.9], { param: [0.95, 2.1], v: [-0.05, 0.1] }, {
        hint: {
          en: "From rest (v = 0) the first step is plain SGD: v = −0.1·[0.5, −1] = [−0.05, 0.1], and param + v.",
          ko: "멈춰 있는 상태(v = 0)에서 시작하면 첫 스텝은 평범한 SGD와 같습니다: v = −0.1·[0.5, −1] = [−0.05, 0.1]이고, 그다음 param + v입니다.",
        },
      }),
      call("momentumStep", [[0.95, 2.1], [0.5, -1], [-0.05, 0.1], 0.1, 0.9], { param: [0.855, 2.29], v: [-0.095, 0.19] }, {
        hint: {
          en: "The ball keeps rolling: v = 0.9·(−0.05) − 0.1·0.5 = −0.095, so the step grows.",
          ko: "공이 계속 굴러갑니다: v = 0.9·(−0.05) − 0.1·0.5 = −0.095이므로 스텝이 커집니다.",
        },
      }),
      call("momentumStep", [[3], [0], [0.5], 0.1, 0.9], { param: [3.45], v: [0.45] }, {
        hint: {
          en: "With a zero gradient the velocity only decays (0.9·0.5 = 0.45) — and the parameter still moves.",
          ko: "그레이디언트가 0이면 속도는 줄어들기만 하지만(0.9·0.5 = 0.45) 파라미터는 여전히 움직입니다.",
        },
      }),
      call("momentumStep", [[1, -1], [2, 2], [1, 1], 0.5, 0], { param: [0, -2], v: [-1, -1] }, {
        hint: {
          en: "momentum = 0 forgets the old velocity: the step is plain SGD, −lr·grad.",
          ko: "momentum = 0이면 이전 속도를 잊습니다: 스텝은 평범한 SGD의 −lr·grad입니다.",
        },
      }),
      hidden([-7, 2], [-0.7, 4], [0, 0], 0.1, 0.9),
      hidden([-6.93, 1.6], [-0.693, 3.2], [0.07, -0.4], 0.1, 0.9),
      hidden([0.25, -0.5, 4, 0], [1e-3, -2, 0.5, 0], [0.3, 0.3, -0.3, 0], 0.01, 0.95),
      hidden([10], [-3], [-2], 0.2, 0.5),
    ];
  },
});

/** One RMSprop step. */
export interface RmspropStepFunctions {
  /**
   * h ← ρ·h + (1 − ρ)·grad², then param ← param − lr·grad / (√h + 1e-7), element by element
   * (ρ = decayRate). Returns the new `param` and `h` (new arrays).
   */
  rmspropStep(param: number[], grad: number[], h: number[], lr: number, decayRate: number): { param: number[]; h: number[] };
}

export const rmspropStepExercise = defineExercise<RmspropStepFunctions>({
  id: "rmsprop-update",
  lesson: LESSON,
  title: { en: "The RMSprop update", ko: "RMSprop 업데이트" },
  points: 3,
  cases: (call) => {
    // √h + 1e-7 in the denominator: 1e-6 relative tolerance accepts a solution without the 1e-7 too.
    const tolerance = 1e-6;
    const hidden = (param: number[], grad: number[], h: number[], lr: number, rho: number) => {
      const r = kitStep(new RMSprop(lr, rho), param, grad, h);
      return call("rmspropStep", [param, grad, h, lr, rho], { param: r.param, h: r.state }, { hidden: true, tolerance });
    };
    return [
      call("rmspropStep", [[1], [2], [0], 0.01, 0.99], { param: [0.9], h: [0.04] }, {
        tolerance,
        hint: {
          en: "h = 0.99·0 + 0.01·2² = 0.04, √h = 0.2, step = 0.01·2 / 0.2 = 0.1.",
          ko: "h = 0.99·0 + 0.01·2² = 0.04, √h = 0.2이므로 스텝은 0.01·2 / 0.2 = 0.1입니다.",
        },
      }),
      call("rmspropStep", [[1, 1], [2, 0.2], [0, 0], 0.01, 0.99], { param: [0.9, 0.9], h: [0.04, 0.0004] }, {
        tolerance,
        hint: {
          en: "Dividing by √h makes the step the same size for a big and a small gradient: both move by 0.1.",
          ko: "√h로 나누면 그레이디언트가 크든 작든 스텝의 크기가 같아집니다: 둘 다 0.1만큼 움직입니다.",
        },
      }),
      call("rmspropStep", [[0], [1], [3], 0.1, 0.5], { param: [-0.1 / Math.sqrt(2)], h: [2] }, {
        tolerance,
        hint: {
          en: "h = 0.5·3 + 0.5·1² = 2: old squared gradients fade with ρ, unlike AdaGrad's sum.",
          ko: "h = 0.5·3 + 0.5·1² = 2: AdaGrad의 합과 달리 지난 그레이디언트의 제곱은 ρ에 따라 점점 잊힙니다.",
        },
      }),
      call("rmspropStep", [[5, -5], [-4, 4], [16, 16], 0.5, 0.9], { param: [5.5, -5.5], h: [16, 16] }, {
        tolerance,
        hint: { en: "A negative gradient moves the parameter up: param − lr·grad / √h.", ko: "그레이디언트가 음수이면 파라미터가 커집니다: param − lr·grad / √h." },
      }),
      hidden([-7, 2], [-0.7, 4], [0, 0], 0.1, 0.99),
      hidden([0.3, -0.2, 1.5], [0.01, -0.5, 2], [0.001, 0.2, 1], 0.001, 0.9),
      hidden([2], [-3], [9], 0.05, 0.99),
    ];
  },
});

/** The arithmetic of `model.fit(x, y, { epochs, batchSize })`. */
export interface FitBudgetFunctions {
  /**
   * For `samples` samples in batches of `batchSize` over `epochs` epochs: the steps (batches) per
   * epoch, the size of the last batch, and the total number of gradient updates.
   */
  fitBudget(samples: number, batchSize: number, epochs: number): { steps: number; lastBatch: number; updates: number };
  /** The fewest whole epochs that give at least `updates` gradient updates. */
  epochsFor(samples: number, batchSize: number, updates: number): number;
}

export const fitBudgetExercise = defineExercise<FitBudgetFunctions>({
  id: "fit-budget",
  lesson: LESSON,
  title: { en: "Steps, the last batch and updates of fit", ko: "fit의 스텝 수, 마지막 배치, 업데이트 횟수" },
  points: 3,
  cases: (call) => [
    call("fitBudget", [60000, 128, 2], { steps: 469, lastBatch: 96, updates: 938 }, {
      hint: {
        en: "⌈60000 / 128⌉ = 469 steps; 468 full batches hold 59,904 samples, 96 are left for the last one.",
        ko: "⌈60000 / 128⌉ = 469스텝입니다. 꽉 찬 배치 468개에 샘플 59,904개가 들어가고, 마지막 배치에는 96개가 남습니다.",
      },
    }),
    call("fitBudget", [1000, 10, 100], { steps: 100, lastBatch: 10, updates: 10000 }, {
      hint: {
        en: "fit(X, Y, epochs=100, batch_size=10) on 1,000 samples: 100 steps per epoch, every batch full.",
        ko: "샘플 1,000개로 fit(X, Y, epochs=100, batch_size=10)을 실행하면 에포크당 100스텝이고, 모든 배치가 꽉 찹니다.",
      },
    }),
    call("fitBudget", [300, 128, 1], { steps: 3, lastBatch: 44, updates: 3 }),
    call("epochsFor", [60000, 128, 2000], 5, {
      hint: {
        en: "4 epochs make 1,876 updates — not enough; the 5th reaches 2,345.",
        ko: "4 에포크로는 업데이트가 1,876번이라 모자랍니다. 다섯 번째 에포크에서 2,345번이 됩니다.",
      },
    }),
    call("epochsFor", [3000, 100, 600], 20, { hint: { en: "30 steps per epoch: exactly 20 epochs.", ko: "에포크당 30스텝이므로 정확히 20 에포크입니다." } }),
    call("fitBudget", [50, 64, 3], { steps: 1, lastBatch: 50, updates: 3 }, { hidden: true, hint: { en: "A batch larger than the data holds all of it.", ko: "데이터보다 큰 배치에는 데이터 전체가 들어갑니다." } }),
    call("fitBudget", [10000, 32, 5], { steps: 313, lastBatch: 16, updates: 1565 }, { hidden: true }),
    call("fitBudget", [256, 256, 10], { steps: 1, lastBatch: 256, updates: 10 }, { hidden: true }),
    call("epochsFor", [300, 100, 601], 201, { hidden: true }),
    call("epochsFor", [60000, 100, 600], 1, { hidden: true }),
    call("epochsFor", [1000, 10, 1], 1, { hidden: true }),
  ],
});

/** What a model is asked to predict, as far as choosing the loss goes. */
export interface Problem {
  /** "class": one of a fixed set of categories; "number": a quantity (regression); "sequence": a sequence of symbols (speech → text). */
  target: "class" | "number" | "sequence";
  /** For "class": the number of classes. */
  classes?: number;
  /** For "class": several classes can be true at once (tags of a photo). */
  multiLabel?: boolean;
  /** For "class" with more than two classes: labels as integers (3) or one-hot vectors ([0, 0, 0, 1, …]). */
  labels?: "integer" | "one-hot";
  /** For "number": errors matter relative to the target (10 off of 1,000 is as good as 1 off of 100). */
  relative?: boolean;
  /** For "number": some targets are wild outliers that should not dominate the loss. */
  outliers?: boolean;
}

export type LossName =
  | "binaryCrossentropy"
  | "categoricalCrossentropy"
  | "sparseCategoricalCrossentropy"
  | "meanSquaredError"
  | "meanAbsoluteError"
  | "meanAbsolutePercentageError"
  | "ctc";

export interface ChooseLossFunctions {
  /** The loss of the lecture notes' list for this problem. */
  lossFor(problem: Problem): LossName;
}

export const chooseLossExercise = defineExercise<ChooseLossFunctions>({
  id: "choose-loss",
  lesson: LESSON,
  title: { en: "Choosing the loss", ko: "손실 함수 고르기" },
  points: 3,
  cases: (call) => [
    call("lossFor", [{ target: "class", classes: 2 }], "binaryCrossentropy", {
      hint: {
        en: "Spam or not spam: two classes, one probability per email — binary crossentropy.",
        ko: "스팸인지 아닌지: 클래스가 두 개이고 이메일마다 확률이 하나이므로 이진 크로스엔트로피입니다.",
      },
    }),
    call("lossFor", [{ target: "class", classes: 10, labels: "integer" }], "sparseCategoricalCrossentropy", {
      hint: { en: "MNIST as in lesson 01: ten classes, integer labels 0–9.", ko: "레슨 01의 MNIST처럼 클래스가 10개이고 라벨은 정수 0–9입니다." },
    }),
    call("lossFor", [{ target: "class", classes: 10, labels: "one-hot" }], "categoricalCrossentropy", {
      hint: { en: "The same ten classes with one-hot labels: categorical crossentropy.", ko: "같은 클래스 10개를 원-핫 라벨로 나타내면 범주형 크로스엔트로피입니다." },
    }),
    call("lossFor", [{ target: "number" }], "meanSquaredError", {
      hint: {
        en: "A house price: regression, mean squared error by default.",
        ko: "집값은 회귀 문제이므로 기본으로 평균 제곱 오차를 씁니다.",
      },
    }),
    call("lossFor", [{ target: "number", outliers: true }], "meanAbsoluteError", {
      hint: {
        en: "Squaring makes a few huge errors dominate; the absolute error weighs them linearly.",
        ko: "제곱하면 아주 큰 오차 몇 개가 손실을 좌우합니다. 절댓값 오차는 오차를 크기에 비례해서만 반영합니다.",
      },
    }),
    call("lossFor", [{ target: "sequence" }], "ctc", {
      hint: {
        en: "Speech to text: a sequence of symbols of unknown alignment — CTC.",
        ko: "음성을 텍스트로 바꾸는 문제: 정렬을 모르는 기호의 시퀀스이므로 CTC입니다.",
      },
    }),
    call("lossFor", [{ target: "number", relative: true }], "meanAbsolutePercentageError", { hidden: true }),
    call("lossFor", [{ target: "class", classes: 5, multiLabel: true }], "binaryCrossentropy", { hidden: true, hint: { en: "Several tags at once: each tag is its own yes/no question.", ko: "태그 여러 개가 동시에 붙는 문제: 태그마다 따로 예/아니요를 묻는 것입니다." } }),
    call("lossFor", [{ target: "class", classes: 3, labels: "one-hot" }], "categoricalCrossentropy", { hidden: true }),
    call("lossFor", [{ target: "class", classes: 1000, labels: "integer" }], "sparseCategoricalCrossentropy", { hidden: true }),
    call("lossFor", [{ target: "class", classes: 2, labels: "integer" }], "binaryCrossentropy", { hidden: true }),
  ],
});
