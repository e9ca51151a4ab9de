// Shared by the scratch tests: reference loops and gradient-check helpers (not a test file).
import { Matrix } from "../../src/network/matrix";
import { numericalGradient } from "../../src/network/numerical-gradient";
import { Rng } from "../../src/network/rng";

/** C = A·B by the textbook triple loop (i, j, k). */
export function naiveMatmul(a: Matrix, b: Matrix): Matrix {
  const c = new Matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.get(i, k) * b.get(k, j);
      c.set(i, j, s);
    }
  }
  return c;
}

/** A rows×cols matrix of N(0,1) numbers, a fraction `zeros` of them replaced by 0. */
export function randomMatrix(rng: Rng, rows: number, cols: number, zeros = 0): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.size; i++) m.data[i] = rng.random() < zeros ? 0 : rng.normal();
  return m;
}

/** Like randomMatrix but every |value| ≥ margin (keeps ReLU kinks out of reach of h = 1e-4). */
export function awayFromZero(rng: Rng, rows: number, cols: number, margin = 0.05): Matrix {
  const m = randomMatrix(rng, rows, cols);
  for (let i = 0; i < m.size; i++) m.data[i] += Math.sign(m.data[i]) * margin;
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths ${a.length} and ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
  return d / a.length;
}

/** ‖a − b‖ / (‖a‖ + ‖b‖): 0 for equal vectors, 1 for opposite ones. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  const denom = Math.sqrt(na) + Math.sqrt(nb);
  return denom === 0 ? 0 : Math.sqrt(diff) / denom;
}

/**
 * Gradient check of one input array: numerical ∂f/∂v against `analytic`, where f is the scalar
 * the layer's backward was given ∂f/∂output for. Returns the relative error.
 */
export function checkGradient(f: () => number, v: Float64Array, analytic: ArrayLike<number>): number {
  const numeric = numericalGradient(() => f(), v);
  return relativeError(numeric, analytic);
}

/** Σ y ⊙ G — a scalar whose gradient with respect to y is G. */
export function dot(y: Matrix, g: Matrix): number {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += y.data[i] * g.data[i];
  return s;
}
