/**
 * Exercises of lesson 02 ("Tensors: rank, shape and dtype", Chollet §2.2): the shape of nested
 * arrays, batches along the sample axis, and cropping a batch of images.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import type * as tf from "@tensorflow/tfjs";
import { defineExercise } from "./cases";
import { tensorCase, throwsCase, type TensorSpec } from "./tensor-throws-cases";

const LESSON = "02-tensors";

/** Rank and shape of plain nested arrays, as `tf.tensor(x)` would infer them. */
export interface ShapeOfFunctions {
  /** The shape of a number (`[]`) or of nested arrays of numbers; throws if they are ragged. */
  shapeOf(x: unknown): number[];
}

const ragged = {
  en: "A ragged array is not a tensor: every element along an axis must have the same shape.",
  ko: "들쭉날쭉한 배열은 텐서가 아닙니다: 한 축을 따라 놓인 원소는 모두 크기가 같아야 합니다.",
};

export const shapeOfExercise = defineExercise<ShapeOfFunctions>({
  id: "shape-of",
  lesson: LESSON,
  title: { en: "The shape (and so the rank) of nested arrays", ko: "중첩 배열의 크기(와 랭크)" },
  points: 3,
  cases: (call) => [
    call("shapeOf", [12], [], { hint: { en: "A lone number is a scalar: rank 0, shape [].", ko: "숫자 하나는 스칼라입니다: 랭크 0, 크기 []." } }),
    call("shapeOf", [[12, 3, 6, 14, 7]], [5], {
      hint: {
        en: "One axis with 5 entries: a 5-dimensional vector, but a rank-1 tensor.",
        ko: "원소가 5개인 축 하나: 5차원 벡터이지만 랭크-1 텐서입니다.",
      },
    }),
    call("shapeOf", [[[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]]], [3, 5], {
      hint: { en: "The outer array has 3 rows; each row has 5 entries.", ko: "바깥 배열에는 행이 3개 있고, 행마다 원소가 5개 있습니다." },
    }),
    call(
      "shapeOf",
      [[
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
      ]],
      [3, 3, 5],
      { hint: { en: "Each level of nesting is one axis; its length is that axis's size.", ko: "중첩 단계 하나가 축 하나이고, 그 단계의 길이가 그 축의 크기입니다." } },
    ),
    throwsCase(call, "shapeOf", [[[1, 2], [3]]], [], { hint: ragged }),
    call("shapeOf", [[]], [0], { hidden: true, hint: { en: "An empty array is a vector with 0 entries.", ko: "빈 배열은 원소가 0개인 벡터입니다." } }),
    call("shapeOf", [[[], []]], [2, 0], { hidden: true }),
    call("shapeOf", [[[[[7]]]]], [1, 1, 1, 1], { hidden: true, hint: { en: "Count every level of nesting, even of length 1.", ko: "길이가 1인 단계까지 중첩 단계를 빠짐없이 세세요." } }),
    call("shapeOf", [[[[1, 2, 3]], [[4, 5, 6]]]], [2, 1, 3], { hidden: true }),
    call("shapeOf", [[[1, 2], [3, 4], [5, 6]]], [3, 2], { hidden: true }),
    throwsCase(call, "shapeOf", [[[[1, 2]], [[3]]]], [], { hidden: true, hint: { en: `${ragged.en} Check below the first axis too.`, ko: `${ragged.ko} 첫 번째 축 아래 단계도 확인하세요.` } }),
    throwsCase(call, "shapeOf", [[1, [2]]], [], { hidden: true, hint: { en: "A number and an array side by side are not a tensor.", ko: "숫자와 배열이 나란히 놓이면 텐서가 아닙니다." } }),
    throwsCase(call, "shapeOf", [[[1, 2], 3]], [], { hidden: true, hint: { en: "An array and a number side by side are not a tensor.", ko: "배열과 숫자가 나란히 놓이면 텐서가 아닙니다." } }),
  ],
});

/** Batch n of a data tensor along its sample axis. */
export interface GetBatchFunctions {
  /** Samples [size·n, size·(n+1)) of `x` along axis 0; the last batch may be shorter. */
  getBatch(x: tf.Tensor, n: number, size: number): tf.Tensor;
}

/** Sample s of this tensor is filled with 100·s + (position inside the sample): easy to read back. */
function samples(shape: number[]): TensorSpec {
  return {
    shape,
    value: (index) => 100 * index[0] + index.slice(1).reduce((acc, i, k) => acc * (shape[k + 1] ?? 1) + i, 0),
  };
}

/** Samples [start, end) of `samples(shape)`. */
function range(shape: number[], start: number, end: number): TensorSpec {
  const whole = samples(shape);
  return { shape: [end - start, ...shape.slice(1)], value: (index) => whole.value([index[0] + start, ...index.slice(1)]) };
}

export const getBatchExercise = defineExercise<GetBatchFunctions>({
  id: "get-batch",
  lesson: LESSON,
  title: { en: "Batch n along the sample axis", ko: "샘플 축을 따라 n번째 배치 꺼내기" },
  points: 3,
  cases: (call) => {
    const id = "get-batch";
    const t = (fn: "getBatch", args: Array<TensorSpec | number>, expected: TensorSpec, options = {}) =>
      tensorCase(call, id, fn, args, expected, options);
    return [
      t("getBatch", [samples([10, 2]), 0, 4], range([10, 2], 0, 4), {
        hint: {
          en: "Batch 0 is samples 0, 1, 2, 3.",
          ko: "배치 0은 샘플 0, 1, 2, 3입니다.",
        },
      }),
      t("getBatch", [samples([10, 2]), 1, 4], range([10, 2], 4, 8), {
        hint: {
          en: "Batch n starts at sample size·n.",
          ko: "배치 n은 샘플 size·n에서 시작합니다.",
        },
      }),
      t("getBatch", [samples([10, 2]), 2, 4], range([10, 2], 8, 10), {
        hint: {
          en: "Only 2 samples are left for the last batch: stop at the end of the sample axis (Math.min).",
          ko: "마지막 배치에는 샘플이 2개만 남습니다: 샘플 축의 끝에서 멈추세요(Math.min).",
        },
      }),
      t("getBatch", [samples([6, 2, 3]), 1, 2], range([6, 2, 3], 2, 4), { hint: { en: "Keep every other axis whole.", ko: "나머지 축은 모두 그대로 둡니다." } }),
      t("getBatch", [samples([10, 2]), 9, 1], range([10, 2], 9, 10), { hidden: true }),
      t("getBatch", [samples([10, 2]), 0, 10], range([10, 2], 0, 10), { hidden: true }),
      t("getBatch", [samples([10, 2]), 0, 16], range([10, 2], 0, 10), { hidden: true, hint: { en: "A batch larger than the data holds all of it.", ko: "데이터보다 큰 배치에는 데이터 전체가 들어갑니다." } }),
      t("getBatch", [samples([7]), 1, 3], range([7], 3, 6), { hidden: true, hint: { en: "Labels are a rank-1 tensor: it has a sample axis too.", ko: "라벨은 랭크-1 텐서이지만, 여기에도 샘플 축이 있습니다." } }),
      t("getBatch", [samples([7]), 2, 3], range([7], 6, 7), { hidden: true }),
      t("getBatch", [samples([5, 2, 2, 2]), 1, 3], range([5, 2, 2, 2], 3, 5), { hidden: true }),
    ];
  },
});

/** Cropping every image of a batch. */
export interface CenterCropFunctions {
  /**
   * The centre size×size square of every image in `images` (shape (samples, height, width)):
   * rows from ⌊(height − size)/2⌋, columns from ⌊(width − size)/2⌋, `size` of each.
   */
  centerCrop(images: tf.Tensor, size: number): tf.Tensor;
}

/** Images whose pixel (s, r, c) holds 10000·s + 100·r + c: its own position. */
function positions(count: number, height: number, width: number): TensorSpec {
  return { shape: [count, height, width], value: ([s, r, c]) => 10000 * s + 100 * r + c };
}

/** The crop of `positions(count, height, width)` starting at (top, left). */
function crop(count: number, height: number, width: number, top: number, left: number, size: number): TensorSpec {
  return { shape: [count, size, size], value: ([s, r, c]) => 10000 * s + 100 * (r + top) + (c + left) };
}

export const centerCropExercise = defineExercise<CenterCropFunctions>({
  id: "center-crop",
  lesson: LESSON,
  title: { en: "A centre crop of every image in a batch", ko: "배치에 담긴 모든 이미지의 가운데 잘라 내기" },
  points: 3,
  cases: (call) => {
    const id = "center-crop";
    const t = (args: Array<TensorSpec | number>, expected: TensorSpec, options = {}) =>
      tensorCase(call, id, "centerCrop", args, expected, options);
    return [
      t([positions(1, 4, 4), 2], crop(1, 4, 4, 1, 1, 2), {
        hint: {
          en: "A 2×2 crop of a 4×4 image starts at row 1, column 1.",
          ko: "4×4 이미지에서 2×2를 잘라 내면 1행 1열에서 시작합니다.",
        },
      }),
      t([positions(2, 6, 6), 2], crop(2, 6, 6, 2, 2, 2), {
        hint: {
          en: "Crop every sample: the first axis stays whole.",
          ko: "모든 샘플을 잘라 냅니다: 첫 번째 축은 그대로 둡니다.",
        },
      }),
      t([positions(3, 28, 28), 14], crop(3, 28, 28, 7, 7, 14), {
        hint: { en: "The book's train_images[:, 7:-7, 7:-7]: rows and columns 7 to 20.", ko: "책의 train_images[:, 7:-7, 7:-7]입니다: 7~20행, 7~20열." },
      }),
      t([positions(2, 5, 5), 3], crop(2, 5, 5, 1, 1, 3), { hidden: true }),
      t([positions(1, 6, 6), 3], crop(1, 6, 6, 1, 1, 3), { hidden: true, hint: { en: "⌊(6 − 3) / 2⌋ = 1: round the offset down.", ko: "⌊(6 − 3) / 2⌋ = 1: 시작 위치는 내림합니다." } }),
      t([positions(2, 4, 4), 4], crop(2, 4, 4, 0, 0, 4), { hidden: true, hint: { en: "A crop as large as the image is the whole image.", ko: "이미지만큼 크게 잘라 내면 이미지 전체입니다." } }),
      t([positions(1, 1, 1), 1], crop(1, 1, 1, 0, 0, 1), { hidden: true }),
      t([positions(2, 4, 6), 2], crop(2, 4, 6, 1, 2, 2), { hidden: true, hint: { en: "Height and width may differ: one offset each.", ko: "높이와 너비는 다를 수 있습니다: 시작 위치도 각각 구합니다." } }),
      t([positions(4, 28, 28), 20], crop(4, 28, 28, 4, 4, 20), { hidden: true }),
    ];
  },
});
