/**
 * Exercises of lesson 07 ("Overfitting on 300 samples", Saito §6.4): the weight-decay term of the
 * loss and of the gradient, Dropout forward and backward in training and test mode, and choosing a
 * weight-decay strength λ by its accuracy on validation data (§6.5) — never on the test data.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { language, say, type Language } from "../language/language";
import { defineExercise, formatValue, Message, missingFunction, type Case, type CaseOptions } from "./cases";
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
  title: { en: "The weight-decay term of the loss and of the gradient", ko: "손실 함수와 기울기에 더해지는 가중치 감소 항" },
  points: 3,
  cases: (call) => [
    call("weightDecayPenalty", [[[1, 2], [3]], 0.1], 0.7, {
      hint: { en: "Σw² = 1 + 4 + 9 = 14 over both matrices, times ½·0.1.", ko: "두 행렬 전체에서 Σw² = 1 + 4 + 9 = 14이고, 여기에 ½·0.1을 곱한다." },
      tolerance: 1e-12,
    }),
    call("weightDecayPenalty", [[[0.5, -0.5, 1]], 2], 1.5, {
      tolerance: 1e-12,
      hint: {
        en: "Squares are never negative: (−0.5)² = 0.25.",
        ko: "제곱은 음수가 되지 않는다: (−0.5)² = 0.25.",
      },
    }),
    call("weightDecayPenalty", [[[3, 4]], 0], 0, { hint: { en: "λ = 0 switches weight decay off.", ko: "λ = 0이면 가중치 감소가 꺼진다." } }),
    call("weightDecayGradient", [[0.5, -0.5], [1, 2], 0.1], [0.6, -0.3], {
      hint: { en: "d/dW of ½λw² is λw: add 0.1·[1, 2] to the gradient.", ko: "½λw²을 W로 미분하면 λw다: 기울기에 0.1·[1, 2]를 더한다." },
      tolerance: 1e-12,
    }),
    call("weightDecayGradient", [[0, 0, 0], [-2, 0, 5], 0.5], [-1, 0, 2.5], {
      hint: {
        en: "Even with a zero data gradient, every weight is pulled toward 0 — hence the name 'decay'.",
        ko: "데이터에서 온 기울기가 0이어도 모든 가중치가 0 쪽으로 끌려간다. 그래서 '감소'라는 이름이 붙었다.",
      },
    }),
    call("weightDecayPenalty", [[[0.1, 0.2, 0.3], [-1], [2, -2]], 0.01], 0.0457, { hidden: true, tolerance: 1e-12 }),
    call("weightDecayPenalty", [[[]], 1], 0, { hidden: true, hint: { en: "An empty matrix adds nothing.", ko: "빈 행렬은 아무것도 더하지 않는다." } }),
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
  title: { en: "Dropout forward and backward, training and test mode", ko: "드롭아웃의 순전파와 역전파: 훈련 때와 시험 때" },
  points: 4,
  cases: (call) => [
    call("dropoutForward", [[1, 2, 3, 4], 0.5, true, [0.9, 0.1, 0.6, 0.3]], [1, 0, 3, 0], {
      hint: { en: "Keep x[i] where random[i] > 0.5: positions 0 and 2.", ko: "random[i] > 0.5인 곳의 x[i]를 남긴다: 위치 0과 2다." },
    }),
    call("dropoutForward", [[1, 2, 3, 4], 0.5, false, [0.9, 0.1, 0.6, 0.3]], [0.5, 1, 1.5, 2], {
      hint: {
        en: "At test time nobody is dropped; scale by 1 − ratio so the output matches the training average.",
        ko: "시험 때는 어떤 뉴런도 삭제하지 않는다. 출력이 훈련 때의 평균과 맞도록 1 − ratio를 곱한다.",
      },
    }),
    call("dropoutForward", [[5, 5], 0.2, true, [0.2, 0.21]], [0, 5], {
      hint: {
        en: "random[i] = ratio exactly is not greater than ratio: that neuron is dropped.",
        ko: "random[i]가 ratio와 정확히 같으면 ratio보다 크지 않으므로 그 뉴런은 삭제된다.",
      },
    }),
    call("dropoutBackward", [[10, 20, 30, 40], 0.5, [0.9, 0.1, 0.6, 0.3]], [10, 0, 30, 0], {
      hint: {
        en: "The gradient flows back only through the neurons that were kept — like ReLU with its mask.",
        ko: "기울기는 남은 뉴런을 통해서만 거꾸로 흐른다. 마스크를 쓰는 ReLU와 같다.",
      },
    }),
    call("dropoutForward", [[-1.5, 0, 2], 0.2, false, []], [-1.2, 0, 1.6], { tolerance: 1e-12 }),
    call("dropoutForward", [[1, 1, 1, 1, 1], 0.2, true, [0.05, 0.5, 0.19, 0.99, 0.8]], [0, 1, 0, 1, 1], { hidden: true }),
    call("dropoutForward", [[2, -3, 4], 0, true, [0.5, 0.01, 0.99]], [2, -3, 4], { hidden: true, hint: { en: "ratio 0 keeps everything.", ko: "ratio가 0이면 모든 뉴런이 남는다." } }),
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

const BEST_ON_VALIDATION = new Message("the candidate with the highest validation accuracy", "검증 정확도가 가장 높은 후보");

/**
 * What the student's chooseLambda did with real trials, as plain data (it is what the kernel sends
 * the grader): the best candidate, a value that is no candidate, or a worse candidate than the best.
 */
export type LambdaOutcome =
  | { verdict: "best" }
  | { verdict: "not-candidate"; got: string; scores: string }
  | { verdict: "worse"; got: number; best: number; scores: string };

/** Runs the student's chooseLambda on real trials (in the kernel) and says what it picked. */
export function lambdaOutcome(impl: unknown, candidates: number[]): LambdaOutcome {
  const f = (impl as Partial<ChooseLambdaFunctions> | null | undefined)?.chooseLambda;
  if (typeof f !== "function") throw missingFunction("chooseLambda", f, "choose-lambda", ["chooseLambda"]);
  const got = f([...candidates], trialValidationAccuracy);
  const best = bestCandidate(candidates, trialValidationAccuracy);
  if (got === best) return { verdict: "best" };
  const scores = candidates.map((c) => `${c}: ${trialValidationAccuracy(c).toFixed(3)}`).join(", ");
  if (typeof got !== "number" || !candidates.includes(got)) return { verdict: "not-candidate", got: formatValue(got), scores };
  return { verdict: "worse", got, best, scores };
}

/** The verdict on an outcome, in both languages (where the comparison runs); throws on anything but an outcome. */
export function lambdaMessage(outcome: unknown): Message {
  const o = outcome as Record<string, unknown> | null;
  if (o?.verdict === "best") return BEST_ON_VALIDATION;
  if (o?.verdict === "not-candidate" && typeof o.got === "string" && typeof o.scores === "string") {
    return new Message(
      `returned ${o.got}, which is not one of the candidates (validation accuracies ${o.scores})`,
      `반환값 ${o.got}: 후보 중에 없는 값이다 (검증 정확도 ${o.scores})`,
    );
  }
  if (o?.verdict === "worse" && typeof o.got === "number" && typeof o.best === "number" && typeof o.scores === "string") {
    return new Message(
      `returned λ = ${o.got}, but λ = ${o.best} has the higher validation accuracy (${o.scores})`,
      `반환값은 λ = ${o.got}이지만, 검증 정확도가 더 높은 후보는 λ = ${o.best}이다 (검증 정확도 ${o.scores})`,
    );
  }
  throw new Error(`not an outcome of chooseLambda: ${formatValue(outcome, 100, "en")}`);
}

/** Runs the student's chooseLambda on real trials and says whether it picked the best λ on validation data. */
export function lambdaVerdict(impl: unknown, candidates: number[], lang: Language = language()): string {
  return say(lambdaMessage(lambdaOutcome(impl, candidates)), lang);
}

/** A validation-accuracy function given by a table, for cases with fixed answers. */
function table(entries: Array<[number, number]>): (lambda: number) => number {
  const m = new Map(entries);
  return (lambda) => {
    const v = m.get(lambda);
    if (v === undefined) {
      throw new Error(say({ en: `validationAccuracy(${lambda}): ${lambda} is not one of the candidates`, ko: `validationAccuracy(${lambda}): 후보에 없는 λ다` }));
    }
    return v;
  };
}

export const chooseLambdaExercise = defineExercise<ChooseLambdaFunctions>({
  id: "choose-lambda",
  lesson: LESSON,
  title: { en: "Choose λ by its validation accuracy", ko: "검증 정확도로 λ 고르기" },
  points: 3,
  cases: (call) => {
    const tableCase = (candidates: number[], scores: number[], options: CaseOptions = {}): Case<ChooseLambdaFunctions> => {
      const entries = candidates.map((c, i) => [c, scores[i]] as [number, number]);
      const base = call("chooseLambda", [candidates, table(entries)], bestCandidate(candidates, table(entries)), options);
      const name = `chooseLambda(${formatValue(candidates, undefined, "en")}, validation accuracies ${formatValue(scores, undefined, "en")})`;
      return { ...base, name, label: { en: name, ko: `chooseLambda(${formatValue(candidates, undefined, "ko")}, 검증 정확도 ${formatValue(scores, undefined, "ko")})` } };
    };
    const real = [0, 0.01, 0.1, 1];
    const realCase = call("chooseLambda", [[], trialValidationAccuracy], 0, {
      hint: {
        en: "Call validationAccuracy(λ) for every candidate and keep the λ with the highest value.",
        ko: "후보마다 validationAccuracy(λ)를 호출하고, 값이 가장 높은 λ를 남긴다.",
      },
    });
    return [
      tableCase([0, 0.01, 0.1], [0.71, 0.74, 0.69], {
        hint: {
          en: "The highest validation accuracy, 0.74, belongs to λ = 0.01.",
          ko: "가장 높은 검증 정확도 0.74는 λ = 0.01의 것이다.",
        },
      }),
      tableCase([1, 0.1, 0.01, 0.001], [0.3, 0.6, 0.8, 0.79], {
        hint: {
          en: "Return the λ itself, not its index or its accuracy.",
          ko: "인덱스나 정확도가 아니라 λ 자체를 반환한다.",
        },
      }),
      tableCase([0.5, 0.05], [0.7, 0.7], { hint: { en: "On a tie, keep the first candidate.", ko: "값이 같으면 첫 번째 후보를 남긴다." } }),
      {
        ...realCase,
        name: "chooseLambda([0, 0.01, 0.1, 1], λ => hyperparameterTrial({ lambda: λ }).validationAccuracy)",
        expected: BEST_ON_VALIDATION,
        // the trainings run only when the case runs (never when the exercise is defined), in the
        // kernel; the verdict is given where the comparison runs
        run: (impl) => lambdaOutcome(impl, real),
        judge: lambdaMessage,
      },
      tableCase([0.3], [0.5], { hidden: true }),
      tableCase([0, 1e-4, 1e-3, 1e-2, 1e-1], [0.75, 0.75, 0.76, 0.761, 0.7], { hidden: true }),
      tableCase([2, 0.2, 0.02], [0.1, 0.1, 0.12], { hidden: true }),
    ];
  },
});
