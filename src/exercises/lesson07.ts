/**
 * Exercises of lesson 07 ("Overfitting on 300 samples", Saito §6.4): the weight-decay term of the
 * loss and of the gradient, Dropout forward and backward in training and test mode, and choosing a
 * weight-decay strength λ by its accuracy on validation data (§6.5) — never on the test data.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { defineExercise, formatValue, MissingFunctionError, type Case } from "./cases";
import { hyperparameterTrial } from "../network/hyperparameter-trial";

const LESSON = "07-overfitting";

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

/** Choosing the weight-decay strength on validation data (Saito §6.5). */
export interface ChooseLambdaFunctions {
  /**
   * The candidate λ with the highest validation accuracy — `validationAccuracy(λ)` trains and
   * measures on validation data; the first candidate wins a tie. Never looks at test data.
   */
  chooseLambda(candidates: number[], validationAccuracy: (lambda: number) => number): number;
}

/** Validation accuracies by λ, memoized: a trial is deterministic, so each λ is trained once per kernel. */
const trialCache = new Map<number, number>();
export function trialValidationAccuracy(lambda: number): number {
  let v = trialCache.get(lambda);
  if (v === undefined) trialCache.set(lambda, (v = hyperparameterTrial({ lambda }).validationAccuracy));
  return v;
}

/** The right answer, computed the way the exercise asks: the first candidate with the best score. */
export function bestCandidate(candidates: number[], score: (lambda: number) => number): number {
  let best = candidates[0];
  let bestScore = score(best);
  for (const c of candidates.slice(1)) {
    const s = score(c);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

const BEST_ON_VALIDATION = "the candidate with the highest validation accuracy";

/** Runs the student's chooseLambda on real trials and says whether it picked the best λ on validation data. */
export function lambdaVerdict(impl: unknown, candidates: number[]): string {
  const f = (impl as Partial<ChooseLambdaFunctions> | null | undefined)?.chooseLambda;
  if (typeof f !== "function") {
    throw new MissingFunctionError(`chooseLambda is missing: pass it to check, e.g. check("choose-lambda", { chooseLambda })`);
  }
  const got = f([...candidates], trialValidationAccuracy);
  const best = bestCandidate(candidates, trialValidationAccuracy);
  if (got === best) return BEST_ON_VALIDATION;
  const scores = candidates.map((c) => `${c}: ${trialValidationAccuracy(c).toFixed(3)}`).join(", ");
  if (typeof got !== "number" || !candidates.includes(got)) return `returned ${formatValue(got)}, which is not one of the candidates (validation accuracies ${scores})`;
  return `returned λ = ${got}, but λ = ${best} has the higher validation accuracy (${scores})`;
}

/** A validation-accuracy function given by a table, for cases with fixed answers. */
function table(entries: Array<[number, number]>): (lambda: number) => number {
  const m = new Map(entries);
  return (lambda) => {
    const v = m.get(lambda);
    if (v === undefined) throw new Error(`validationAccuracy(${lambda}): ${lambda} is not one of the candidates`);
    return v;
  };
}

export const chooseLambdaExercise = defineExercise<ChooseLambdaFunctions>({
  id: "choose-lambda",
  lesson: LESSON,
  title: "Choose λ by its validation accuracy",
  points: 3,
  cases: (call) => {
    const tableCase = (candidates: number[], scores: number[], options: { hint?: string; hidden?: boolean } = {}): Case<ChooseLambdaFunctions> => {
      const entries = candidates.map((c, i) => [c, scores[i]] as [number, number]);
      const base = call("chooseLambda", [candidates, table(entries)], bestCandidate(candidates, table(entries)), options);
      return { ...base, name: `chooseLambda(${formatValue(candidates)}, validation accuracies ${formatValue(scores)})` };
    };
    const real = [0, 0.01, 0.1, 1];
    const realCase = call("chooseLambda", [[], trialValidationAccuracy], 0, {
      hint: "Call validationAccuracy(λ) for every candidate and keep the λ with the highest value.",
    });
    return [
      tableCase([0, 0.01, 0.1], [0.71, 0.74, 0.69], { hint: "The highest validation accuracy, 0.74, belongs to λ = 0.01." }),
      tableCase([1, 0.1, 0.01, 0.001], [0.3, 0.6, 0.8, 0.79], { hint: "Return the λ itself, not its index or its accuracy." }),
      tableCase([0.5, 0.05], [0.7, 0.7], { hint: "On a tie, keep the first candidate." }),
      {
        ...realCase,
        name: "chooseLambda([0, 0.01, 0.1, 1], λ => hyperparameterTrial({ lambda: λ }).validationAccuracy)",
        expected: BEST_ON_VALIDATION,
        // the trainings run only when the case runs (never when the exercise is defined)
        run: (impl) => lambdaVerdict(impl, real),
      },
      tableCase([0.3], [0.5], { hidden: true }),
      tableCase([0, 1e-4, 1e-3, 1e-2, 1e-1], [0.75, 0.75, 0.76, 0.761, 0.7], { hidden: true }),
      tableCase([2, 0.2, 0.02], [0.1, 0.1, 0.12], { hidden: true }),
    ];
  },
});
