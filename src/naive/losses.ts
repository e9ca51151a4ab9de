/**
 * The Keras losses of lesson 08 ("Losses, optimizers and the training loop"), computed by hand in
 * float64 so the notebook can check them against TensorFlow.js on a tiny example:
 *
 *   binary crossentropy            −mean[ t·log p + (1 − t)·log(1 − p) ]         two classes (이진 분류)
 *   categorical crossentropy       −mean over samples of Σⱼ tⱼ·log pⱼ             one-hot targets
 *   sparse categorical crossentropy −mean over samples of log p[label]           integer targets
 *   mean squared error             mean (t − p)²                                 regression (회귀)
 *   mean absolute error            mean |t − p|                                  regression
 *   mean absolute percentage error 100 · mean |t − p| / |t|                      regression, relative
 *
 * Like Keras, probabilities are clipped to [ε, 1 − ε] with ε = 1e-7 before the logarithm (so log 0
 * never happens), categorical predictions are first divided by their row sum, and |t| in MAPE is
 * at least ε. Every loss is a mean over the samples of a per-sample loss: `yTrue` and `yPred` are
 * one number per sample (`number[]`) or one row per sample (`number[][]`); for row inputs the
 * element-wise losses (BCE, MSE, MAE, MAPE) first average over the row, as Keras does.
 */

/** Keras' `backend.epsilon()`: the clipping margin for probabilities. */
export const EPSILON = 1e-7;

/** Samples as rows: a flat array becomes one-number rows. */
type Batch = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

function rowsOf(fn: string, what: string, x: Batch): number[][] {
  if (x === null || typeof x !== "object" || typeof (x as ArrayLike<unknown>).length !== "number") {
    throw new Error(`losses.ts ${fn}: ${what} must be an array of numbers or of rows, got ${String(x)}`);
  }
  const rows = Array.from(x as ArrayLike<number | ArrayLike<number>>, (r, i) => {
    const row = typeof r === "number" ? [r] : Array.from(r ?? [], Number);
    if (row.length === 0) throw new Error(`losses.ts ${fn}: ${what} row ${i} is empty`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`losses.ts ${fn}: ${what}[${i}][${j}] is ${v}, not a finite number`);
    });
    return row;
  });
  if (rows.length === 0) throw new Error(`losses.ts ${fn}: ${what} has no samples`);
  return rows;
}

function pair(fn: string, yTrue: Batch, yPred: Batch): [number[][], number[][]] {
  const t = rowsOf(fn, "yTrue", yTrue);
  const p = rowsOf(fn, "yPred", yPred);
  if (t.length !== p.length) throw new Error(`losses.ts ${fn}: yTrue has ${t.length} samples but yPred has ${p.length}`);
  t.forEach((row, i) => {
    if (row.length !== p[i].length) throw new Error(`losses.ts ${fn}: sample ${i} has ${row.length} targets but ${p[i].length} predictions`);
  });
  return [t, p];
}

const clip = (p: number): number => Math.min(Math.max(p, EPSILON), 1 - EPSILON);
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Mean over samples of the mean over each row of f(t, p). */
function elementwise(fn: string, yTrue: Batch, yPred: Batch, f: (t: number, p: number) => number): number {
  const [t, p] = pair(fn, yTrue, yPred);
  return mean(t.map((row, i) => mean(row.map((tj, j) => f(tj, p[i][j])))));
}

function checkProbability(fn: string, p: number[][]): void {
  p.forEach((row, i) => row.forEach((v, j) => {
    if (v < 0 || v > 1) throw new Error(`losses.ts ${fn}: yPred[${i}][${j}] = ${v} is not a probability in [0, 1]`);
  }));
}

/** Categorical predictions are divided by their row sum, so they need only be ≥ 0. */
function checkNonNegative(fn: string, p: number[][]): void {
  p.forEach((row, i) => row.forEach((v, j) => {
    if (v < 0) throw new Error(`losses.ts ${fn}: yPred[${i}][${j}] = ${v} is negative; predictions must be probabilities`);
  }));
}

/** −mean[t·log p + (1 − t)·log(1 − p)], p clipped to [ε, 1 − ε]. Targets are 0 or 1 (or in between). */
export function binaryCrossentropy(yTrue: Batch, yPred: Batch): number {
  checkProbability("binaryCrossentropy", rowsOf("binaryCrossentropy", "yPred", yPred));
  return elementwise("binaryCrossentropy", yTrue, yPred, (t, p) => {
    const q = clip(p);
    return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
  });
}

/** −mean over samples of Σⱼ tⱼ·log pⱼ; each row of yPred is divided by its sum, then clipped. */
export function categoricalCrossentropy(yTrue: ArrayLike<ArrayLike<number>>, yPred: ArrayLike<ArrayLike<number>>): number {
  const fn = "categoricalCrossentropy";
  const [t, p] = pair(fn, yTrue, yPred);
  checkNonNegative(fn, p);
  return mean(t.map((row, i) => {
    const sum = p[i].reduce((s, v) => s + v, 0);
    if (!(sum > 0)) throw new Error(`losses.ts ${fn}: the predictions of sample ${i} sum to ${sum}`);
    return -row.reduce((s, tj, j) => s + tj * Math.log(clip(p[i][j] / sum)), 0);
  }));
}

/** −mean over samples of log p[label]: the categorical crossentropy with integer labels. */
export function sparseCategoricalCrossentropy(labels: ArrayLike<number>, yPred: ArrayLike<ArrayLike<number>>): number {
  const fn = "sparseCategoricalCrossentropy";
  const p = rowsOf(fn, "yPred", yPred);
  checkNonNegative(fn, p);
  if (labels === null || typeof labels !== "object" || labels.length !== p.length) {
    throw new Error(`losses.ts ${fn}: need one label per sample: ${p.length} samples, got ${labels?.length} labels`);
  }
  return mean(p.map((row, i) => {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= row.length) {
      throw new Error(`losses.ts ${fn}: label ${label} of sample ${i} is not a class index in 0…${row.length - 1}`);
    }
    const sum = row.reduce((s, v) => s + v, 0);
    return -Math.log(clip(row[label] / sum));
  }));
}

/** mean (t − p)² */
export function meanSquaredError(yTrue: Batch, yPred: Batch): number {
  return elementwise("meanSquaredError", yTrue, yPred, (t, p) => (t - p) ** 2);
}

/** mean |t − p| */
export function meanAbsoluteError(yTrue: Batch, yPred: Batch): number {
  return elementwise("meanAbsoluteError", yTrue, yPred, (t, p) => Math.abs(t - p));
}

/** 100 · mean |t − p| / max(|t|, ε): the error as a percentage of the target. */
export function meanAbsolutePercentageError(yTrue: Batch, yPred: Batch): number {
  return 100 * elementwise("meanAbsolutePercentageError", yTrue, yPred, (t, p) => Math.abs(t - p) / Math.max(Math.abs(t), EPSILON));
}
