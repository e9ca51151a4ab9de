/**
 * Batches along the sample axis — introduced in lesson 01 (the first example trains on batches of
 * 128: "469/469" steps per epoch in its progress bar) and taken apart in lesson 08's batch generator.
 *
 * The first axis of a data tensor is the sample axis (샘플 축). Models see data in batches:
 * batch n of size 128 is samples [128·n, 128·(n+1)) — in Python `train_images[128 * n:128 * (n + 1)]`.
 * When the sample count is not a multiple of the size, the last batch is shorter
 * (60,000 = 468 · 128 + 96: batches 0–467 hold 128 samples, batch 468 holds 96). Cutting a batch out
 * is an exercise of the tensors lesson (`get-batch`), so the library does not do it for the students.
 */

/** How many batches of `size` cover `samples` samples (the last one may be shorter): ceil(samples / size). */
export function batchCount(samples: number, size: number = 128): number {
  if (!Number.isInteger(samples) || samples < 0) throw new Error(`batchCount: samples must be an integer ≥ 0, got ${samples}`);
  if (!Number.isInteger(size) || size < 1) throw new Error(`batchCount: size must be a positive integer, got ${size}`);
  return Math.ceil(samples / size);
}
