/**
 * Accuracy: the fraction of rows whose highest score is the right class (Saito's `accuracy`).
 * Introduced in lesson 05; lesson 06 measures it on 10,000 test images after every epoch.
 *
 * Scores are computed block by block so that the intermediate matrices stay small. For networks of
 * Affine and ReLU layers (and Dropout in test mode) the blocks run through `fastForward`, which does
 * the same arithmetic as the layers inside WebAssembly memory, on several threads; the tests check
 * that it gives exactly the numbers of `predict`.
 */

import { Matrix, argmaxRows } from "./matrix";
import { Targets, checkTargets } from "./functions";
import { Affine } from "./affine";
import { DenseLayer, fastForward } from "../runtime/float64/worker-pool";
import { wasmMatmulEnabled } from "./matmul";

/** Rows at a time when the layers' own forward passes are used. */
const BLOCK = 512;

/** An Affine layer for `fastForward`, followed by a ReLU (times `scale`) or not. */
export function denseLayer(affine: Affine, relu: boolean, scale: number): DenseLayer {
  return { W: affine.W.data, b: affine.b, inputs: affine.W.rows, outputs: affine.W.cols, relu, scale };
}

/** Accuracy of `predict` on x against t; `fast` describes the same network for `fastForward`, if it can. */
export function accuracyOf(predict: (x: Matrix) => Matrix, x: Matrix, t: Targets, fast: DenseLayer[] | null = null): number {
  if (x.rows === 0) throw new Error("accuracy: x has no rows");
  let correct = 0;
  const count = (scores: Matrix, start: number): void => {
    if (start === 0) checkTargets("accuracy", t, x.rows, scores.cols);
    const predicted = argmaxRows(scores);
    for (let i = 0; i < predicted.length; i++) {
      const row = start + i;
      const label = t instanceof Matrix ? argmaxRow(t, row) : t[row];
      correct += +(predicted[i] === label);
    }
  };
  if (fast !== null && x.cols === fast[0].inputs && wasmMatmulEnabled()) {
    const scores = fastForward(x.data, x.rows, fast);
    if (scores !== null) {
      count(new Matrix(x.rows, fast[fast.length - 1].outputs, scores), 0);
      return correct / x.rows;
    }
  }
  for (let start = 0; start < x.rows; start += BLOCK) count(predict(x.sliceRows(start, Math.min(x.rows, start + BLOCK))), start);
  return correct / x.rows;
}

function argmaxRow(m: Matrix, i: number): number {
  let best = 0;
  for (let j = 1; j < m.cols; j++) if (m.get(i, j) > m.get(i, best)) best = j;
  return best;
}
