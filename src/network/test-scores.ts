/**
 * The scores of a stack of layers in test mode (Dropout off): Saito's `predict` loop,
 *
 *   for each layer: x = layer.forward(x)
 *
 * Introduced in lesson 05, where TwoLayerNet's `accuracy` uses it; lesson 07 measures MultiLayerNet's
 * accuracy with it on 10,000 test images after every epoch.
 *
 * A stack of Affine → ReLU (→ Dropout) layers goes, when a product kernel is plugged in (see
 * `matmul.ts`), to that kernel in one call: the same products, ReLUs and scalings in the same order,
 * so the same numbers, but many rows at once without copying every intermediate matrix in and out
 * of the kernel's memory.
 */

import { Matrix } from "./matrix";
import { Layer } from "./layer";
import { Affine } from "./affine";
import { Relu } from "./activation-layers";
import { Dropout } from "./dropout";
import { DenseStage, kernelDenseStack } from "./matmul";

/** x (one sample per row) through every layer, in test mode. */
export function testScores(layers: readonly Layer[], x: Matrix): Matrix {
  const stages = denseStages(layers);
  const fromKernel = stages === null ? null : kernelDenseStack(x, stages);
  if (fromKernel !== null) return fromKernel;
  for (const layer of layers) x = layer.forward(x, false);
  return x;
}

/**
 * The layers as stages y = x·W + b [→ ReLU [→ ×(1 − ratio), a Dropout layer in test mode]], or
 * null when they are anything else (a Sigmoid, say).
 */
function denseStages(layers: readonly Layer[]): DenseStage[] | null {
  const stages: DenseStage[] = [];
  let i = 0;
  while (i < layers.length) {
    const affine = layers[i++];
    if (!(affine instanceof Affine)) return null;
    const relu = layers[i] instanceof Relu;
    if (relu) i++;
    const dropout = relu ? layers[i] : undefined;
    const scale = dropout instanceof Dropout ? 1 - dropout.ratio : 1;
    if (dropout instanceof Dropout) i++;
    stages.push({ W: affine.W, b: affine.b, relu, scale });
  }
  return stages;
}
