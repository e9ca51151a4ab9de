/**
 * Measuring how activations and gradients flow through a deep network, introduced in lesson 06
 * ("Updating parameters, activations and initial weights": sigmoid vs ReLU): the mean |gradient| of each layer, how many sigmoid
 * outputs sit in the flat tails (saturated), and how many ReLU units are dead — they output 0 for
 * every input, so their weights get a gradient of exactly 0 and never change again.
 *
 * Matrices are the from-scratch kit's (rows = samples, columns = units); any `{ rows, cols, data }`
 * will do.
 */

/** What these functions read from a matrix: its shape and its numbers in row-major order. */
export interface MatrixLike {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

function checkMatrix(fn: string, m: MatrixLike): void {
  if (m == null || !Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.data == null) {
    throw new Error(`gradient-flow.ts ${fn}: expected a matrix { rows, cols, data }, got ${String(m)}`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`gradient-flow.ts ${fn}: a ${m.rows}×${m.cols} matrix needs ${m.rows * m.cols} numbers, data has ${m.data.length}`);
  }
}

function checkValues(fn: string, values: ArrayLike<number>): void {
  if (values == null || typeof values.length !== "number") throw new Error(`gradient-flow.ts ${fn}: values must be an array of numbers`);
  if (values.length === 0) throw new Error(`gradient-flow.ts ${fn}: values is empty`);
}

/** (1/n) Σ |vᵢ| — the typical size of a gradient, whatever its sign. */
export function meanAbs(values: ArrayLike<number>): number {
  checkValues("meanAbs", values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.abs(values[i]);
  return sum / values.length;
}

/** The mean and the (population) standard deviation of the values. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  checkValues("meanStd", values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

/**
 * The share of sigmoid outputs within `margin` of 0 or of 1, where σ' = σ(1 − σ) < margin:
 * those units pass (almost) no gradient back.
 */
export function saturatedFraction(values: ArrayLike<number>, margin = 0.01): number {
  checkValues("saturatedFraction", values);
  if (!(margin > 0 && margin < 0.5)) throw new Error(`gradient-flow.ts saturatedFraction: margin must be in (0, 0.5), got ${margin}`);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] < margin || values[i] > 1 - margin) n++;
  return n / values.length;
}

/** The share of values that are exactly 0 (a ReLU output for a negative input). */
export function zeroFraction(values: ArrayLike<number>): number {
  checkValues("zeroFraction", values);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) n++;
  return n / values.length;
}

/**
 * Which columns are 0 in every row: for ReLU outputs (rows = inputs, columns = units), the units
 * that are dead on this whole batch; for a weight gradient dW, the units whose incoming weights
 * will not move.
 */
export function zeroColumns(m: MatrixLike): boolean[] {
  checkMatrix("zeroColumns", m);
  const zero = new Array<boolean>(m.cols).fill(true);
  for (let i = 0; i < m.rows; i++) {
    const o = i * m.cols;
    for (let j = 0; j < m.cols; j++) if (m.data[o + j] !== 0) zero[j] = false;
  }
  return zero;
}

/** How many ReLU units output 0 for every input of the batch (columns of zeros). */
export function deadUnits(activations: MatrixLike): number {
  return zeroColumns(activations).filter(Boolean).length;
}

/** The mean |value| of each matrix (or array) in turn: one number per layer. */
export function meanAbsPerLayer(layers: ReadonlyArray<MatrixLike | ArrayLike<number>>): number[] {
  if (!Array.isArray(layers) || layers.length === 0) throw new Error("gradient-flow.ts meanAbsPerLayer: give a non-empty array of matrices");
  return layers.map((m) => meanAbs(isMatrix(m) ? m.data : m));
}

/** (last / first)^(1/(n − 1)): the average factor by which a per-layer quantity changes from one layer to the next. */
export function geometricRatio(values: ArrayLike<number>): number {
  checkValues("geometricRatio", values);
  if (values.length < 2) throw new Error("gradient-flow.ts geometricRatio: need at least 2 values");
  const first = values[0], last = values[values.length - 1];
  if (!(first > 0 && last > 0)) throw new Error(`gradient-flow.ts geometricRatio: values must be positive, got ${first} … ${last}`);
  return Math.pow(last / first, 1 / (values.length - 1));
}

function isMatrix(m: MatrixLike | ArrayLike<number>): m is MatrixLike {
  return typeof (m as MatrixLike).rows === "number" && typeof (m as MatrixLike).cols === "number" && (m as MatrixLike).data != null;
}
