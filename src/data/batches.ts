/**
 * Batches along the sample axis — introduced in lesson 02 ("Tensors: rank, shape and dtype",
 * Chollet §2.2.8 "The notion of data batches").
 *
 * The first axis of a data tensor is the sample axis (샘플 축). Models see data in batches:
 * batch n of size 128 is samples [128·n, 128·(n+1)) — in Python `train_images[128 * n:128 * (n + 1)]`.
 * When the sample count is not a multiple of the size, the last batch is shorter
 * (60,000 = 468 · 128 + 96: batches 0–467 hold 128 samples, batch 468 holds 96).
 */
import * as tf from "@tensorflow/tfjs";

function checkSize(fn: string, size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new Error(`${fn}: size must be a positive integer, got ${size}`);
}

/** How many batches of `size` cover `samples` samples (the last one may be shorter). */
export function batchCount(samples: number, size: number = 128): number {
  if (!Number.isInteger(samples) || samples < 0) throw new Error(`batchCount: samples must be an integer ≥ 0, got ${samples}`);
  checkSize("batchCount", size);
  return Math.ceil(samples / size);
}

/**
 * Batch `n` (counting from 0) of `size` samples: `x[size·n : size·(n+1)]` along axis 0, every other
 * axis kept whole. The last batch holds what is left. A new tensor; the caller disposes it.
 */
export function getBatch<T extends tf.Tensor>(x: T, n: number, size: number = 128): T {
  if (!(x instanceof tf.Tensor)) throw new Error("getBatch: x must be a tf.Tensor");
  if (x.rank < 1) throw new Error("getBatch: x is a scalar; it has no sample axis to cut into batches");
  checkSize("getBatch", size);
  const samples = x.shape[0];
  const count = batchCount(samples, size);
  if (!Number.isInteger(n) || n < 0 || n >= count) {
    throw new Error(`getBatch: batch ${n} does not exist: ${samples} samples make batches 0..${count - 1} of size ${size}`);
  }
  const start = size * n;
  const end = Math.min(size * (n + 1), samples);
  return tf.slice(x, start, end - start) as T;
}
