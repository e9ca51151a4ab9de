/**
 * Validation data and hyperparameter search (Saito §6.5, 1st edition; 밑바닥부터 시작하는 딥러닝 §6.5
 * 적절한 하이퍼파라미터 값 찾기), introduced in lesson 07.
 *
 * Hyperparameters (λ, the learning rate, …) must not be chosen by their score on the test data: the
 * test score would then be tuned to the test set and no longer tell how the network does on new
 * data. Split a part of the *training* data off as validation data (검증 데이터), judge every choice
 * on it, and use the test data once, at the end.
 *
 * The book's search: draw each hyperparameter at random on a log scale (10^uniform(a, b)), train
 * briefly, keep the best few, narrow the ranges, repeat.
 */

import { Matrix, shapeText } from "./matrix";
import { Rng, defaultRng } from "./rng";

export interface ValidationSplit {
  xTrain: Matrix;
  tTrain: Int32Array;
  xValidation: Matrix;
  tValidation: Int32Array;
}

/**
 * Shuffles the rows of (x, t) and splits the first `rate` of them off as validation data (Saito's
 * shuffle_dataset, then `x_train[:validation_num]`). The rest stays training data.
 */
export function splitValidation(x: Matrix, t: ArrayLike<number>, rate = 0.2, rng: Rng = defaultRng): ValidationSplit {
  if (t.length !== x.rows) throw new Error(`splitValidation: x is ${shapeText(x)} but there are ${t.length} labels`);
  if (!(rate > 0 && rate < 1)) throw new Error(`splitValidation: rate must be between 0 and 1 (exclusive), got ${rate}`);
  const validationRows = Math.floor(x.rows * rate);
  if (validationRows === 0 || validationRows === x.rows) {
    throw new Error(`splitValidation: a rate of ${rate} of ${x.rows} rows leaves ${validationRows} for validation and ${x.rows - validationRows} for training; both need at least one`);
  }
  const order = rng.permutation(x.rows);
  const valIdx = order.subarray(0, validationRows);
  const trainIdx = order.subarray(validationRows);
  return {
    xTrain: x.pickRows(trainIdx),
    tTrain: Int32Array.from(trainIdx, (i) => t[i]),
    xValidation: x.pickRows(valIdx),
    tValidation: Int32Array.from(valIdx, (i) => t[i]),
  };
}

/** A number drawn uniformly on a log scale between lo and hi: 10^uniform(log₁₀ lo, log₁₀ hi). */
export function logUniform(lo: number, hi: number, rng: Rng = defaultRng): number {
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) throw new Error(`logUniform: need 0 < lo ≤ hi (finite), got lo = ${lo}, hi = ${hi}`);
  const a = Math.log10(lo), b = Math.log10(hi);
  return 10 ** (a + (b - a) * rng.random());
}

export interface SearchTrial {
  /** The hyperparameters drawn for this trial, by name. */
  params: Record<string, number>;
  /** What `evaluate` returned (a validation accuracy: higher is better). */
  score: number;
}

export interface RandomSearchOptions {
  /** Each hyperparameter's range [lo, hi], searched on a log scale. */
  ranges: Record<string, [number, number]>;
  trials: number;
  /** Trains with the given hyperparameters and returns a validation score (higher is better). */
  evaluate: (params: Record<string, number>) => number;
  rng?: Rng;
}

/** Saito's random search: `trials` draws on a log scale; the trials sorted best first. */
export function randomSearch(options: RandomSearchOptions): SearchTrial[] {
  const { ranges, trials, evaluate } = options;
  const rng = options.rng ?? defaultRng;
  if (!Number.isInteger(trials) || trials <= 0) throw new Error(`randomSearch: trials must be a positive integer, got ${trials}`);
  const names = Object.keys(ranges);
  if (names.length === 0) throw new Error("randomSearch: ranges names no hyperparameter");
  for (const name of names) {
    const [lo, hi] = ranges[name];
    if (!(lo > 0 && hi >= lo)) throw new Error(`randomSearch: the range of ${name} must be 0 < lo ≤ hi, got [${lo}, ${hi}]`);
  }
  const results: SearchTrial[] = [];
  for (let k = 0; k < trials; k++) {
    const params: Record<string, number> = {};
    for (const name of names) params[name] = logUniform(ranges[name][0], ranges[name][1], rng);
    const score = evaluate(params);
    if (typeof score !== "number" || Number.isNaN(score)) {
      throw new Error(`randomSearch: evaluate returned ${String(score)} for ${JSON.stringify(params)}; it must return a number`);
    }
    results.push({ params, score });
  }
  return results.sort((a, b) => b.score - a.score);
}
