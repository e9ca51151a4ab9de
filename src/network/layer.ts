/**
 * What every layer of Saito ch. 5 promises (lesson 05): `forward` computes the output and remembers
 * what `backward` will need; `backward` takes ∂L/∂output and returns ∂L/∂input, storing the gradients
 * of its own parameters (if it has any) on the layer.
 */

import { Matrix } from "./matrix";

export interface Layer {
  /** `train` matters only to layers that behave differently while training (Dropout). */
  forward(x: Matrix, train?: boolean): Matrix;
  backward(dout: Matrix): Matrix;
}

/** A network's parameters (or their gradients) by name — `W1`, `b1`, … — as in Saito's `params` dict. */
export type Params = Record<string, Float64Array>;
