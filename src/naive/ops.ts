/**
 * Tensor operations written with plain loops — introduced in lesson 03 ("Tensor operations and
 * broadcasting", Chollet §2.3.1–2.3.3), where each is checked against TensorFlow.js and timed.
 *
 * They mirror the book's `naive_relu`, `naive_add`, `naive_add_matrix_and_vector`,
 * `naive_vector_dot`, `naive_matrix_vector_dot` and `naive_matrix_dot`: a vector is a
 * `number[]`, a matrix a `number[][]` (an array of rows). Inputs are never modified; each
 * function returns a new array, and checks shapes the way the book's `assert`s do.
 */

export type Vector = number[];
export type Matrix = number[][];

function checkVector(fn: string, name: string, x: unknown): Vector {
  if (!Array.isArray(x) || x.some((v) => typeof v !== "number")) {
    throw new Error(`${fn}: ${name} must be a vector (an array of numbers)`);
  }
  return x as Vector;
}

function checkMatrix(fn: string, name: string, x: unknown): Matrix {
  if (!Array.isArray(x) || x.some((row) => !Array.isArray(row))) {
    throw new Error(`${fn}: ${name} must be a matrix (an array of rows of numbers)`);
  }
  const rows = x as unknown[][];
  const cols = rows.length > 0 ? rows[0].length : 0;
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new Error(`${fn}: ${name} is ragged: row 0 has ${cols} entries, row ${i} has ${row.length}`);
    if (row.some((v) => typeof v !== "number")) throw new Error(`${fn}: ${name} row ${i} holds something other than numbers`);
  });
  return rows as Matrix;
}

const shapeOf = (x: Matrix): string => `(${x.length}, ${x.length > 0 ? x[0].length : 0})`;

/** relu(x) = max(x, 0), entry by entry, on a matrix. */
export function naiveRelu(x: Matrix): Matrix {
  checkMatrix("naiveRelu", "x", x);
  const out: Matrix = [];
  for (let i = 0; i < x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < x[i].length; j++) row.push(Math.max(x[i][j], 0));
    out.push(row);
  }
  return out;
}

/** x + y, entry by entry, for two matrices of the same shape. */
export function naiveAdd(x: Matrix, y: Matrix): Matrix {
  checkMatrix("naiveAdd", "x", x);
  checkMatrix("naiveAdd", "y", y);
  if (x.length !== y.length || (x.length > 0 && x[0].length !== y[0].length)) {
    throw new Error(`naiveAdd: x has shape ${shapeOf(x)} but y has shape ${shapeOf(y)}; they must be equal`);
  }
  const out: Matrix = [];
  for (let i = 0; i < x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < x[i].length; j++) row.push(x[i][j] + y[i][j]);
    out.push(row);
  }
  return out;
}

/** x + y for a matrix x of shape (n, m) and a vector y of shape (m,): y is added to every row. */
export function naiveAddMatrixAndVector(x: Matrix, y: Vector): Matrix {
  checkMatrix("naiveAddMatrixAndVector", "x", x);
  checkVector("naiveAddMatrixAndVector", "y", y);
  if (x.length > 0 && x[0].length !== y.length) {
    throw new Error(`naiveAddMatrixAndVector: x has shape ${shapeOf(x)} but y has shape (${y.length},); y needs ${x[0].length} entries`);
  }
  const out: Matrix = [];
  for (let i = 0; i < x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < y.length; j++) row.push(x[i][j] + y[j]);
    out.push(row);
  }
  return out;
}

/** x · y = Σᵢ xᵢ·yᵢ for two vectors of the same length: a scalar. */
export function naiveVectorDot(x: Vector, y: Vector): number {
  checkVector("naiveVectorDot", "x", x);
  checkVector("naiveVectorDot", "y", y);
  if (x.length !== y.length) {
    throw new Error(`naiveVectorDot: x has ${x.length} entries but y has ${y.length}; they must be equal`);
  }
  let z = 0;
  for (let i = 0; i < x.length; i++) z += x[i] * y[i];
  return z;
}

/** x · y for a matrix x of shape (n, m) and a vector y of shape (m,): a vector of shape (n,). */
export function naiveMatrixVectorDot(x: Matrix, y: Vector): Vector {
  checkMatrix("naiveMatrixVectorDot", "x", x);
  checkVector("naiveMatrixVectorDot", "y", y);
  if (x.length > 0 && x[0].length !== y.length) {
    throw new Error(`naiveMatrixVectorDot: x has shape ${shapeOf(x)} but y has shape (${y.length},); x.shape[1] must equal y.shape[0]`);
  }
  const z: Vector = [];
  for (let i = 0; i < x.length; i++) z.push(naiveVectorDot(x[i], y)); // row i of x, dotted with y
  return z;
}

/** x · y for matrices of shapes (a, b) and (b, c): a matrix of shape (a, c). */
export function naiveMatrixDot(x: Matrix, y: Matrix): Matrix {
  checkMatrix("naiveMatrixDot", "x", x);
  checkMatrix("naiveMatrixDot", "y", y);
  const inner = x.length > 0 ? x[0].length : 0;
  if (x.length > 0 && inner !== y.length) {
    throw new Error(`naiveMatrixDot: x has shape ${shapeOf(x)} but y has shape ${shapeOf(y)}; x.shape[1] must equal y.shape[0]`);
  }
  const cols = y.length > 0 ? y[0].length : 0;
  const z: Matrix = [];
  for (let i = 0; i < x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < cols; j++) {
      const column = y.map((r) => r[j]); // column j of y
      row.push(naiveVectorDot(x[i], column));
    }
    z.push(row);
  }
  return z;
}
