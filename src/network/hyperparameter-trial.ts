/**
 * One short training run for trying hyperparameters (weight decay λ and the learning rate), judged on
 * validation data — Saito §6.5 (1st edition; 밑바닥부터 시작하는 딥러닝 §6.5), introduced in lesson 07,
 * whose "choose λ" exercise and random search run it.
 *
 * The network learns from the first 300 MNIST training images (the lesson's overfitting set) and is
 * judged on 1,000 *other training* images (numbers 300 … 1,299), split off as validation data: never
 * on the test data, which is kept for one final measurement (`test: true`). A two-layer network
 * 784 → 50 (ReLU, He init) → 10, plain SGD, mini-batches of 100 drawn at random, 100 epochs
 * (300 updates) by default. Everything is seeded, so the same options always give the same numbers.
 */
import { loadData } from "../data/mnist";
import { imagesToMatrix, labelsToArray } from "../data/to-matrix";
import { Matrix } from "./matrix";
import { MultiLayerNet } from "./multi-layer-net";
import { SGD } from "./optimizers";
import { Rng } from "./rng";
import { interruptible } from "../runtime/interrupt";

export interface HyperparameterTrialOptions {
  /** Weight-decay strength λ (default 0). */
  lambda?: number;
  /** Learning rate of SGD (default 0.1). */
  lr?: number;
  /** Default 100. */
  epochs?: number;
  /** Seed of the initial weights and the batches (default 1). */
  seed?: number;
  /** Also measure the accuracy on the first 1,000 test images — do this once, for the final choice. */
  test?: boolean;
}

export interface HyperparameterTrialResult {
  lambda: number;
  lr: number;
  trainAccuracy: number;
  validationAccuracy: number;
  /** trainAccuracy − validationAccuracy */
  gap: number;
  /** NaN unless the trial was run with `test: true`. */
  testAccuracy: number;
  seconds: number;
}

export const HYPERPARAMETER_TRIAL = {
  trainSamples: 300, validationSamples: 1000, testSamples: 1000, hidden: 50, lr: 0.1, batchSize: 100, epochs: 100,
} as const;

interface TrialData { xTrain: Matrix; tTrain: Int32Array; xValidation: Matrix; tValidation: Int32Array; xTest: Matrix; tTest: Int32Array }
let data: TrialData | null = null;

function trialData(): TrialData {
  if (data === null) {
    const { trainSamples, validationSamples, testSamples } = HYPERPARAMETER_TRIAL;
    const [[trainImages, trainLabels], [testImages, testLabels]] = loadData();
    const x = imagesToMatrix(trainImages, trainSamples + validationSamples);
    const t = labelsToArray(trainLabels, trainSamples + validationSamples);
    data = {
      xTrain: x.sliceRows(0, trainSamples),
      tTrain: t.slice(0, trainSamples),
      xValidation: x.sliceRows(trainSamples, trainSamples + validationSamples),
      tValidation: t.slice(trainSamples),
      xTest: imagesToMatrix(testImages, testSamples),
      tTest: labelsToArray(testLabels, testSamples),
    };
  }
  return data;
}

/** Trains the small network with the given λ and learning rate; reports train and validation accuracy. */
export function hyperparameterTrial(options: HyperparameterTrialOptions | number = {}): HyperparameterTrialResult {
  const opts = typeof options === "number" ? { lambda: options } : options;
  const lambda = opts.lambda ?? 0;
  const lr = opts.lr ?? HYPERPARAMETER_TRIAL.lr;
  const epochs = opts.epochs ?? HYPERPARAMETER_TRIAL.epochs;
  const seed = opts.seed ?? 1;
  if (!(typeof lambda === "number" && lambda >= 0 && Number.isFinite(lambda))) {
    throw new Error(`hyperparameterTrial: lambda must be a finite number ≥ 0, got ${String(lambda)}`);
  }
  if (!(typeof lr === "number" && lr > 0 && Number.isFinite(lr))) {
    throw new Error(`hyperparameterTrial: lr must be a finite number > 0, got ${String(lr)}`);
  }
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`hyperparameterTrial: epochs must be a positive integer, got ${epochs}`);
  const started = Date.now();
  const { xTrain, tTrain, xValidation, tValidation, xTest, tTest } = trialData();
  const rng = new Rng(seed);
  const network = new MultiLayerNet({ inputSize: 784, hiddenSizes: [HYPERPARAMETER_TRIAL.hidden], outputSize: 10, weightDecayLambda: lambda, rng });
  const optimizer = new SGD(lr);
  const iterations = (epochs * xTrain.rows) / HYPERPARAMETER_TRIAL.batchSize;
  let i = 0;
  // the stop button ends the loop at once (the kit's kernel; see src/runtime/interrupt.ts)
  interruptible(`hyperparameterTrial(λ = ${lambda}, lr = ${lr})`, () => `iteration ${i + 1} of ${iterations}`, () => {
    for (i = 0; i < iterations; i++) {
      const batch = rng.choice(xTrain.rows, HYPERPARAMETER_TRIAL.batchSize);
      const grads = network.gradient(xTrain.pickRows(batch), Array.from(batch, (r) => tTrain[r]));
      optimizer.update(network.params, grads);
    }
  });
  const trainAccuracy = network.accuracy(xTrain, tTrain);
  const validationAccuracy = network.accuracy(xValidation, tValidation);
  const testAccuracy = opts.test ? network.accuracy(xTest, tTest) : NaN;
  return {
    lambda, lr, trainAccuracy, validationAccuracy, gap: trainAccuracy - validationAccuracy, testAccuracy,
    seconds: (Date.now() - started) / 1000,
  };
}
