/**
 * Exercise checks for the lesson notebooks (from lesson 01 on): `check(id, impl)` and the
 * registry of every lesson's exercises. A later lesson adds its cases in lessonNN.ts, imported here.
 */
import "./lesson01";
import "./lesson02";
import "./lesson03";
import "./lesson04";
import "./lesson05";
import "./lesson06";
import "./lesson07";
import "./lesson08";

export { check, runCases, probeCases, judgeProbes, casesFor, encodeProbes, decodeProbes, PROBE_MIME } from "./check";
export { isGrading } from "./grading-mode";
export type { CaseResult, CaseStatus, CheckResult, Probe } from "./check";
export { allExercises, defineExercise, findExercise, formatValue, sameValue } from "./cases";
export type { Case, CaseOptions, Exercise, ExerciseSpec } from "./cases";
export { renderHtml, renderText, summaryLine } from "./report";
