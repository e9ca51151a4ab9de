/**
 * A small, fast version of the overfitting experiment of lesson 06 ("Overfitting on 300 samples",
 * Saito §6.4), for trying many weight-decay strengths λ in a few seconds each — the "choose λ"
 * exercise of that lesson runs it too.
 *
 * The first 300 MNIST training images, a two-layer network 784 → 50 (ReLU, He init) → 10, plain
 * SGD with learning rate 0.1, mini-batches of 100 drawn at random, 100 epochs (300 updates); then
 * the accuracy on the 300 training images and on the first 1,000 test images. Everything is seeded,
 * so the same λ always gives the same numbers.
 */
import { loadData } from "../data/mnist";
import { imagesToMatrix, labelsToArray } from "../data/to-matrix";
import { Matrix } from "./matrix";
import { MultiLayerNet } from "./multi-layer-net";
import { SGD } from "./optimizers";
import { Rng } from "./rng";
import { interruptible } from "../runtime/interrupt";

export interface QuickOverfitOptions {
  /** Weight-decay strength λ (default 0). */
  lambda?: number;
  /** Default 100. */
  epochs?: number;
  /** Seed of the initial weights and the batches (default 1). */
  seed?: number;
}

export interface QuickOverfitResult {
  lambda: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** trainAccuracy − testAccuracy */
  gap: number;
  seconds: number;
}

export const QUICK_OVERFIT = { trainSamples: 300, testSamples: 1000, hidden: 50, lr: 0.1, batchSize: 100 } as const;

let data: { xTrain: Matrix; tTrain: Int32Array; xTest: Matrix; tTest: Int32Array } | null = null;

function quickData(): NonNullable<typeof data> {
  if (data === null) {
    const [[trainImages, trainLabels], [testImages, testLabels]] = loadData();
    data = {
      xTrain: imagesToMatrix(trainImages, QUICK_OVERFIT.trainSamples),
      tTrain: labelsToArray(trainLabels, QUICK_OVERFIT.trainSamples),
      xTest: imagesToMatrix(testImages, QUICK_OVERFIT.testSamples),
      tTest: labelsToArray(testLabels, QUICK_OVERFIT.testSamples),
    };
  }
  return data;
}

/** Trains the small network with weight decay λ and reports train and test accuracy and their gap. */
export function quickOverfit(options: QuickOverfitOptions | number = {}): QuickOverfitResult {
  const opts = typeof options === "number" ? { lambda: options } : options;
  const lambda = opts.lambda ?? 0;
  const epochs = opts.epochs ?? 100;
  const seed = opts.seed ?? 1;
  if (!(typeof lambda === "number" && lambda >= 0 && Number.isFinite(lambda))) {
    throw new Error(`quickOverfit: lambda must be a finite number ≥ 0, got ${String(lambda)}`);
  }
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`quickOverfit: epochs must be a positive integer, got ${epochs}`);
  const started = Date.now();
  const { xTrain, tTrain, xTest, tTest } = quickData();
  const rng = new Rng(seed);
  const network = new MultiLayerNet({ inputSize: 784, hiddenSizes: [QUICK_OVERFIT.hidden], outputSize: 10, weightDecayLambda: lambda, rng });
  const optimizer = new SGD(QUICK_OVERFIT.lr);
  const iterations = (epochs * QUICK_OVERFIT.trainSamples) / QUICK_OVERFIT.batchSize;
  let i = 0;
  // the stop button ends the loop at once (issue 19)
  interruptible(`quickOverfit(${lambda})`, () => `iteration ${i + 1} of ${iterations}`, () => {
    for (i = 0; i < iterations; i++) {
      const batch = rng.choice(xTrain.rows, QUICK_OVERFIT.batchSize);
      const grads = network.gradient(xTrain.pickRows(batch), Array.from(batch, (r) => tTrain[r]));
      optimizer.update(network.params, grads);
    }
  });
  const trainAccuracy = network.accuracy(xTrain, tTrain);
  const testAccuracy = network.accuracy(xTest, tTest);
  return { lambda, trainAccuracy, testAccuracy, gap: trainAccuracy - testAccuracy, seconds: (Date.now() - started) / 1000 };
}
