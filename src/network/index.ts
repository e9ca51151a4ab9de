/**
 * The from-scratch float64 neural-network kit of lessons 05–08 (after Saito, "Deep Learning from
 * Scratch", ch. 4–6, whose common/ folder it mirrors): one file per concept.
 */

export { Rng, defaultRng } from "./rng";
export type { RngState } from "./rng";
export { Matrix, shapeText, addRowVector, sumRows, transpose, argmaxRows } from "./matrix";
export { matmul, matmulBias, matmulTransA, matmulTransB, setProductKernel } from "./matmul";
export type { ProductKernel, DenseStage } from "./matmul";
export { numericalDiff, forwardDiff, numericalGradient, gradientDescent } from "./numerical-gradient";
export type { DescentResult } from "./numerical-gradient";
export { sigmoid, sigmoidGrad, relu, reluGrad, softmax, crossEntropyError, sumSquaredError, oneHot } from "./functions";
export type { Targets } from "./functions";
export type { Layer, Params } from "./layer";
export { MulLayer, AddLayer } from "./graph-layers";
export { Relu, Sigmoid } from "./activation-layers";
export { Affine } from "./affine";
export { SoftmaxWithLoss } from "./softmax-with-loss";
export { Dropout } from "./dropout";
export { BatchNormalization } from "./batch-normalization";
export type { BatchNormalizationOptions } from "./batch-normalization";
export { splitValidation, logUniform, randomSearch } from "./validation";
export type { ValidationSplit, SearchTrial, RandomSearchOptions } from "./validation";
export { hyperparameterTrial, HYPERPARAMETER_TRIAL } from "./hyperparameter-trial";
export type { HyperparameterTrialOptions, HyperparameterTrialResult } from "./hyperparameter-trial";
export { TwoLayerNet } from "./two-layer-net";
export type { TwoLayerNetOptions } from "./two-layer-net";
export { MultiLayerNet } from "./multi-layer-net";
export type { MultiLayerNetOptions } from "./multi-layer-net";
export { SGD, Momentum, AdaGrad, RMSprop, Adam } from "./optimizers";
export type { Optimizer } from "./optimizers";
export { imagesToMatrix, labelsToArray } from "../data/to-matrix";
export type { ShapedArray } from "../data/to-matrix";
