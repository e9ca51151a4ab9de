/**
 * Dropout (Saito §6.4.3), introduced in lesson 07: while training, each neuron is switched off with
 * probability `ratio` (a new random mask every forward pass); at test time every neuron stays on and
 * the output is scaled by (1 − ratio), so it matches the average seen in training.
 * Backward lets dout through exactly where the mask let x through.
 */

import { Matrix, assertSameShape } from "./matrix";
import { Layer } from "./layer";
import { Rng, defaultRng } from "./rng";

export class Dropout implements Layer {
  readonly ratio: number;
  private readonly rng: Rng;
  /** 1 where the neuron was kept in the last training forward pass. */
  mask: Uint8Array | null = null;
  private shape: Matrix | null = null;

  constructor(ratio = 0.5, rng: Rng = defaultRng) {
    if (!(ratio >= 0 && ratio < 1)) throw new Error(`Dropout: ratio must be in [0, 1), got ${ratio}`);
    this.ratio = ratio;
    this.rng = rng;
  }

  forward(x: Matrix, train = true): Matrix {
    const out = new Matrix(x.rows, x.cols);
    if (train) {
      const mask = new Uint8Array(x.size);
      for (let i = 0; i < x.size; i++) {
        if (this.rng.random() > this.ratio) {
          mask[i] = 1;
          out.data[i] = x.data[i];
        }
      }
      this.mask = mask;
    } else {
      const keep = 1 - this.ratio;
      for (let i = 0; i < x.size; i++) out.data[i] = x.data[i] * keep;
      this.mask = null;
    }
    this.shape = out;
    return out;
  }

  backward(dout: Matrix): Matrix {
    if (this.shape === null) throw new Error("Dropout.backward: call forward first");
    assertSameShape("Dropout.backward (dout vs forward output)", dout, this.shape);
    const dx = new Matrix(dout.rows, dout.cols);
    if (this.mask === null) {
      const keep = 1 - this.ratio; // backward after a test-mode forward: y = keep·x
      for (let i = 0; i < dout.size; i++) dx.data[i] = dout.data[i] * keep;
    } else {
      for (let i = 0; i < dout.size; i++) if (this.mask[i] === 1) dx.data[i] = dout.data[i];
    }
    return dx;
  }
}
