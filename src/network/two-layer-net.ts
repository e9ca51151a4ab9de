/**
 * Saito's two-layer network built from layers (§5.7): Affine → ReLU → Affine → SoftmaxWithLoss.
 * Introduced in lesson 05, where its backprop gradient is checked against the numerical gradient
 * (the book finds mean |difference| around 1e-10) and where the speed difference is felt.
 */

import { Matrix } from "./matrix";
import { Affine } from "./affine";
import { Relu, Sigmoid } from "./activation-layers";
import { SoftmaxWithLoss } from "./softmax-with-loss";
import { Targets, accuracyOf } from "./functions";
import { Layer, Params } from "./layer";
import { testScores } from "./test-scores";
import { numericalGradient } from "./numerical-gradient";
import { Rng, defaultRng } from "./rng";

export interface TwoLayerNetOptions {
  /** The hidden activation: "relu" (the book's chapter 5, the default) or "sigmoid" (chapter 4). */
  activation?: "relu" | "sigmoid";
  rng?: Rng;
}

export class TwoLayerNet {
  /** W1 (input×hidden), b1, W2 (hidden×output), b2 — the same arrays the layers use. */
  readonly params: Params;
  readonly layers: Layer[];
  readonly lastLayer = new SoftmaxWithLoss();
  /** The loss of the batch seen by the last `gradient` call. */
  lastLoss = NaN;
  private readonly affine1: Affine;
  private readonly affine2: Affine;

  constructor(inputSize: number, hiddenSize: number, outputSize: number, weightInitStd = 0.01, options: TwoLayerNetOptions = {}) {
    for (const [what, n] of [["inputSize", inputSize], ["hiddenSize", hiddenSize], ["outputSize", outputSize]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`TwoLayerNet: ${what} must be a positive integer, got ${n}`);
    }
    const rng = options.rng ?? defaultRng;
    const W1 = new Matrix(inputSize, hiddenSize, rng.normalArray(inputSize * hiddenSize, weightInitStd));
    const b1 = new Float64Array(hiddenSize);
    const W2 = new Matrix(hiddenSize, outputSize, rng.normalArray(hiddenSize * outputSize, weightInitStd));
    const b2 = new Float64Array(outputSize);
    this.params = { W1: W1.data, b1, W2: W2.data, b2 };
    this.affine1 = new Affine(W1, b1);
    this.affine2 = new Affine(W2, b2);
    const activation = options.activation ?? "relu";
    if (activation !== "relu" && activation !== "sigmoid") {
      throw new Error(`TwoLayerNet: activation must be "relu" or "sigmoid", got ${String(activation)}`);
    }
    this.layers = [this.affine1, activation === "relu" ? new Relu() : new Sigmoid(), this.affine2];
  }

  /** The scores (before softmax) for each row of x. */
  predict(x: Matrix): Matrix {
    for (const layer of this.layers) x = layer.forward(x);
    return x;
  }

  loss(x: Matrix, t: Targets): number {
    return this.lastLayer.forward(this.predict(x), t);
  }

  /** The fraction of rows whose highest score is the right class. */
  accuracy(x: Matrix, t: Targets): number {
    const scores = testScores(this.layers, x); // predict(x)
    return accuracyOf(scores, t);
  }

  /** ∂loss/∂parameter for every parameter by central differences — slow on purpose (lesson 05). */
  numericalGradient(x: Matrix, t: Targets): Params {
    const lossOfW = (): number => this.loss(x, t);
    const grads: Params = {};
    for (const key of Object.keys(this.params)) grads[key] = numericalGradient(lossOfW, this.params[key]);
    return grads;
  }

  /** ∂loss/∂parameter for every parameter by backpropagation. */
  gradient(x: Matrix, t: Targets): Params {
    this.lastLoss = this.loss(x, t);
    let dout = this.lastLayer.backward(1);
    for (let i = this.layers.length - 1; i >= 0; i--) dout = this.layers[i].backward(dout);
    return { W1: this.affine1.dW.data, b1: this.affine1.db, W2: this.affine2.dW.data, b2: this.affine2.db };
  }
}
