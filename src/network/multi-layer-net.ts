/**
 * A fully connected network of any depth (Saito's common/multi_layer_net_extend.py):
 * [Affine → (BatchNormalization) → activation → (Dropout)] × hidden layers → Affine → SoftmaxWithLoss.
 *
 * Introduced in lesson 06 (a 10×100 stack to watch activations and gradients per layer with sigmoid
 * vs ReLU and with different initial weights) and used in lesson 07 (overfitting 300 MNIST images,
 * then weight decay and dropout against it; `useBatchNorm` for the batch-normalization experiment).
 *
 * Weight decay adds ½λ Σ‖W‖² over every weight matrix to the loss, hence λW to each weight gradient.
 */

import { Matrix } from "./matrix";
import { Affine } from "./affine";
import { Relu, Sigmoid } from "./activation-layers";
import { Dropout } from "./dropout";
import { BatchNormalization } from "./batch-normalization";
import { SoftmaxWithLoss } from "./softmax-with-loss";
import { Targets, accuracyOf } from "./functions";
import { Layer, Params } from "./layer";
import { numericalGradient } from "./numerical-gradient";
import { Rng, defaultRng } from "./rng";
import { testScores } from "./test-scores";

export interface MultiLayerNetOptions {
  inputSize: number;
  /** Neurons in each hidden layer, e.g. [100, 100, 100, 100, 100, 100]. */
  hiddenSizes: number[];
  outputSize: number;
  activation?: "relu" | "sigmoid";
  /**
   * Standard deviation of the initial weights: "he" (alias "relu") = √(2/n), "xavier" (alias
   * "sigmoid") = √(1/n), with n the number of inputs of the layer, or a fixed number such as 0.01.
   * Default "he". Biases start at 0.
   */
  weightInit?: "he" | "relu" | "xavier" | "sigmoid" | number;
  /** λ of weight decay (0 = none). */
  weightDecayLambda?: number;
  useDropout?: boolean;
  /** Probability of dropping a neuron while training (default 0.5). */
  dropoutRatio?: number;
  /**
   * A BatchNormalization layer between each hidden Affine and its activation (Saito §6.3), with
   * parameters gamma1, beta1, gamma2, … (γ = 1, β = 0 at the start; not weight-decayed).
   */
  useBatchNorm?: boolean;
  /** Draws the initial weights and the dropout masks. */
  rng?: Rng;
}

export class MultiLayerNet {
  /** W1, b1, W2, b2, … — the same arrays the Affine layers use, updated in place by optimizers. */
  readonly params: Params = {};
  /** Every layer in order, including activations and dropouts (not the final SoftmaxWithLoss). */
  readonly layers: Layer[] = [];
  readonly affineLayers: Affine[] = [];
  readonly activationLayers: Layer[] = [];
  /** The BatchNormalization layers, one per hidden layer (empty without `useBatchNorm`). */
  readonly batchNormLayers: BatchNormalization[] = [];
  readonly lastLayer = new SoftmaxWithLoss();
  readonly weightDecayLambda: number;
  /** Outputs of each hidden activation layer in the last forward pass (lesson 06's histograms). */
  activations: Matrix[] = [];
  /** ∂L/∂(output of each hidden activation layer) from the last `gradient` call (lesson 06). */
  activationGradients: Matrix[] = [];
  /** The loss of the batch seen by the last `gradient` call. */
  lastLoss = NaN;
  private readonly rng: Rng;

  constructor(options: MultiLayerNetOptions) {
    const { inputSize, hiddenSizes, outputSize } = options;
    const sizes = [inputSize, ...(hiddenSizes ?? []), outputSize];
    sizes.forEach((n, i) => {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`MultiLayerNet: layer size ${i} (${describe(i, sizes.length)}) must be a positive integer, got ${n}`);
    });
    const activation = options.activation ?? "relu";
    if (activation !== "relu" && activation !== "sigmoid") {
      throw new Error(`MultiLayerNet: activation must be "relu" or "sigmoid", got ${String(activation)}`);
    }
    const weightInit = options.weightInit ?? "he";
    const lambda = options.weightDecayLambda ?? 0;
    if (!(lambda >= 0)) throw new Error(`MultiLayerNet: weightDecayLambda must be ≥ 0, got ${lambda}`);
    this.weightDecayLambda = lambda;
    this.rng = options.rng ?? defaultRng;

    for (let idx = 1; idx < sizes.length; idx++) {
      const fanIn = sizes[idx - 1];
      const std = initialStd(weightInit, fanIn);
      const W = new Matrix(fanIn, sizes[idx], this.rng.normalArray(fanIn * sizes[idx], std));
      const b = new Float64Array(sizes[idx]);
      this.params[`W${idx}`] = W.data;
      this.params[`b${idx}`] = b;
      const affine = new Affine(W, b);
      this.affineLayers.push(affine);
      this.layers.push(affine);
      if (idx < sizes.length - 1) {
        if (options.useBatchNorm) {
          const bn = BatchNormalization.ofSize(sizes[idx]);
          this.params[`gamma${idx}`] = bn.gamma;
          this.params[`beta${idx}`] = bn.beta;
          this.batchNormLayers.push(bn);
          this.layers.push(bn);
        }
        const act = activation === "relu" ? new Relu() : new Sigmoid();
        this.activationLayers.push(act);
        this.layers.push(act);
        if (options.useDropout) this.layers.push(new Dropout(options.dropoutRatio ?? 0.5, this.rng));
      }
    }
  }

  /** Scores for each row of x; `train` switches dropout on. Records `activations`. */
  predict(x: Matrix, train = false): Matrix {
    const activations: Matrix[] = [];
    for (const layer of this.layers) {
      x = layer.forward(x, train);
      if (this.activationLayers.includes(layer)) activations.push(x);
    }
    this.activations = activations;
    return x;
  }

  /** Cross-entropy loss plus the weight decay ½λ Σ‖W‖². */
  loss(x: Matrix, t: Targets, train = false): number {
    const y = this.predict(x, train);
    let decay = 0;
    if (this.weightDecayLambda > 0) {
      for (const affine of this.affineLayers) {
        let sq = 0;
        for (const w of affine.W.data) sq += w * w;
        decay += 0.5 * this.weightDecayLambda * sq;
      }
    }
    return this.lastLayer.forward(y, t) + decay;
  }

  /** The fraction of rows whose highest score is the right class (test mode: dropout off). */
  accuracy(x: Matrix, t: Targets): number {
    const scores = testScores(this.layers, x); // predict(x), without recording the activations
    return accuracyOf(scores, t);
  }

  /** Backpropagation (training mode: dropout on). Weight gradients include λW. */
  gradient(x: Matrix, t: Targets): Params {
    this.lastLoss = this.loss(x, t, true);
    let dout = this.lastLayer.backward(1);
    const activationGradients: Matrix[] = [];
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      if (this.activationLayers.includes(layer)) activationGradients.unshift(dout);
      dout = layer.backward(dout);
    }
    this.activationGradients = activationGradients;
    const grads: Params = {};
    this.affineLayers.forEach((affine, i) => {
      const dW = affine.dW.data;
      if (this.weightDecayLambda > 0) {
        const W = affine.W.data;
        for (let k = 0; k < dW.length; k++) dW[k] += this.weightDecayLambda * W[k];
      }
      grads[`W${i + 1}`] = dW;
      grads[`b${i + 1}`] = affine.db;
    });
    this.batchNormLayers.forEach((bn, i) => {
      grads[`gamma${i + 1}`] = bn.dgamma;
      grads[`beta${i + 1}`] = bn.dbeta;
    });
    return grads;
  }

  /**
   * The same gradient by central differences (training mode). The dropout masks are kept identical
   * across all the nudged forward passes — and the next `gradient` call — by rewinding the random
   * generator before each one, so the two gradients can be compared.
   */
  numericalGradient(x: Matrix, t: Targets): Params {
    const start = this.rng.saveState();
    const lossOfW = (): number => {
      this.rng.restoreState(start);
      return this.loss(x, t, true);
    };
    const grads: Params = {};
    for (const key of Object.keys(this.params)) grads[key] = numericalGradient(lossOfW, this.params[key]);
    this.rng.restoreState(start);
    return grads;
  }
}

function initialStd(weightInit: MultiLayerNetOptions["weightInit"], fanIn: number): number {
  if (typeof weightInit === "number") {
    if (!(weightInit >= 0) || !Number.isFinite(weightInit)) throw new Error(`MultiLayerNet: weightInit must be ≥ 0, got ${weightInit}`);
    return weightInit;
  }
  if (weightInit === "he" || weightInit === "relu") return Math.sqrt(2 / fanIn);
  if (weightInit === "xavier" || weightInit === "sigmoid") return Math.sqrt(1 / fanIn);
  throw new Error(`MultiLayerNet: weightInit must be "he", "xavier" or a number, got ${String(weightInit)}`);
}

function describe(i: number, n: number): string {
  return i === 0 ? "inputSize" : i === n - 1 ? "outputSize" : `hiddenSizes[${i - 1}]`;
}
