/**
 * Broadcasting: the shape of `a + b` when `a` and `b` have different shapes — introduced in
 * lesson 03 ("Tensor operations and broadcasting", Chollet §2.3.2).
 *
 * The book's two rules, for a smaller tensor meeting a larger one:
 *   1. axes (the broadcast axes) are added to the smaller tensor, on the left, until its rank
 *      matches the larger tensor's: (10,) next to (32, 10) becomes (1, 10);
 *   2. the smaller tensor is repeated along those new axes to match the larger shape:
 *      (1, 10) → (32, 10).
 * The general rule (NumPy's, and TensorFlow.js's) compares the shapes axis by axis from the
 * right: two sizes are compatible when they are equal or one of them is 1, and the result takes
 * the larger. A missing axis counts as size 1. So (64, 3, 32, 10) with (32, 10) gives
 * (64, 3, 32, 10), and (8, 1, 6) with (7, 1) gives (8, 7, 6). Anything else is an error.
 */

/** A tensor's shape: one non-negative integer size per axis (`[]` for a scalar). */
export type Shape = readonly number[];

function checkShape(shape: unknown, name: string): Shape {
  if (!Array.isArray(shape)) {
    throw new Error(`broadcastShapes: ${name} must be an array of axis sizes, got ${String(shape)}`);
  }
  shape.forEach((d, i) => {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new Error(`broadcastShapes: ${name}[${i}] is ${String(d)}; axis sizes must be integers ≥ 0`);
    }
  });
  return shape;
}

/** "(64, 3, 32, 10)", "(10,)" or "()" — shapes written as the book writes them. */
export function formatShape(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * Rule 1 alone: `shape` with size-1 axes added on the left until it has `rank` axes.
 * `padShape([10], 2)` → `[1, 10]`.
 */
export function padShape(shape: Shape, rank: number): number[] {
  checkShape(shape, "shape");
  if (!Number.isInteger(rank) || rank < shape.length) {
    throw new Error(`padShape: rank ${rank} is smaller than the rank ${shape.length} of ${formatShape(shape)}`);
  }
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/**
 * The shape of an element-wise operation between tensors of shapes `a` and `b` (e.g. `a + b`,
 * `tf.maximum(a, b)`). Throws an Error naming the axis and both sizes when they cannot be
 * broadcast together.
 *
 *   broadcastShapes([32, 10], [10])              // [32, 10]
 *   broadcastShapes([64, 3, 32, 10], [32, 10])   // [64, 3, 32, 10]
 *   broadcastShapes([32, 10], [32])              // Error: … axis 1 … 10 … 32
 */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  checkShape(a, "a");
  checkShape(b, "b");
  const rank = Math.max(a.length, b.length);
  const pa = padShape(a, rank); // rule 1: the smaller tensor gets new axes of size 1 on the left
  const pb = padShape(b, rank);
  const out: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const da = pa[axis];
    const db = pb[axis];
    if (da === db || db === 1) out.push(da); // rule 2: a size-1 axis is repeated to match
    else if (da === 1) out.push(db);
    else {
      const fromEnd = axis - rank; // -1 is the last axis
      throw new Error(
        `broadcastShapes: shapes ${formatShape(a)} and ${formatShape(b)} are incompatible at axis ${axis} ` +
          `of the result (axis ${fromEnd} from the end): size ${da} vs size ${db}; ` +
          `sizes must be equal or one of them must be 1`,
      );
    }
  }
  return out;
}
