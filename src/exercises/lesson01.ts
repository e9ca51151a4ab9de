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
  title: { en: "Steps per epoch, the last batch, and total updates", ko: "에포크당 스텝 수, 마지막 배치, 전체 업데이트 횟수" },
  points: 3,
  cases: (call) => [
    call("stepsPerEpoch", [60000, 128], 469, {
      hint: {
        en: "60000 / 128 = 468.75: the 96 samples left over still make one (smaller) batch, so round up (Math.ceil).",
        ko: "60000 / 128 = 468.75입니다. 남는 샘플 96개도 (더 작은) 배치 하나가 되므로 올림합니다(Math.ceil).",
      },
    }),
    call("lastBatchSize", [60000, 128], 96, {
      hint: {
        en: "The full batches hold (steps − 1) × batchSize samples; the last batch gets what is left.",
        ko: "꽉 찬 배치들에 (스텝 수 − 1) × batchSize개의 샘플이 들어가고, 마지막 배치에는 남은 샘플이 들어갑니다.",
      },
    }),
    call("totalUpdates", [60000, 128, 5], 2345, {
      hint: {
        en: "One gradient update per step: steps per epoch × epochs.",
        ko: "스텝마다 그레이디언트 업데이트가 한 번 일어납니다: 에포크당 스텝 수 × 에포크 수.",
      },
    }),
    call("stepsPerEpoch", [1024, 128], 8, {
      hint: {
        en: "1024 is a multiple of 128: no extra, partial batch.",
        ko: "1024는 128의 배수이므로 일부만 찬 배치가 따로 생기지 않습니다.",
      },
    }),
    call("lastBatchSize", [1024, 128], 128, {
      hint: {
        en: "When the batches divide the samples evenly, the last batch is a full one (1024 % 128 is 0, but the batch is not empty).",
        ko: "샘플 수가 배치 크기로 나누어떨어지면 마지막 배치도 꽉 찬 배치입니다(1024 % 128은 0이지만 배치가 비어 있지는 않습니다).",
      },
    }),
    call("stepsPerEpoch", [10000, 128], 79, { hidden: true }),
    call("lastBatchSize", [10000, 128], 16, { hidden: true }),
    call("stepsPerEpoch", [50, 128], 1, { hidden: true, hint: { en: "A batch larger than the dataset: one step with every sample.", ko: "배치가 데이터셋보다 크면 모든 샘플로 한 스텝을 진행합니다." } }),
    call("lastBatchSize", [50, 128], 50, { hidden: true, hint: { en: "A batch larger than the dataset holds all the samples.", ko: "배치가 데이터셋보다 크면 그 배치에 모든 샘플이 들어갑니다." } }),
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
  title: { en: "The predicted class of a probability vector", ko: "확률 벡터가 예측하는 클래스" },
  points: 2,
  cases: (call) => [
    call("predictedClass", [[0.1, 0.7, 0.2]], 1, {
      hint: {
        en: "Return the index of the largest probability, not the probability itself.",
        ko: "가장 큰 확률 값이 아니라 그 값의 인덱스를 반환하세요.",
      },
    }),
    call("predictedClass", [[0.0, 0.0, 0.0001, 0.0003, 0.0, 0.0, 0.0, 0.9995, 0.0, 0.0001]], 7),
    call("predictedClass", [[0.2, 0.3, 0.5]], 2, {
      hint: {
        en: "The largest can be the last one: does your loop reach the last index?",
        ko: "가장 큰 값이 맨 끝에 있을 수도 있습니다. 반복문이 마지막 인덱스까지 도나요?",
      },
    }),
    call("predictedClass", [[0.4, 0.4, 0.2]], 0, {
      hint: {
        en: "On a tie, return the first of the largest (as tf.argMax does): replace only on a strictly larger value.",
        ko: "가장 큰 값이 여러 개이면 (tf.argMax처럼) 그중 첫 번째를 반환합니다. 지금까지의 값보다 엄격히 클 때만 바꾸세요.",
      },
    }),
    call("predictedClass", [[0.9, 0.05, 0.05]], 0, { hidden: true }),
    call("predictedClass", [[-2, -0.5, -1]], 1, { hidden: true, hint: { en: "Scores can be negative: start from the first value, not from 0.", ko: "점수는 음수일 수도 있습니다. 0이 아니라 첫 번째 값에서 시작하세요." } }),
    call("predictedClass", [[1]], 0, { hidden: true }),
    call("predictedClass", [[0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.91]], 9, { hidden: true }),
  ],
});
