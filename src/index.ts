/**
 * dl-building-blocks — everything a lesson imports, with one line:
 *   import { … } from "dl-building-blocks";
 */
// the compute backend: tfjs, and ready() which picks tfjs-node, else wasm (with the kernel fixes), else cpu
export { tf, ready, BACKENDS } from "./backend";
export type { BackendInfo, BackendName, ReadyOptions } from "./backend";
export { installMatmulFix, uninstallMatmulFix, isMatmulFixInstalled } from "./matmul-fix";
export { installCopyFix, uninstallCopyFix, isCopyFixInstalled } from "./copy-fix";
// lesson 01: data
export { loadData, imageAt, readIdx, mnistDataDir } from "./mnist";
export type { ByteTensor, MnistSplit } from "./mnist";
// showing things: rich display, figures, training progress
export { showBundle, html, markdown, Display } from "./display";
export type { MimeBundle } from "./display";
export {
  setupPlots, showFigure, figureBundle, lineChart, barChart, digitImage, digitGrid, heatmap,
  histograms, histogram, contourPlot, vectorField, scatterPlot,
} from "./plot";
export type { Figure, LineChartOptions, BarChartOptions, HistogramOptions, ContourOptions, ScatterSet, Pixels } from "./plot";
export { Progress, fitProgress } from "./progress";
export type { Logs, ProgressOptions } from "./progress";
// exercises: check() for the notebooks' check cells; ./exercises loads every lesson's cases
export * from "./exercises";
// lessons 02–03: tensors, tensor operations, broadcasting
export { broadcastShapes, padShape, formatShape } from "./broadcast";
export { naiveRelu, naiveAdd, naiveAddMatrixAndVector, naiveVectorDot, naiveMatrixVectorDot, naiveMatrixDot } from "./naive-ops";
export { getBatch, batchCount } from "./batches";
// lessons 04–07: the from-scratch float64 network library, and gradient statistics
export * from "./scratch";
export * from "./gradient-flow";
// lessons 06–07: overfitting; losses, the first example from scratch
export {
  EPSILON as KERAS_EPSILON, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy,
  meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError,
} from "./losses";
export { NaiveDense, NaiveSequential, BatchGenerator } from "./naive-keras";
export type { Activation, Batch as NaiveBatch } from "./naive-keras";
export { sideBySide } from "./side-by-side";
export type { SideBySideOptions } from "./side-by-side";
export { quickOverfit, QUICK_OVERFIT } from "./quick-overfit";
export type { QuickOverfitOptions, QuickOverfitResult } from "./quick-overfit";
