/**
 * Chollet §2.5 "Looking back at our first example", re-implemented from scratch — introduced in
 * lesson 08 ("Losses, optimizers and the training loop"). The same two-layer MNIST model as
 * the first lesson's, but with every piece Keras hid written out:
 *
 *   NaiveDense       output = activation(dot(input, W) + b), W ~ uniform(0, 0.1), b = 0
 *   NaiveSequential  calls its layers one after another; `weights` lists all their variables
 *   BatchGenerator   hands out the data batch after batch (the last batch may be shorter)
 *
 * The training step (tape, gradients, SGD update) and the fit loop stay in the notebook, where the
 * student reads them; they only need `call` and `weights` from here.
 */
import * as tf from "@tensorflow/tfjs";
import { batchCount } from "../data/batches";

export type Activation = (x: tf.Tensor) => tf.Tensor;

function positiveInteger(fn: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`naive-keras.ts ${fn}: ${what} must be a positive integer, got ${n}`);
}

/** A Dense layer as two tf.Variables and a function: `activation(matMul(x, W) + b)`. */
export class NaiveDense {
  readonly W: tf.Variable;
  readonly b: tf.Variable;
  readonly activation: Activation;

  /** `seed` makes the uniform initial weights reproducible. */
  constructor(inputSize: number, outputSize: number, activation: Activation, seed?: number) {
    positiveInteger("NaiveDense", "inputSize", inputSize);
    positiveInteger("NaiveDense", "outputSize", outputSize);
    if (typeof activation !== "function") throw new Error("naive-keras.ts NaiveDense: activation must be a function, e.g. tf.relu");
    this.W = tf.variable(tf.randomUniform([inputSize, outputSize], 0, 0.1, "float32", seed));
    this.b = tf.variable(tf.zeros([outputSize]));
    this.activation = activation;
  }

  /** The forward pass for a batch of rows (shape [batch, inputSize]). */
  call(inputs: tf.Tensor): tf.Tensor {
    if (inputs.rank !== 2 || inputs.shape[1] !== this.W.shape[0]) {
      throw new Error(`naive-keras.ts NaiveDense.call: inputs have shape [${inputs.shape.join(", ")}] but the layer needs [batch, ${this.W.shape[0]}]`);
    }
    return tf.tidy(() => this.activation(tf.add(tf.matMul(inputs, this.W), this.b)));
  }

  /** [W, b] — what the optimizer updates. */
  get weights(): tf.Variable[] {
    return [this.W, this.b];
  }
}

/** Layers chained: the output of each is the input of the next. */
export class NaiveSequential {
  readonly layers: NaiveDense[];

  constructor(layers: NaiveDense[]) {
    if (!Array.isArray(layers) || layers.length === 0) throw new Error("naive-keras.ts NaiveSequential: give a non-empty array of layers");
    this.layers = layers;
  }

  call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.layers.reduce((x, layer) => layer.call(x), inputs));
  }

  /** Every layer's weights, in order: [W1, b1, W2, b2, …]. */
  get weights(): tf.Variable[] {
    return this.layers.flatMap((layer) => layer.weights);
  }

  /** Number of trainable numbers (784·512 + 512 + 512·10 + 10 = 407,050 for the MNIST model). */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }
}

/** One batch: `batchSize` images (rows) and their labels — fewer in the last batch. */
export interface Batch {
  images: tf.Tensor2D;
  labels: tf.Tensor1D;
}

/**
 * Hands out consecutive batches of (images, labels), as Chollet's `BatchGenerator`:
 * `numBatches = ceil(samples / batchSize)`; after the last batch it starts again from the first.
 * Like Chollet's, which slices NumPy arrays in host memory, it reads the data out of the tensors
 * once and makes each batch from a contiguous piece of that copy — about 0.1 ms per batch. (Cutting
 * the tensors instead is slow on stock tfjs's WASM backend: its slice kernel, in tfjs 4.22, copies the
 * whole source tensor out of WebAssembly memory on every call — 188 MB for MNIST. The kit's
 * copy-fix.ts repairs that kernel, but the generator does not depend on it.)
 * The caller disposes each batch's tensors.
 */
export class BatchGenerator {
  readonly batchSize: number;
  readonly numBatches: number;
  readonly samples: number;
  /** Numbers per sample (784 for flattened MNIST images). */
  readonly features: number;
  /** Where the next batch starts. */
  index = 0;
  private readonly imageData: tf.TypedArray;
  private readonly labelData: tf.TypedArray;
  private readonly imageDtype: tf.DataType;
  private readonly labelDtype: tf.DataType;

  constructor(images: tf.Tensor2D, labels: tf.Tensor1D, batchSize = 128) {
    if (!(images instanceof tf.Tensor) || images.rank !== 2) throw new Error("naive-keras.ts BatchGenerator: images must be a rank-2 tensor [samples, features]");
    if (!(labels instanceof tf.Tensor) || labels.rank !== 1) throw new Error("naive-keras.ts BatchGenerator: labels must be a rank-1 tensor [samples]");
    if (images.shape[0] !== labels.shape[0]) {
      throw new Error(`naive-keras.ts BatchGenerator: ${images.shape[0]} images but ${labels.shape[0]} labels`);
    }
    positiveInteger("BatchGenerator", "batchSize", batchSize);
    if (images.shape[0] === 0) throw new Error("naive-keras.ts BatchGenerator: there are no samples");
    this.samples = images.shape[0];
    this.features = images.shape[1];
    this.imageData = images.dataSync() as tf.TypedArray;
    this.labelData = labels.dataSync() as tf.TypedArray;
    this.imageDtype = images.dtype;
    this.labelDtype = labels.dtype;
    this.batchSize = batchSize;
    this.numBatches = batchCount(this.samples, batchSize);
  }

  next(): Batch {
    const start = this.index;
    const size = Math.min(this.batchSize, this.samples - start);
    const batch: Batch = {
      images: tf.tensor2d(this.imageData.subarray(start * this.features, (start + size) * this.features), [size, this.features], this.imageDtype as "float32"),
      labels: tf.tensor1d(this.labelData.subarray(start, start + size), this.labelDtype as "float32"),
    };
    this.index += size;
    if (this.index >= this.samples) this.index = 0;
    return batch;
  }
}
