/**
 * Exercises of lesson 01 ("A first look at a neural network", Chollet §2.1): counting the
 * training steps of `fit`, and reading a prediction as the class of highest probability.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { defineExercise } from "./cases";

/** Mini-batch arithmetic of `model.fit(x, y, { epochs, batchSize })`. */
export interface StepsPerEpochFunctions {
  /** Batches (= gradient updates) in one pass over `samples` samples; the last may be smaller. */
  stepsPerEpoch(samples: number, batchSize: number): number;
  /** Samples in the last batch of an epoch. */
  lastBatchSize(samples: number, batchSize: number): number;
  /** Gradient updates in `epochs` passes. */
  totalUpdates(samples: number, batchSize: number, epochs: number): number;
}

export const stepsPerEpochExercise = defineExercise<StepsPerEpochFunctions>({
  id: "steps-per-epoch",
  lesson: "01-first-look",
  title: "Steps per epoch, the last batch, and total updates",
  points: 3,
  cases: (call) => [
    call("stepsPerEpoch", [60000, 128], 469, {
      hint: "60000 / 128 = 468.75: the 96 samples left over still make one (smaller) batch, so round up (Math.ceil).",
    }),
    call("lastBatchSize", [60000, 128], 96, {
      hint: "The full batches hold (steps − 1) × batchSize samples; the last batch gets what is left.",
    }),
    call("totalUpdates", [60000, 128, 5], 2345, { hint: "One gradient update per step: steps per epoch × epochs." }),
    call("stepsPerEpoch", [1024, 128], 8, { hint: "1024 is a multiple of 128: no extra, partial batch." }),
    call("lastBatchSize", [1024, 128], 128, {
      hint: "When the batches divide the samples evenly, the last batch is a full one (1024 % 128 is 0, but the batch is not empty).",
    }),
    call("stepsPerEpoch", [10000, 128], 79, { hidden: true }),
    call("lastBatchSize", [10000, 128], 16, { hidden: true }),
    call("stepsPerEpoch", [50, 128], 1, { hidden: true, hint: "A batch larger than the dataset: one step with every sample." }),
    call("lastBatchSize", [50, 128], 50, { hidden: true, hint: "A batch larger than the dataset holds all the samples." }),
    call("totalUpdates", [300, 32, 20], 200, { hidden: true }),
    call("totalUpdates", [1024, 128, 1], 8, { hidden: true }),
  ],
});

/** Reading a prediction: the class with the highest probability (argmax). */
export interface PredictedClassFunctions {
  /** Index of the largest value; on a tie the first such index, like `tf.argMax`. */
  predictedClass(probabilities: number[]): number;
}

export const predictedClassExercise = defineExercise<PredictedClassFunctions>({
  id: "predicted-class",
  lesson: "01-first-look",
  title: "The predicted class of a probability vector",
  points: 2,
  cases: (call) => [
    call("predictedClass", [[0.1, 0.7, 0.2]], 1, { hint: "Return the index of the largest probability, not the probability itself." }),
    call("predictedClass", [[0.0, 0.0, 0.0001, 0.0003, 0.0, 0.0, 0.0, 0.9995, 0.0, 0.0001]], 7),
    call("predictedClass", [[0.2, 0.3, 0.5]], 2, { hint: "The largest can be the last one: does your loop reach the last index?" }),
    call("predictedClass", [[0.4, 0.4, 0.2]], 0, { hint: "On a tie, return the first of the largest (as tf.argMax does): replace only on a strictly larger value." }),
    call("predictedClass", [[0.9, 0.05, 0.05]], 0, { hidden: true }),
    call("predictedClass", [[-2, -0.5, -1]], 1, { hidden: true, hint: "Scores can be negative: start from the first value, not from 0." }),
    call("predictedClass", [[1]], 0, { hidden: true }),
    call("predictedClass", [[0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.91]], 9, { hidden: true }),
  ],
});
