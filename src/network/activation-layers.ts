/**
 * Activation layers (Saito §5.5), introduced in lesson 06 (sigmoid vs ReLU gradients) and used by
 * the networks of lessons 05–08.
 */

import { Matrix, assertSameShape } from "./matrix";
import { Layer } from "./layer";

/**
 * y = max(0, x) = x·[x > 0]; backward lets dout through where x > 0 and sends 0 elsewhere:
 * dx = dout·[x > 0]. The book keeps a mask of where x ≤ 0; the output itself tells the same thing
 * (y > 0 exactly where x > 0).
 *
 * The loops multiply by [x > 0] (written `+(v > 0)`, 1 or 0) instead of branching on the sign:
 * the signs of activations are random, and a mispredicted branch per number made this layer cost
 * as much as a matrix product. (`+ 0` turns the −0 of a negative x times 0 into 0. The
 * differences from the book: x = −∞ gives NaN, not 0, and so does an infinite or NaN dout where x ≤ 0.)
 */
export class Relu implements Layer {
  private out: Matrix | null = null;

  forward(x: Matrix): Matrix {
    const out = new Matrix(x.rows, x.cols);
    const xd = x.data, yd = out.data;
    for (let i = 0; i < xd.length; i++) {
      const v = xd[i];
      yd[i] = v * +(v > 0) + 0;
    }
    this.out = out;
    return out;
  }

  backward(dout: Matrix): Matrix {
    const y = this.out;
    if (y === null) throw new Error("Relu.backward: call forward first");
    assertSameShape("Relu.backward (dout vs forward output)", dout, y);
    const dx = new Matrix(dout.rows, dout.cols);
    const yd = y.data, dd = dout.data, dxd = dx.data;
    for (let i = 0; i < dd.length; i++) dxd[i] = dd[i] * +(yd[i] > 0) + 0;
    return dx;
  }
}

/** y = σ(x) = 1/(1 + e^(−x)); backward: dx = dout · y(1 − y), using the remembered output y. */
export class Sigmoid implements Layer {
  private out: Matrix | null = null;

  forward(x: Matrix): Matrix {
    const out = new Matrix(x.rows, x.cols);
    for (let i = 0; i < x.size; i++) out.data[i] = 1 / (1 + Math.exp(-x.data[i]));
    this.out = out;
    return out;
  }

  backward(dout: Matrix): Matrix {
    const y = this.out;
    if (y === null) throw new Error("Sigmoid.backward: call forward first");
    assertSameShape("Sigmoid.backward (dout vs forward output)", dout, y);
    const dx = new Matrix(dout.rows, dout.cols);
    for (let i = 0; i < dout.size; i++) dx.data[i] = dout.data[i] * y.data[i] * (1 - y.data[i]);
    return dx;
  }
}
