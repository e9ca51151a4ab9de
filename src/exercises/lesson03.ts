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
  title: { en: "The broadcasting rule", ko: "브로드캐스팅 규칙" },
  points: 4,
  cases: (call) => [
    call("myBroadcastShapes", [[32, 10], [10]], [32, 10], {
      hint: {
        en: "Rule 1: (10,) gets a new axis on the left, (1, 10); rule 2: it is repeated 32 times.",
        ko: "규칙 1: (10,)의 왼쪽에 새 축이 추가되어 (1, 10)이 됩니다. 규칙 2: 이 축을 따라 32번 반복됩니다.",
      },
    }),
    call("myBroadcastShapes", [[64, 3, 32, 10], [32, 10]], [64, 3, 32, 10]),
    call("myBroadcastShapes", [[8, 1, 6, 1], [7, 1, 5]], [8, 7, 6, 5], {
      hint: {
        en: "Compare from the right: 1 vs 5 → 5, 6 vs 1 → 6, 1 vs 7 → 7, and the missing axis counts as 1 → 8.",
        ko: "오른쪽부터 비교합니다: 1과 5 → 5, 6과 1 → 6, 1과 7 → 7이고, 없는 축은 1로 치므로 → 8입니다.",
      },
    }),
    throwsCase(call, "myBroadcastShapes", [[32, 10], [32]], [10, 32], {
      hint: {
        en: "Align the shapes on the right: the last axes are 10 and 32, neither is 1. Name both sizes in the error.",
        ko: "두 크기를 오른쪽 끝에 맞춰 놓으세요: 마지막 축은 10과 32이고 어느 쪽도 1이 아닙니다. Error 메시지에 두 값을 모두 적으세요.",
      },
    }),
    call("myBroadcastShapes", [[10], [32, 10]], [32, 10], { hint: { en: "The smaller tensor may come first.", ko: "작은 텐서가 먼저 올 수도 있습니다." } }),
    call("myBroadcastShapes", [[], []], [], { hidden: true, hint: { en: "Two scalars give a scalar.", ko: "스칼라 두 개의 결과는 스칼라입니다." } }),
    call("myBroadcastShapes", [[], [2, 3]], [2, 3], { hidden: true, hint: { en: "A scalar broadcasts against anything.", ko: "스칼라는 어떤 텐서와도 브로드캐스팅됩니다." } }),
    call("myBroadcastShapes", [[3, 1], [1, 4]], [3, 4], { hidden: true, hint: { en: "Size-1 axes stretch on both sides.", ko: "크기가 1인 축은 어느 쪽에 있든 늘어납니다." } }),
    call("myBroadcastShapes", [[1], [5, 1]], [5, 1], { hidden: true }),
    call("myBroadcastShapes", [[4, 3], [2, 1, 3]], [2, 4, 3], { hidden: true }),
    call("myBroadcastShapes", [[6, 1, 4], [6, 4]], [6, 6, 4], { hidden: true }),
    call("myBroadcastShapes", [[0, 3], [1, 3]], [0, 3], { hidden: true, hint: { en: "An axis of size 0 meets 1 as any size does: the result has size 0.", ko: "크기가 0인 축도 다른 크기처럼 1과 만나면 자기 크기를 유지합니다: 결과 축의 크기는 0입니다." } }),
    throwsCase(call, "myBroadcastShapes", [[2, 3, 4], [5, 1, 4]], [2, 5], { hidden: true }),
    throwsCase(call, "myBroadcastShapes", [[0, 3], [2, 3]], [0, 2], { hidden: true, hint: { en: "0 and 2 differ and neither is 1.", ko: "0과 2는 다르고 어느 쪽도 1이 아닙니다." } }),
    throwsCase(call, "myBroadcastShapes", [[7], [7, 6]], [7, 6], { hidden: true, hint: { en: "Align on the right: 7 meets 6.", ko: "오른쪽 끝에 맞추면 7과 6이 만납니다." } }),
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
  title: { en: "A naive matrix–vector product", ko: "반복문으로 구현하는 행렬–벡터 곱셈" },
  points: 3,
  cases: (call) => [
    call("matrixVectorDot", [[[1, 2], [3, 4]], [10, 1]], [12, 34], {
      hint: {
        en: "z[0] = 1·10 + 2·1, z[1] = 3·10 + 4·1.",
        ko: "z[0] = 1·10 + 2·1이고 z[1] = 3·10 + 4·1입니다.",
      },
    }),
    call("matrixVectorDot", [[[1, 2, 3]], [1, 1, 1]], [6], {
      hint: {
        en: "A (1, 3) matrix times a (3,) vector is a (1,) vector.",
        ko: "(1, 3) 행렬에 (3,) 벡터를 곱하면 (1,) 벡터가 됩니다.",
      },
    }),
    call("matrixVectorDot", [[[2], [3], [4]], [5]], [10, 15, 20], {
      hint: {
        en: "One entry of the result per row of x.",
        ko: "x의 행마다 결과의 원소가 하나씩 나옵니다.",
      },
    }),
    throwsCase(call, "matrixVectorDot", [[[1, 2], [3, 4]], [1, 2, 3]], [], {
      hint: {
        en: "x has 2 columns but y has 3 entries: x.shape[1] must equal y.shape[0], so throw an Error.",
        ko: "x는 열이 2개인데 y는 원소가 3개입니다: x.shape[1]과 y.shape[0]이 같아야 하므로 Error를 던지세요.",
      },
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
  title: { en: "The shape of a tensor product", ko: "텐서 곱셈 결과의 크기" },
  points: 3,
  cases: (call) => [
    call("dotShape", [[5], [5]], [], { hint: { en: "The dot product of two vectors is a scalar: shape [].", ko: "두 벡터의 점곱은 스칼라입니다: 크기 []." } }),
    call("dotShape", [[3, 5], [5]], [3], {
      hint: {
        en: "(a, b)·(b,) → (a,): one number per row of the matrix.",
        ko: "(a, b)·(b,) → (a,): 행렬의 행마다 숫자가 하나씩 나옵니다.",
      },
    }),
    call("dotShape", [[3, 5], [5, 2]], [3, 2], {
      hint: {
        en: "(a, b)·(b, c) → (a, c): the shared size b disappears.",
        ko: "(a, b)·(b, c) → (a, c): 공유하는 크기 b는 사라집니다.",
      },
    }),
    throwsCase(call, "dotShape", [[3, 5], [4, 2]], [5, 4], {
      hint: {
        en: "The last axis of a (5) must equal the first axis of b (4). Name both sizes in the error.",
        ko: "a의 마지막 축(5)과 b의 첫 번째 축(4)이 같아야 합니다. Error 메시지에 두 크기를 모두 적으세요.",
      },
    }),
    call("dotShape", [[5], [5, 7]], [7], { hidden: true, hint: { en: "(b,)·(b, c) → (c,).", ko: "(b,)·(b, c)의 결과는 (c,)입니다." } }),
    call("dotShape", [[1, 1], [1, 1]], [1, 1], { hidden: true }),
    call("dotShape", [[128, 784], [784, 512]], [128, 512], { hidden: true, hint: { en: "A batch of 128 MNIST images through a Dense(512) layer.", ko: "MNIST 이미지 128개로 된 배치가 Dense(512) 층을 통과하는 경우입니다." } }),
    call("dotShape", [[4, 2], [2, 4]], [4, 4], { hidden: true }),
    throwsCase(call, "dotShape", [[784], [512]], [784, 512], { hidden: true }),
    throwsCase(call, "dotShape", [[2, 3], [2, 3]], [3, 2], { hidden: true, hint: { en: "(2, 3)·(2, 3): 3 ≠ 2. The second matrix would need to be transposed.", ko: "(2, 3)·(2, 3): 3 ≠ 2입니다. 두 번째 행렬을 전치해야 곱할 수 있습니다." } }),
    throwsCase(call, "dotShape", [[6], [3, 6]], [6, 3], { hidden: true }),
  ],
});
