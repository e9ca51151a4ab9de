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

const ragged = "A ragged array is not a tensor: every element along an axis must have the same shape.";

export const shapeOfExercise = defineExercise<ShapeOfFunctions>({
  id: "shape-of",
  lesson: LESSON,
  title: "The shape (and so the rank) of nested arrays",
  points: 3,
  cases: (call) => [
    call("shapeOf", [12], [], { hint: "A lone number is a scalar: rank 0, shape []." }),
    call("shapeOf", [[12, 3, 6, 14, 7]], [5], { hint: "One axis with 5 entries: a 5-dimensional vector, but a rank-1 tensor." }),
    call("shapeOf", [[[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]]], [3, 5], {
      hint: "The outer array has 3 rows; each row has 5 entries.",
    }),
    call(
      "shapeOf",
      [[
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
      ]],
      [3, 3, 5],
      { hint: "Each level of nesting is one axis; its length is that axis's size." },
    ),
    throwsCase(call, "shapeOf", [[[1, 2], [3]]], [], { hint: ragged }),
    call("shapeOf", [[]], [0], { hidden: true, hint: "An empty array is a vector with 0 entries." }),
    call("shapeOf", [[[], []]], [2, 0], { hidden: true }),
    call("shapeOf", [[[[[7]]]]], [1, 1, 1, 1], { hidden: true, hint: "Count every level of nesting, even of length 1." }),
    call("shapeOf", [[[[1, 2, 3]], [[4, 5, 6]]]], [2, 1, 3], { hidden: true }),
    call("shapeOf", [[[1, 2], [3, 4], [5, 6]]], [3, 2], { hidden: true }),
    throwsCase(call, "shapeOf", [[[[1, 2]], [[3]]]], [], { hidden: true, hint: `${ragged} Check below the first axis too.` }),
    throwsCase(call, "shapeOf", [[1, [2]]], [], { hidden: true, hint: "A number and an array side by side are not a tensor." }),
    throwsCase(call, "shapeOf", [[[1, 2], 3]], [], { hidden: true, hint: "An array and a number side by side are not a tensor." }),
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
  title: "Batch n along the sample axis",
  points: 3,
  cases: (call) => {
    const id = "get-batch";
    const t = (fn: "getBatch", args: Array<TensorSpec | number>, expected: TensorSpec, options = {}) =>
      tensorCase(call, id, fn, args, expected, options);
    return [
      t("getBatch", [samples([10, 2]), 0, 4], range([10, 2], 0, 4), { hint: "Batch 0 is samples 0, 1, 2, 3." }),
      t("getBatch", [samples([10, 2]), 1, 4], range([10, 2], 4, 8), { hint: "Batch n starts at sample size·n." }),
      t("getBatch", [samples([10, 2]), 2, 4], range([10, 2], 8, 10), {
        hint: "Only 2 samples are left for the last batch: stop at the end of the sample axis (Math.min).",
      }),
      t("getBatch", [samples([6, 2, 3]), 1, 2], range([6, 2, 3], 2, 4), { hint: "Keep every other axis whole." }),
      t("getBatch", [samples([10, 2]), 9, 1], range([10, 2], 9, 10), { hidden: true }),
      t("getBatch", [samples([10, 2]), 0, 10], range([10, 2], 0, 10), { hidden: true }),
      t("getBatch", [samples([10, 2]), 0, 16], range([10, 2], 0, 10), { hidden: true, hint: "A batch larger than the data holds all of it." }),
      t("getBatch", [samples([7]), 1, 3], range([7], 3, 6), { hidden: true, hint: "Labels are a rank-1 tensor: it has a sample axis too." }),
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
  title: "A centre crop of every image in a batch",
  points: 3,
  cases: (call) => {
    const id = "center-crop";
    const t = (args: Array<TensorSpec | number>, expected: TensorSpec, options = {}) =>
      tensorCase(call, id, "centerCrop", args, expected, options);
    return [
      t([positions(1, 4, 4), 2], crop(1, 4, 4, 1, 1, 2), { hint: "A 2×2 crop of a 4×4 image starts at row 1, column 1." }),
      t([positions(2, 6, 6), 2], crop(2, 6, 6, 2, 2, 2), { hint: "Crop every sample: the first axis stays whole." }),
      t([positions(3, 28, 28), 14], crop(3, 28, 28, 7, 7, 14), {
        hint: "The book's train_images[:, 7:-7, 7:-7]: rows and columns 7 to 20.",
      }),
      t([positions(2, 5, 5), 3], crop(2, 5, 5, 1, 1, 3), { hidden: true }),
      t([positions(1, 6, 6), 3], crop(1, 6, 6, 1, 1, 3), { hidden: true, hint: "⌊(6 − 3) / 2⌋ = 1: round the offset down." }),
      t([positions(2, 4, 4), 4], crop(2, 4, 4, 0, 0, 4), { hidden: true, hint: "A crop as large as the image is the whole image." }),
      t([positions(1, 1, 1), 1], crop(1, 1, 1, 0, 0, 1), { hidden: true }),
      t([positions(2, 4, 6), 2], crop(2, 4, 6, 1, 2, 2), { hidden: true, hint: "Height and width may differ: one offset each." }),
      t([positions(4, 28, 28), 20], crop(4, 28, 28, 4, 4, 20), { hidden: true }),
    ];
  },
});
