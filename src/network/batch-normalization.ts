/**
 * Batch normalization (Saito §6.3, 1st edition; 밑바닥부터 시작하는 딥러닝 §6.3 배치 정규화), introduced
 * in lesson 07: each column (unit) of a mini-batch is normalized to mean 0 and variance 1, then scaled
 * and shifted by two learned vectors, γ (gamma) and β (beta):
 *
 *   μ = mean of the column over the batch     σ² = mean of (x − μ)²
 *   x̂ = (x − μ) / √(σ² + ε)                   y = γ·x̂ + β          (ε = 1e-7, as in the book's code)
 *
 * While training, μ and σ² are the batch's own; each training pass also updates running averages
 * (momentum 0.9) that are used instead at test time, when there may be a single example.
 *
 * Backward follows the computational graph of the forward pass node by node, as the book's
 * common/layers.py does (N = rows of the batch):
 *   dβ = Σ dout       dγ = Σ x̂·dout       dx̂ = γ·dout
 *   dxc = dx̂/std − (x − μ)·Σ(dx̂·(x − μ))/(N·std³)       dx = dxc − Σ dxc / N
 * — every μ and σ² depends on every row, which is where the two extra terms come from.
 */

import { Matrix, shapeText } from "./matrix";
import { Layer } from "./layer";

export interface BatchNormalizationOptions {
  /** Weight of the old value in the running averages (default 0.9, as in the book). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-7, as in the book). */
  epsilon?: number;
}

export class BatchNormalization implements Layer {
  /** Scale γ, one per unit, learned (starts at 1). Updated in place by the optimizers. */
  readonly gamma: Float64Array;
  /** Shift β, one per unit, learned (starts at 0). */
  readonly beta: Float64Array;
  /** ∂L/∂γ and ∂L/∂β from the last backward. */
  dgamma: Float64Array;
  dbeta: Float64Array;
  /** Running averages of the batch means and variances, used at test time. */
  readonly runningMean: Float64Array;
  readonly runningVar: Float64Array;
  readonly momentum: number;
  readonly epsilon: number;
  private xc: Matrix | null = null;
  private xn: Matrix | null = null;
  private std: Float64Array | null = null;

  constructor(gamma: Float64Array, beta: Float64Array, options: BatchNormalizationOptions = {}) {
    if (gamma.length !== beta.length) {
      throw new Error(`BatchNormalization: gamma has ${gamma.length} numbers but beta has ${beta.length}`);
    }
    const momentum = options.momentum ?? 0.9;
    const epsilon = options.epsilon ?? 1e-7;
    if (!(momentum >= 0 && momentum < 1)) throw new Error(`BatchNormalization: momentum must be in [0, 1), got ${momentum}`);
    if (!(epsilon > 0)) throw new Error(`BatchNormalization: epsilon must be a positive number, got ${epsilon}`);
    this.gamma = gamma;
    this.beta = beta;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.dgamma = new Float64Array(gamma.length);
    this.dbeta = new Float64Array(gamma.length);
    this.runningMean = new Float64Array(gamma.length);
    this.runningVar = new Float64Array(gamma.length);
  }

  /** A layer for `units` units with γ = 1 and β = 0. */
  static ofSize(units: number, options: BatchNormalizationOptions = {}): BatchNormalization {
    if (!Number.isInteger(units) || units <= 0) throw new Error(`BatchNormalization: units must be a positive integer, got ${units}`);
    return new BatchNormalization(new Float64Array(units).fill(1), new Float64Array(units), options);
  }

  forward(x: Matrix, train = true): Matrix {
    const d = this.gamma.length;
    if (x.cols !== d) throw new Error(`BatchNormalization.forward: input is ${shapeText(x)} but the layer has ${d} units (columns)`);
    const n = x.rows;
    const out = new Matrix(n, d);
    if (!train) {
      for (let j = 0; j < d; j++) {
        const std = Math.sqrt(this.runningVar[j] + this.epsilon);
        for (let i = 0; i < n; i++) {
          const k = i * d + j;
          out.data[k] = this.gamma[j] * ((x.data[k] - this.runningMean[j]) / std) + this.beta[j];
        }
      }
      return out;
    }
    if (n === 0) throw new Error("BatchNormalization.forward: a training batch needs at least one row");
    const mean = new Float64Array(d);
    const variance = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x.data[i * d + j] / n;
    const xc = new Matrix(n, d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const c = x.data[i * d + j] - mean[j];
        xc.data[i * d + j] = c;
        variance[j] += (c * c) / n;
      }
    }
    const std = new Float64Array(d);
    for (let j = 0; j < d; j++) std[j] = Math.sqrt(variance[j] + this.epsilon);
    const xn = new Matrix(n, d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        xn.data[k] = xc.data[k] / std[j];
        out.data[k] = this.gamma[j] * xn.data[k] + this.beta[j];
      }
    }
    for (let j = 0; j < d; j++) {
      this.runningMean[j] = this.momentum * this.runningMean[j] + (1 - this.momentum) * mean[j];
      this.runningVar[j] = this.momentum * this.runningVar[j] + (1 - this.momentum) * variance[j];
    }
    this.xc = xc;
    this.xn = xn;
    this.std = std;
    return out;
  }

  /** Backward of the last training-mode forward pass. */
  backward(dout: Matrix): Matrix {
    const xc = this.xc, xn = this.xn, std = this.std;
    if (xc === null || xn === null || std === null) throw new Error("BatchNormalization.backward: call forward in training mode first");
    if (dout.rows !== xc.rows || dout.cols !== xc.cols) {
      throw new Error(`BatchNormalization.backward: dout is ${shapeText(dout)} but the forward output was ${shapeText(xc)}`);
    }
    const n = dout.rows, d = dout.cols;
    const dbeta = new Float64Array(d);
    const dgamma = new Float64Array(d);
    const dvar = new Float64Array(d); // ∂L/∂σ², through std = √(σ² + ε)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        dbeta[j] += dout.data[k];
        dgamma[j] += xn.data[k] * dout.data[k];
        const dxn = this.gamma[j] * dout.data[k];
        dvar[j] += (-dxn * xc.data[k]) / (std[j] * std[j]) * (0.5 / std[j]);
      }
    }
    const dxc = new Matrix(n, d);
    const dmu = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        const v = (this.gamma[j] * dout.data[k]) / std[j] + (2 / n) * xc.data[k] * dvar[j];
        dxc.data[k] = v;
        dmu[j] += v;
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) dxc.data[i * d + j] -= dmu[j] / n;
    this.dgamma = dgamma;
    this.dbeta = dbeta;
    return dxc;
  }
}
