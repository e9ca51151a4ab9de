/**
 * Turning the MNIST arrays of lesson 01 (Keras-shaped: images N×28×28 uint8, labels N uint8) into what
 * the scratch networks eat: a float64 matrix with one flattened image per row, pixels scaled to
 * [0, 1] (Saito's load_mnist(normalize=True)), and integer labels. Used in lessons 05–08.
 */

import { Matrix } from "../network/matrix";

/** A Keras-shaped array as returned by the MNIST loader: `{ data, shape }`. */
export interface ShapedArray {
  data: ArrayLike<number>;
  shape: number[];
}

/** The first `count` images (default all) as rows of 28·28 = 784 numbers, each pixel / `scale`. */
export function imagesToMatrix(images: ShapedArray, count?: number, scale = 255): Matrix {
  const n = images.shape[0];
  if (n === undefined || images.shape.length < 2) {
    throw new Error(`imagesToMatrix: expected a shape like [N, 28, 28], got [${images.shape.join(", ")}]`);
  }
  const rows = count ?? n;
  if (!Number.isInteger(rows) || rows < 0 || rows > n) throw new Error(`imagesToMatrix: count must be an integer in 0…${n}, got ${count}`);
  const cols = images.shape.slice(1).reduce((a, b) => a * b, 1);
  if (images.data.length !== n * cols) {
    throw new Error(`imagesToMatrix: shape [${images.shape.join(", ")}] needs ${n * cols} numbers, data has ${images.data.length}`);
  }
  const out = new Matrix(rows, cols);
  for (let i = 0; i < rows * cols; i++) out.data[i] = images.data[i] / scale;
  return out;
}

/** The first `count` labels (default all) as integers. */
export function labelsToArray(labels: ShapedArray, count?: number): Int32Array {
  const n = labels.data.length;
  const rows = count ?? n;
  if (!Number.isInteger(rows) || rows < 0 || rows > n) throw new Error(`labelsToArray: count must be an integer in 0…${n}, got ${count}`);
  return Int32Array.from({ length: rows }, (_, i) => labels.data[i]);
}
