/**
 * The plain functions behind the layers (Saito common/functions.py): activations, softmax and the
 * losses. Introduced in lesson 06 (sigmoid and ReLU) and lesson 08 (softmax and the losses).
 */

import { Matrix, argmaxRows, shapeText } from "./matrix";

/** σ(x) = 1 / (1 + e^(−x)). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** σ'(x) = σ(x)(1 − σ(x)) — at most 0.25, which is why deep sigmoid stacks learn slowly (lesson 06). */
export function sigmoidGrad(x: number): number {
  const s = sigmoid(x);
  return s * (1 - s);
}

/** ReLU(x) = max(0, x). */
export function relu(x: number): number {
  return x > 0 ? x : 0;
}

/** ReLU'(x): 1 for x > 0, else 0. */
export function reluGrad(x: number): number {
  return x > 0 ? 1 : 0;
}

/**
 * Softmax of each row: exp(x − max) / Σ exp(x − max). Subtracting the row's maximum changes nothing
 * mathematically and keeps exp from overflowing (Saito §3.5.2).
 */
export function softmax(x: Matrix): Matrix {
  const out = new Matrix(x.rows, x.cols);
  const n = x.cols;
  for (let i = 0; i < x.rows; i++) {
    const o = i * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (x.data[o + j] > max) max = x.data[o + j];
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(x.data[o + j] - max);
      out.data[o + j] = e;
      sum += e;
    }
    for (let j = 0; j < n; j++) out.data[o + j] /= sum;
  }
  return out;
}

/**
 * Targets for a batch: either one class index per row (an array of integers, like Keras'
 * "sparse" labels) or a matrix of the same shape as the output (one-hot rows).
 */
export type Targets = ArrayLike<number> | Matrix;

/** Checks targets against a batch of `rows`×`cols` outputs; returns a one-hot matrix or the class indices. */
export function checkTargets(what: string, t: Targets, rows: number, cols: number): Matrix | ArrayLike<number> {
  if (t instanceof Matrix) {
    if (t.rows !== rows || t.cols !== cols) {
      throw new Error(`${what}: targets are ${shapeText(t)} but the outputs are ${rows}×${cols}`);
    }
    return t;
  }
  if (t.length !== rows) {
    throw new Error(`${what}: ${t.length} labels for a batch of ${rows} rows (outputs ${rows}×${cols})`);
  }
  for (let i = 0; i < t.length; i++) {
    const label = t[i];
    if (!Number.isInteger(label) || label < 0 || label >= cols) {
      throw new Error(`${what}: label ${label} at row ${i} is not a class index in 0…${cols - 1}`);
    }
  }
  return t;
}

/**
 * Cross-entropy of probabilities y against targets t, averaged over the batch:
 * −(1/N) Σ log(y[i, t_i] + 1e-7). The 1e-7 is the book's guard against log(0).
 */
export function crossEntropyError(y: Matrix, t: Targets): number {
  const targets = checkTargets("crossEntropyError", t, y.rows, y.cols);
  const delta = 1e-7;
  let sum = 0;
  if (targets instanceof Matrix) {
    for (let i = 0; i < y.data.length; i++) if (targets.data[i] !== 0) sum += targets.data[i] * Math.log(y.data[i] + delta);
  } else {
    for (let i = 0; i < y.rows; i++) sum += Math.log(y.data[i * y.cols + targets[i]] + delta);
  }
  return -sum / y.rows;
}

/** ½ Σ (y − t)² over all elements — the book's "sum of squares error" (its code calls it mean_squared_error). */
export function sumSquaredError(y: Matrix, t: Matrix): number {
  if (y.rows !== t.rows || y.cols !== t.cols) {
    throw new Error(`sumSquaredError: y is ${shapeText(y)} but t is ${shapeText(t)}`);
  }
  let sum = 0;
  for (let i = 0; i < y.data.length; i++) sum += (y.data[i] - t.data[i]) ** 2;
  return 0.5 * sum;
}

/** One-hot rows: label 3 of 10 classes → [0,0,0,1,0,0,0,0,0,0]. */
export function oneHot(labels: ArrayLike<number>, classes: number): Matrix {
  const out = new Matrix(labels.length, classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new Error(`oneHot: label ${label} at position ${i} is not a class index in 0…${classes - 1}`);
    }
    out.data[i * classes + label] = 1;
  }
  return out;
}

/**
 * The fraction of rows of `scores` whose highest score is the right class (`t`: labels, or one-hot rows,
 * whose 1 marks the class): what both nets' `accuracy` reports (Saito's `accuracy`, ch. 4–6).
 */
export function accuracyOf(scores: Matrix, t: Targets): number {
  checkTargets("accuracy", t, scores.rows, scores.cols);
  const y = argmaxRows(scores);
  const labels = t instanceof Matrix ? argmaxRows(t) : t; // one-hot targets: the column of their 1
  let correct = 0;
  for (let i = 0; i < scores.rows; i++) correct += +(y[i] === labels[i]);
  return correct / scores.rows;
}
