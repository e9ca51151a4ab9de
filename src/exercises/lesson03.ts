/**
 * Exercises of lesson 03 ("Tensor operations and broadcasting", Chollet §2.3): the broadcasting
 * rule written by hand, a naive matrix–vector product, and the shape rule of `tf.dot`.
 * The notebook's solution cells carry the same ids and points in their metadata.
 */
import { defineExercise } from "./cases";
import { throwsCase } from "./tensor-throws-cases";

const LESSON = "03-tensor-operations";

/** The broadcasting rule, written by the student (the kit's own is `broadcastShapes`). */
export interface BroadcastShapesFunctions {
  /** The shape of `a + b` for tensors of shapes a and b; throws, naming both sizes, if they clash. */
  myBroadcastShapes(a: number[], b: number[]): number[];
}

export const broadcastShapesExercise = defineExercise<BroadcastShapesFunctions>({
  id: "broadcast-shapes",
  lesson: LESSON,
  title: "The broadcasting rule",
  points: 4,
  cases: (call) => [
    call("myBroadcastShapes", [[32, 10], [10]], [32, 10], { hint: "Rule 1: (10,) gets a new axis on the left, (1, 10); rule 2: it is repeated 32 times." }),
    call("myBroadcastShapes", [[64, 3, 32, 10], [32, 10]], [64, 3, 32, 10]),
    call("myBroadcastShapes", [[8, 1, 6, 1], [7, 1, 5]], [8, 7, 6, 5], {
      hint: "Compare from the right: 1 vs 5 → 5, 6 vs 1 → 6, 1 vs 7 → 7, and the missing axis counts as 1 → 8.",
    }),
    throwsCase(call, "myBroadcastShapes", [[32, 10], [32]], [10, 32], {
      hint: "Align the shapes on the right: the last axes are 10 and 32, neither is 1. Name both sizes in the error.",
    }),
    call("myBroadcastShapes", [[10], [32, 10]], [32, 10], { hint: "The smaller tensor may come first." }),
    call("myBroadcastShapes", [[], []], [], { hidden: true, hint: "Two scalars give a scalar." }),
    call("myBroadcastShapes", [[], [2, 3]], [2, 3], { hidden: true, hint: "A scalar broadcasts against anything." }),
    call("myBroadcastShapes", [[3, 1], [1, 4]], [3, 4], { hidden: true, hint: "Size-1 axes stretch on both sides." }),
    call("myBroadcastShapes", [[1], [5, 1]], [5, 1], { hidden: true }),
    call("myBroadcastShapes", [[4, 3], [2, 1, 3]], [2, 4, 3], { hidden: true }),
    call("myBroadcastShapes", [[6, 1, 4], [6, 4]], [6, 6, 4], { hidden: true }),
    call("myBroadcastShapes", [[0, 3], [1, 3]], [0, 3], { hidden: true, hint: "An axis of size 0 meets 1 as any size does: the result has size 0." }),
    throwsCase(call, "myBroadcastShapes", [[2, 3, 4], [5, 1, 4]], [2, 5], { hidden: true }),
    throwsCase(call, "myBroadcastShapes", [[0, 3], [2, 3]], [0, 2], { hidden: true, hint: "0 and 2 differ and neither is 1." }),
    throwsCase(call, "myBroadcastShapes", [[7], [7, 6]], [7, 6], { hidden: true, hint: "Align on the right: 7 meets 6." }),
  ],
});

/** Matrix times vector with loops. */
export interface MatrixVectorDotFunctions {
  /** z[i] = Σⱼ x[i][j]·y[j] for x of shape (n, m) and y of shape (m,); throws if the sizes differ. */
  matrixVectorDot(x: number[][], y: number[]): number[];
}

export const matrixVectorDotExercise = defineExercise<MatrixVectorDotFunctions>({
  id: "matrix-vector-dot",
  lesson: LESSON,
  title: "A naive matrix–vector product",
  points: 3,
  cases: (call) => [
    call("matrixVectorDot", [[[1, 2], [3, 4]], [10, 1]], [12, 34], { hint: "z[0] = 1·10 + 2·1, z[1] = 3·10 + 4·1." }),
    call("matrixVectorDot", [[[1, 2, 3]], [1, 1, 1]], [6], { hint: "A (1, 3) matrix times a (3,) vector is a (1,) vector." }),
    call("matrixVectorDot", [[[2], [3], [4]], [5]], [10, 15, 20], { hint: "One entry of the result per row of x." }),
    throwsCase(call, "matrixVectorDot", [[[1, 2], [3, 4]], [1, 2, 3]], [], {
      hint: "x has 2 columns but y has 3 entries: x.shape[1] must equal y.shape[0], so throw an Error.",
    }),
    call("matrixVectorDot", [[[1, -2, 3, 0], [0, 1, 0, 1], [-1, -1, -1, -1]], [4, 3, 2, 1]], [4, 4, -10], { hidden: true }),
    call("matrixVectorDot", [[[7]], [-3]], [-21], { hidden: true }),
    call("matrixVectorDot", [[[0.5, 0.25], [0.1, 0.2]], [0.4, 0.8]], [0.4, 0.2], { hidden: true, tolerance: 1e-12 }),
    call("matrixVectorDot", [[[1, 0], [0, 1], [1, 1], [2, -1]], [3, 5]], [3, 5, 8, 1], { hidden: true }),
    call("matrixVectorDot", [[[0, 0, 0]], [1, 2, 3]], [0], { hidden: true }),
    throwsCase(call, "matrixVectorDot", [[[1, 2, 3]], [1, 2]], [], { hidden: true }),
  ],
});

/** The shape rule of `tf.dot` for vectors and matrices. */
export interface DotShapeFunctions {
  /**
   * The shape of `tf.dot(a, b)` for a and b of rank 1 or 2: (n,)·(n,) → (), (a, b)·(b,) → (a,),
   * (b,)·(b, c) → (c,), (a, b)·(b, c) → (a, c). Throws, naming both sizes, when they do not match.
   */
  dotShape(a: number[], b: number[]): number[];
}

export const dotShapeExercise = defineExercise<DotShapeFunctions>({
  id: "dot-shape",
  lesson: LESSON,
  title: "The shape of a tensor product",
  points: 3,
  cases: (call) => [
    call("dotShape", [[5], [5]], [], { hint: "The dot product of two vectors is a scalar: shape []." }),
    call("dotShape", [[3, 5], [5]], [3], { hint: "(a, b)·(b,) → (a,): one number per row of the matrix." }),
    call("dotShape", [[3, 5], [5, 2]], [3, 2], { hint: "(a, b)·(b, c) → (a, c): the shared size b disappears." }),
    throwsCase(call, "dotShape", [[3, 5], [4, 2]], [5, 4], {
      hint: "The last axis of a (5) must equal the first axis of b (4). Name both sizes in the error.",
    }),
    call("dotShape", [[5], [5, 7]], [7], { hidden: true, hint: "(b,)·(b, c) → (c,)." }),
    call("dotShape", [[1, 1], [1, 1]], [1, 1], { hidden: true }),
    call("dotShape", [[128, 784], [784, 512]], [128, 512], { hidden: true, hint: "A batch of 128 MNIST images through a Dense(512) layer." }),
    call("dotShape", [[4, 2], [2, 4]], [4, 4], { hidden: true }),
    throwsCase(call, "dotShape", [[784], [512]], [784, 512], { hidden: true }),
    throwsCase(call, "dotShape", [[2, 3], [2, 3]], [3, 2], { hidden: true, hint: "(2, 3)·(2, 3): 3 ≠ 2. The second matrix would need to be transposed." }),
    throwsCase(call, "dotShape", [[6], [3, 6]], [6, 3], { hidden: true }),
  ],
});
