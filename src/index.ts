/**
 * dl-building-blocks — what a lesson imports, with one line:
 *   import { … } from "dl-building-blocks";
 *
 * Only the names the lessons use (a test keeps it so): the maths being taught (network/, naive/),
 * the data (data/), figures and progress (figures/), the exercises' `check`, and `ready()` with `tf`.
 * Teachers and the kit's tools import "dl-building-blocks/teacher" instead (exercise definitions,
 * runtime switches).
 */
// the compute backend: tfjs, and ready() which picks tfjs-node, else wasm (with the kit's kernels), else cpu
export { tf, ready } from "./runtime/backend";
export type { BackendInfo } from "./runtime/backend";
export { memoryUsage } from "./runtime/memory"; // the readout; in the kit's kernel, importing it also keeps memory bounded (issue 19)

// data: MNIST (lesson 01 on), as the from-scratch network's matrices (lesson 05 on)
export { loadData, imageAt } from "./data/mnist";
export type { ByteTensor, MnistSplit } from "./data/mnist";
export { imagesToMatrix, labelsToArray } from "./data/to-matrix";

// figures and training progress
export {
  setupPlots, showFigure, lineChart, barChart, digitImage, digitGrid, heatmap, histograms, contourPlot, scatterPlot,
} from "./figures/charts";
export type { Figure } from "./figures/charts";
export { sideBySide } from "./figures/side-by-side";
export { Progress, fitProgress } from "./figures/progress";
export { showGlossary } from "./figures/glossary-table"; // each lesson's terms, from the one glossary both editions share

// exercises: the check cells
export { check } from "./exercises";

// Chollet ch. 2 by hand: naive tensor operations, broadcasting, the first example and its losses
export { broadcastShapes, formatShape } from "./naive/broadcast";
export { naiveRelu, naiveAdd, naiveAddMatrixAndVector, naiveVectorDot, naiveMatrixVectorDot, naiveMatrixDot } from "./naive/ops";
export { NaiveDense, NaiveSequential, BatchGenerator } from "./naive/keras";
export {
  binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, meanSquaredError, meanAbsoluteError,
  meanAbsolutePercentageError,
} from "./naive/losses";

// Saito ch. 4–6 from scratch: the float64 network, its layers, optimizers and gradients
export { Rng, Matrix } from "./network";
export { numericalDiff, forwardDiff, numericalGradient, gradientDescent } from "./network/numerical-gradient";
export { sigmoid, sigmoidGrad, relu, reluGrad } from "./network/functions";
export { MulLayer, AddLayer } from "./network/graph-layers";
export { Sigmoid } from "./network/activation-layers";
export { Dropout } from "./network/dropout";
export { TwoLayerNet } from "./network/two-layer-net";
export { MultiLayerNet } from "./network/multi-layer-net";
export { SGD, Momentum, AdaGrad, RMSprop, Adam } from "./network/optimizers";
export { deadUnits, geometricRatio, meanAbs, meanStd, saturatedFraction, zeroColumns, zeroFraction } from "./network/gradient-flow";
export { hyperparameterTrial } from "./network/hyperparameter-trial";
export { splitValidation, randomSearch } from "./network/validation";
export { SoftmaxWithLoss } from "./network/softmax-with-loss";

// the float64 network's products run on the runtime's WebAssembly kernel (the same numbers, faster)
import { setProductKernel } from "./network/matmul";
import { float64Products } from "./runtime/float64";
setProductKernel(float64Products);
