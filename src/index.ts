/**
 * dl-building-blocks — everything a lesson imports, with one line:
 *   import { … } from "dl-building-blocks";
 */
// the compute backend: tfjs, and ready() which picks tfjs-node, else wasm (with the kernel fixes), else cpu
export { tf, ready, BACKENDS } from "./runtime/backend";
export type { BackendInfo, BackendName, ReadyOptions } from "./runtime/backend";
export { installMatmulFix, uninstallMatmulFix, isMatmulFixInstalled } from "./runtime/tfjs-kernels/matmul";
export { installCopyFix, uninstallCopyFix, isCopyFixInstalled } from "./runtime/tfjs-kernels/slice-gather";
// lesson 01: data
export { loadData, imageAt, readIdx, mnistDataDir } from "./data/mnist";
export type { ByteTensor, MnistSplit } from "./data/mnist";
// showing things: rich display, figures, training progress
export { showBundle, html, markdown, Display } from "./figures/display";
export type { MimeBundle } from "./figures/display";
export {
  setupPlots, showFigure, figureBundle, lineChart, barChart, digitImage, digitGrid, heatmap,
  histograms, histogram, contourPlot, vectorField, scatterPlot,
} from "./figures/charts";
export type { Figure, LineChartOptions, BarChartOptions, HistogramOptions, ContourOptions, ScatterSet, Pixels } from "./figures/charts";
export { Progress, fitProgress } from "./figures/progress";
export type { Logs, ProgressOptions } from "./figures/progress";
// exercises: check() for the notebooks' check cells; ./exercises loads every lesson's cases
export * from "./exercises";
// lessons 02–03: tensors, tensor operations, broadcasting
export { broadcastShapes, padShape, formatShape } from "./naive/broadcast";
export { naiveRelu, naiveAdd, naiveAddMatrixAndVector, naiveVectorDot, naiveMatrixVectorDot, naiveMatrixDot } from "./naive/ops";
export { getBatch, batchCount } from "./data/batches";
// lessons 04–07: the from-scratch float64 network library, and gradient statistics
export * from "./network";
export * from "./network/gradient-flow";
// lessons 06–07: overfitting; losses, the first example from scratch
export {
  EPSILON as KERAS_EPSILON, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy,
  meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError,
} from "./naive/losses";
export { NaiveDense, NaiveSequential, BatchGenerator } from "./naive/keras";
export type { Activation, Batch as NaiveBatch } from "./naive/keras";
export { sideBySide } from "./figures/side-by-side";
export type { SideBySideOptions } from "./figures/side-by-side";
export { quickOverfit, QUICK_OVERFIT } from "./network/overfit-experiment";
export type { QuickOverfitOptions, QuickOverfitResult } from "./network/overfit-experiment";
