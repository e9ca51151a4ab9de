/**
 * A minimal float64 matrix: a Float64Array in row-major order plus its number of rows and columns.
 * Introduced in lesson 05 (the layers of Saito ch. 5 take and return these); lessons 06, 07 and 08
 * use it through the layers and networks. Rows are samples, columns are features — a mini-batch of
 * N images of 784 pixels is a 784-column, N-row matrix, as in Saito's numpy code.
 *
 * Only the few operations the layers need live here; matrix products are in `matmul.ts`.
 */

export class Matrix {
  readonly rows: number;
  readonly cols: number;
  /** The numbers, row after row: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new Error(`Matrix: rows and cols must be non-negative integers, got ${rows}×${cols}`);
    }
    if (data !== undefined && data.length !== rows * cols) {
      throw new Error(`Matrix: data has ${data.length} numbers but a ${rows}×${cols} matrix needs ${rows * cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /** Builds a matrix from nested arrays: `Matrix.from([[1, 2], [3, 4]])`. */
  static from(values: ArrayLike<ArrayLike<number>>): Matrix {
    const rows = values.length;
    const cols = rows === 0 ? 0 : values[0].length;
    const m = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) {
      if (values[i].length !== cols) {
        throw new Error(`Matrix.from: row ${i} has ${values[i].length} numbers, row 0 has ${cols}`);
      }
      for (let j = 0; j < cols; j++) m.data[i * cols + j] = values[i][j];
    }
    return m;
  }

  /** A 1-row matrix holding a copy of `values`. */
  static rowVector(values: ArrayLike<number>): Matrix {
    return new Matrix(1, values.length, Float64Array.from(values));
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get size(): number {
    return this.data.length;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** Row i as a view (not a copy): writing to it writes to the matrix. */
  row(i: number): Float64Array {
    if (i < 0 || i >= this.rows) throw new Error(`Matrix.row: row ${i} is outside a ${shapeText(this)} matrix`);
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** Rows start … end-1 as a new matrix sharing this one's numbers (a view, like numpy slicing). */
  sliceRows(start: number, end: number): Matrix {
    if (start < 0 || end > this.rows || start > end) {
      throw new Error(`Matrix.sliceRows: rows ${start}…${end} are outside a ${shapeText(this)} matrix`);
    }
    return new Matrix(end - start, this.cols, this.data.subarray(start * this.cols, end * this.cols));
  }

  /** A new matrix made of the given rows, in order (`x[batchMask]` in numpy). */
  pickRows(indices: ArrayLike<number>): Matrix {
    const out = new Matrix(indices.length, this.cols);
    for (let r = 0; r < indices.length; r++) {
      const i = indices[r];
      if (!Number.isInteger(i) || i < 0 || i >= this.rows) {
        throw new Error(`Matrix.pickRows: index ${i} is outside a ${shapeText(this)} matrix`);
      }
      out.data.set(this.data.subarray(i * this.cols, (i + 1) * this.cols), r * this.cols);
    }
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** A new matrix with f applied to every element. */
  map(f: (value: number) => number): Matrix {
    const out = new Matrix(this.rows, this.cols);
    for (let i = 0; i < this.data.length; i++) out.data[i] = f(this.data[i]);
    return out;
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  toString(): string {
    return `Matrix ${shapeText(this)}`;
  }
}

/** "rows×cols", used in every error message about shapes. */
export function shapeText(m: { rows: number; cols: number }): string {
  return `${m.rows}×${m.cols}`;
}

/** Throws unless a and b have the same shape; `what` names the operation for the message. */
export function assertSameShape(what: string, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`${what}: shapes differ, ${shapeText(a)} vs ${shapeText(b)}`);
  }
}

/** x + b with the row vector b added to every row (numpy broadcasting of a bias). */
export function addRowVector(x: Matrix, b: Float64Array): Matrix {
  if (b.length !== x.cols) {
    throw new Error(`addRowVector: cannot add a vector of length ${b.length} to the rows of a ${shapeText(x)} matrix`);
  }
  const out = new Matrix(x.rows, x.cols);
  const n = x.cols;
  for (let i = 0; i < x.rows; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) out.data[o + j] = x.data[o + j] + b[j];
  }
  return out;
}

/** Column sums, Σ over the rows (numpy `np.sum(x, axis=0)`): the gradient of a broadcast bias. */
export function sumRows(x: Matrix): Float64Array {
  const out = new Float64Array(x.cols);
  const n = x.cols;
  for (let i = 0; i < x.rows; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) out[j] += x.data[o + j];
  }
  return out;
}

/** The transpose xᵀ. */
export function transpose(x: Matrix): Matrix {
  const out = new Matrix(x.cols, x.rows);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) out.data[j * x.rows + i] = x.data[i * x.cols + j];
  }
  return out;
}

/** The index of the largest element of each row (`np.argmax(y, axis=1)`); ties go to the first. */
export function argmaxRows(x: Matrix): Int32Array {
  const out = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    const o = i * x.cols;
    let best = 0;
    for (let j = 1; j < x.cols; j++) if (x.data[o + j] > x.data[o + best]) best = j;
    out[i] = best;
  }
  return out;
}
