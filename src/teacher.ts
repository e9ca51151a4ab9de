/**
 * dl-building-blocks/teacher — what teachers and the kit's tools import (never a lesson):
 *   import { allExercises, defineExercise, … } from "dl-building-blocks/teacher";
 *
 * The exercise registry and how cases are defined and run (release, grading), and the runtime
 * switches (backends, the tfjs kernel replacements, the float64 kernels' threads) that benchmarks
 * and tests turn on and off. Everything a lesson needs is in the students' entry point (index.ts).
 */
export * from "./index";

// exercises: every lesson's cases, how a case is defined, run and reported
export { allExercises, defineExercise, findExercise, formatValue, sameValue, isGrading, runCases, probeCases, judgeProbes, casesFor, encodeProbes, decodeProbes, PROBE_MIME } from "./exercises";
export type { Case, CaseOptions, Exercise, ExerciseSpec, CaseResult, CaseStatus, CheckResult, Probe } from "./exercises";
export { renderHtml, renderText, summaryLine } from "./exercises";

// runtime switches
export { BACKENDS } from "./runtime/backend";
export type { BackendName, ReadyOptions } from "./runtime/backend";
export { installMatmulFix, uninstallMatmulFix, isMatmulFixInstalled } from "./runtime/tfjs-kernels/matmul";
export { installCopyFix, uninstallCopyFix, isCopyFixInstalled } from "./runtime/tfjs-kernels/slice-gather";
export { setMatmulThreads, startMatmulThreads, fastKernelsAvailable } from "./runtime/float64";
import { setProductKernel } from "./network/matmul";
import { float64Products } from "./runtime/float64";

/**
 * Turns the float64 network's WebAssembly kernel off (its plain loops only) or back on; returns the
 * old setting. The numbers are the same either way, only slower.
 */
export function setWasmMatmul(enabled: boolean): boolean {
  return setProductKernel(enabled ? float64Products : null) !== null;
}
