/**
 * The mini-batch training loop of Saito's ch. 6 experiments (ch06/overfit_weight_decay.py), introduced
 * in lesson 06 and taken apart in lesson 07:
 *
 *   repeat: pick batchSize training rows at random (with replacement, like np.random.choice),
 *           compute the gradient, let the optimizer update the parameters;
 *           after every (training rows / batchSize) iterations — "an epoch" — measure the accuracy
 *           on the whole training and test sets; stop after `epochs` measurements.
 *
 * Progress display is not done here: pass `onEpoch` to see each measurement as it is made.
 */

import { Matrix } from "./matrix";
import { Targets } from "./functions";
import { Params } from "./layer";
import { Optimizer } from "./optimizers";
import { Rng, defaultRng } from "./rng";
import { interruptible } from "../runtime/interrupt";

/** What `train` needs from a network (TwoLayerNet and MultiLayerNet have it). */
export interface Trainable {
  params: Params;
  gradient(x: Matrix, t: Targets): Params;
  accuracy(x: Matrix, t: Targets): number;
  lastLoss: number;
}

export interface EpochInfo {
  /** 1, 2, … epochs. */
  epoch: number;
  /** Iterations (parameter updates) done so far. */
  iteration: number;
  /** Loss of the last mini-batch. */
  loss: number;
  trainAccuracy: number;
  /** NaN when no test set was given. */
  testAccuracy: number;
  /** Seconds since training started. */
  seconds: number;
}

export interface TrainOptions {
  network: Trainable;
  xTrain: Matrix;
  tTrain: Targets;
  xTest?: Matrix;
  tTest?: Targets;
  optimizer: Optimizer;
  epochs: number;
  batchSize?: number;
  rng?: Rng;
  onEpoch?: (info: EpochInfo) => void;
}

export interface TrainHistory {
  /** The loss of every mini-batch. */
  loss: number[];
  trainAccuracy: number[];
  testAccuracy: number[];
}

export function train(options: TrainOptions): TrainHistory {
  const { network, xTrain, tTrain, xTest, tTest, optimizer, epochs, onEpoch } = options;
  const batchSize = options.batchSize ?? 100;
  const rng = options.rng ?? defaultRng;
  if (!Number.isInteger(epochs) || epochs <= 0) throw new Error(`train: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`train: batchSize must be a positive integer, got ${batchSize}`);
  if (xTrain.rows === 0) throw new Error("train: xTrain has no rows");
  const targetRows = tTrain instanceof Matrix ? tTrain.rows : tTrain.length;
  if (targetRows !== xTrain.rows) throw new Error(`train: xTrain has ${xTrain.rows} rows but tTrain has ${targetRows}`);
  if ((xTest === undefined) !== (tTest === undefined)) throw new Error("train: give both xTest and tTest, or neither");

  const iterPerEpoch = Math.max(xTrain.rows / batchSize, 1);
  const history: TrainHistory = { loss: [], trainAccuracy: [], testAccuracy: [] };
  const started = Date.now();
  let epoch = 0;
  let i = 0;
  // the stop button ends the loop at once (issue 19); the parameters keep their last update
  interruptible("train", () => `epoch ${epoch + 1}/${epochs}, iteration ${i + 1}`, () => {
  for (i = 0; ; i++) {
    const batch = rng.choice(xTrain.rows, batchSize);
    const tBatch = tTrain instanceof Matrix ? tTrain.pickRows(batch) : Array.from(batch, (r) => tTrain[r]);
    const grads = network.gradient(xTrain.pickRows(batch), tBatch);
    optimizer.update(network.params, grads);
    history.loss.push(network.lastLoss);
    if (i % iterPerEpoch === 0) {
      const trainAccuracy = network.accuracy(xTrain, tTrain);
      const testAccuracy = xTest !== undefined && tTest !== undefined ? network.accuracy(xTest, tTest) : NaN;
      history.trainAccuracy.push(trainAccuracy);
      history.testAccuracy.push(testAccuracy);
      epoch++;
      onEpoch?.({ epoch, iteration: i + 1, loss: network.lastLoss, trainAccuracy, testAccuracy, seconds: (Date.now() - started) / 1000 });
      if (epoch >= epochs) break;
    }
  }
  });
  return history;
}
