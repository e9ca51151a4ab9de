/**
 * Exercises of lesson 06 ("Overfitting on 300 samples", Saito §6.4): the weight-decay term of the
 * loss and of the gradient, Dropout forward and backward in training and test mode, and choosing a
 * weight-decay strength λ that narrows the train–test gap without wrecking the test accuracy.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { defineExercise, formatValue, MissingFunctionError, type Case } from "./cases";
import { quickOverfit } from "../network/overfit-experiment";

const LESSON = "06-overfitting";

/** Weight decay: the penalty added to the loss, and what it adds to the gradient. */
export interface WeightDecayFunctions {
  /** ½·λ·Σ w² over every weight of every matrix (biases are not decayed). */
  weightDecayPenalty(weights: number[][], lambda: number): number;
  /** The gradient of loss + ½λΣw² with respect to W: dW + λ·W, element by element (a new array). */
  weightDecayGradient(dW: number[], W: number[], lambda: number): number[];
}

export const weightDecayExercise = defineExercise<WeightDecayFunctions>({
  id: "weight-decay",
  lesson: LESSON,
  title: "The weight-decay term of the loss and of the gradient",
  points: 3,
  cases: (call) => [
    call("weightDecayPenalty", [[[1, 2], [3]], 0.1], 0.7, {
      hint: "Σw² = 1 + 4 + 9 = 14 over both matrices, times ½·0.1.",
      tolerance: 1e-12,
    }),
    call("weightDecayPenalty", [[[0.5, -0.5, 1]], 2], 1.5, { hint: "Squares are never negative: (−0.5)² = 0.25.", tolerance: 1e-12 }),
    call("weightDecayPenalty", [[[3, 4]], 0], 0, { hint: "λ = 0 switches weight decay off." }),
    call("weightDecayGradient", [[0.5, -0.5], [1, 2], 0.1], [0.6, -0.3], {
      hint: "d/dW of ½λw² is λw: add 0.1·[1, 2] to the gradient.",
      tolerance: 1e-12,
    }),
    call("weightDecayGradient", [[0, 0, 0], [-2, 0, 5], 0.5], [-1, 0, 2.5], {
      hint: "Even with a zero data gradient, every weight is pulled toward 0 — hence the name 'decay'.",
    }),
    call("weightDecayPenalty", [[[0.1, 0.2, 0.3], [-1], [2, -2]], 0.01], 0.0457, { hidden: true, tolerance: 1e-12 }),
    call("weightDecayPenalty", [[[]], 1], 0, { hidden: true, hint: "An empty matrix adds nothing." }),
    call("weightDecayPenalty", [[[10]], 1e-4], 0.005, { hidden: true, tolerance: 1e-12 }),
    call("weightDecayGradient", [[1, 2, 3], [1, 2, 3], 0], [1, 2, 3], { hidden: true }),
    call("weightDecayGradient", [[0.01, -0.02], [-0.3, 0.4], 0.1], [-0.02, 0.02], { hidden: true, tolerance: 1e-12 }),
    call("weightDecayGradient", [[7], [7], 1], [14], { hidden: true }),
  ],
});

/** Dropout forward and backward, with the random numbers given (so the answers are fixed). */
export interface DropoutFunctions {
  /**
   * Training (`train` true): keep x[i] where random[i] > ratio, output 0 elsewhere — as Saito's
   * `mask = np.random.rand(*x.shape) > ratio`. Test (`train` false): every neuron on, scaled:
   * x[i]·(1 − ratio); `random` is not used.
   */
  dropoutForward(x: number[], ratio: number, train: boolean, random: number[]): number[];
  /** Training-mode backward: dout[i] where the neuron was kept (random[i] > ratio), else 0. */
  dropoutBackward(dout: number[], ratio: number, random: number[]): number[];
}

export const dropoutExercise = defineExercise<DropoutFunctions>({
  id: "dropout",
  lesson: LESSON,
  title: "Dropout forward and backward, training and test mode",
  points: 4,
  cases: (call) => [
    call("dropoutForward", [[1, 2, 3, 4], 0.5, true, [0.9, 0.1, 0.6, 0.3]], [1, 0, 3, 0], {
      hint: "Keep x[i] where random[i] > 0.5: positions 0 and 2.",
    }),
    call("dropoutForward", [[1, 2, 3, 4], 0.5, false, [0.9, 0.1, 0.6, 0.3]], [0.5, 1, 1.5, 2], {
      hint: "At test time nobody is dropped; scale by 1 − ratio so the output matches the training average.",
    }),
    call("dropoutForward", [[5, 5], 0.2, true, [0.2, 0.21]], [0, 5], {
      hint: "random[i] = ratio exactly is not greater than ratio: that neuron is dropped.",
    }),
    call("dropoutBackward", [[10, 20, 30, 40], 0.5, [0.9, 0.1, 0.6, 0.3]], [10, 0, 30, 0], {
      hint: "The gradient flows back only through the neurons that were kept — like ReLU with its mask.",
    }),
    call("dropoutForward", [[-1.5, 0, 2], 0.2, false, []], [-1.2, 0, 1.6], { tolerance: 1e-12 }),
    call("dropoutForward", [[1, 1, 1, 1, 1], 0.2, true, [0.05, 0.5, 0.19, 0.99, 0.8]], [0, 1, 0, 1, 1], { hidden: true }),
    call("dropoutForward", [[2, -3, 4], 0, true, [0.5, 0.01, 0.99]], [2, -3, 4], { hidden: true, hint: "ratio 0 keeps everything." }),
    call("dropoutForward", [[10, 20], 0.75, false, [0.1, 0.9]], [2.5, 5], { hidden: true }),
    call("dropoutBackward", [[1, 2, 3], 0.2, [0.1, 0.3, 0.2]], [0, 2, 0], { hidden: true }),
    call("dropoutBackward", [[-1, -2], 0, [0.5, 0.5]], [-1, -2], { hidden: true }),
    call("dropoutBackward", [[4, 4, 4, 4], 0.9, [0.95, 0.9, 0.5, 0.91]], [4, 0, 0, 4], { hidden: true }),
  ],
});

/** Choosing the weight-decay strength. */
export interface ChooseLambdaFunctions {
  /** A λ for which `quickOverfit(λ)` has a gap below 0.20 and a test accuracy of at least 0.60. */
  chooseLambda(): number;
}

export const CHOOSE_LAMBDA = { maxGap: 0.2, minTestAccuracy: 0.6 } as const;

/** The verdict on a λ, as the case shows it. */
export function lambdaVerdict(lambda: unknown): string {
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda < 0) return `not a λ: chooseLambda returned ${formatValue(lambda)}`;
  const r = quickOverfit(lambda);
  const gapOk = r.gap < CHOOSE_LAMBDA.maxGap;
  const testOk = r.testAccuracy >= CHOOSE_LAMBDA.minTestAccuracy;
  if (gapOk && testOk) return PASS;
  const numbers = `λ = ${lambda}: train ${r.trainAccuracy.toFixed(3)}, test ${r.testAccuracy.toFixed(3)}, gap ${r.gap.toFixed(3)}`;
  if (!gapOk) return `${numbers} — the gap is not below ${CHOOSE_LAMBDA.maxGap}: decay more`;
  return `${numbers} — the test accuracy fell below ${CHOOSE_LAMBDA.minTestAccuracy}: decay less`;
}

const PASS = `gap below ${CHOOSE_LAMBDA.maxGap} with test accuracy ≥ ${CHOOSE_LAMBDA.minTestAccuracy}`;

export const chooseLambdaExercise = defineExercise<ChooseLambdaFunctions>({
  id: "choose-lambda",
  lesson: LESSON,
  title: "A λ that narrows the gap without ruining the test accuracy",
  points: 3,
  cases: (call) => {
    const base = call("chooseLambda", [], 0, {
      hint: "Try a few values with quickOverfit(λ): a larger λ narrows the gap but lowers both accuracies.",
    });
    const verdict: Case<ChooseLambdaFunctions> = {
      ...base,
      name: "quickOverfit(chooseLambda())",
      expected: PASS,
      run: (impl) => {
        const f = (impl as Partial<ChooseLambdaFunctions> | null | undefined)?.chooseLambda;
        if (typeof f !== "function") {
          throw new MissingFunctionError(`chooseLambda is missing: pass it to check, e.g. check("choose-lambda", { chooseLambda })`);
        }
        return lambdaVerdict(f());
      },
    };
    return [verdict];
  },
});
