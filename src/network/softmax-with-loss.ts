/**
 * Softmax followed by cross-entropy, as one layer (Saito §5.6.3), introduced in lesson 05 and
 * discussed in lesson 08. Put together, their backward is remarkably simple: (y − t) / N.
 *
 * The loss is computed as −log softmax(x)[t] = log Σ exp(x − max) − (x[t] − max), which is the same
 * number as the book's −log(y[t] + 1e-7) without needing the 1e-7 (it never takes log(0)); that is
 * also why its gradient is exactly (y − t)/N, as a gradient check can see.
 */

import { Matrix } from "./matrix";
import { Targets, checkTargets, softmax } from "./functions";

export class SoftmaxWithLoss {
  /** Softmax of the last input (the predicted probabilities). */
  y: Matrix | null = null;
  private t: Matrix | ArrayLike<number> | null = null;
  /** The last loss. */
  loss = NaN;

  /** Returns the mean cross-entropy loss of the batch. */
  forward(x: Matrix, t: Targets): number {
    const targets = checkTargets("SoftmaxWithLoss.forward", t, x.rows, x.cols);
    const n = x.cols;
    let total = 0;
    for (let i = 0; i < x.rows; i++) {
      const o = i * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (x.data[o + j] > max) max = x.data[o + j];
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp(x.data[o + j] - max);
      const logSum = Math.log(sum);
      // −Σ_j t_j log softmax_j = −Σ_j t_j (x_j − max − logSum)
      if (targets instanceof Matrix) {
        for (let j = 0; j < n; j++) {
          const tj = targets.data[o + j];
          if (tj !== 0) total -= tj * (x.data[o + j] - max - logSum);
        }
      } else {
        total -= x.data[o + targets[i]] - max - logSum;
      }
    }
    this.y = softmax(x);
    this.t = targets;
    this.loss = total / x.rows;
    return this.loss;
  }

  /** ∂L/∂x = dout · (y − t) / N. */
  backward(dout = 1): Matrix {
    const y = this.y;
    const t = this.t;
    if (y === null || t === null) throw new Error("SoftmaxWithLoss.backward: call forward first");
    const dx = new Matrix(y.rows, y.cols);
    const scale = dout / y.rows;
    for (let i = 0; i < y.size; i++) dx.data[i] = y.data[i];
    if (t instanceof Matrix) {
      for (let i = 0; i < y.size; i++) dx.data[i] -= t.data[i];
    } else {
      for (let i = 0; i < y.rows; i++) dx.data[i * y.cols + t[i]] -= 1;
    }
    for (let i = 0; i < y.size; i++) dx.data[i] *= scale;
    return dx;
  }
}
