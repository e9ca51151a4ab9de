/**
 * The fully connected layer y = x·W + b (Saito §5.6.2), introduced in lesson 05.
 * Backward, for a batch x (N×in) and dout = ∂L/∂y (N×out):
 *   dx = dout·Wᵀ    dW = xᵀ·dout    db = Σ over the rows of dout
 * (the bias was added to every row, so its gradient collects every row's).
 */

import { Matrix, shapeText, sumRows } from "./matrix";
import { matmulBias, matmulTransA, matmulTransB } from "./matmul";
import { Layer } from "./layer";

export class Affine implements Layer {
  /** Weights, in×out. Updated in place by the optimizers. */
  readonly W: Matrix;
  /** Bias, one number per output. */
  readonly b: Float64Array;
  /** ∂L/∂W and ∂L/∂b from the last backward. */
  dW: Matrix;
  db: Float64Array;
  private x: Matrix | null = null;

  constructor(W: Matrix, b: Float64Array) {
    if (b.length !== W.cols) {
      throw new Error(`Affine: W is ${shapeText(W)} so b needs ${W.cols} numbers, got ${b.length}`);
    }
    this.W = W;
    this.b = b;
    this.dW = new Matrix(W.rows, W.cols);
    this.db = new Float64Array(b.length);
  }

  forward(x: Matrix): Matrix {
    if (x.cols !== this.W.rows) {
      throw new Error(`Affine.forward: input x is ${shapeText(x)} but W is ${shapeText(this.W)} (x needs ${this.W.rows} columns)`);
    }
    this.x = x;
    return matmulBias(x, this.W, this.b); // x·W + b
  }

  backward(dout: Matrix): Matrix {
    const x = this.x;
    if (x === null) throw new Error("Affine.backward: call forward first");
    if (dout.rows !== x.rows || dout.cols !== this.W.cols) {
      throw new Error(`Affine.backward: dout is ${shapeText(dout)} but the forward output was ${x.rows}×${this.W.cols}`);
    }
    this.dW = matmulTransA(x, dout); // xᵀ·dout
    this.db = sumRows(dout);
    return matmulTransB(dout, this.W); // dout·Wᵀ
  }
}
