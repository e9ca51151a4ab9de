/**
 * `check(id, impl)` — the self-check students run in a lesson notebook (from lesson 01 on), and the
 * channel through which `npm run grade` learns the results.
 *
 *   await check("steps-per-epoch", { stepsPerEpoch, lastBatchSize, totalUpdates });
 *
 * Runs the exercise's cases (cases.ts) against the given functions and catches everything they
 * throw, so a wrong or unfinished solution never breaks the cells after it. It shows each visible
 * case — passed or failed, expected vs got, a hint — as HTML with a plain-text fallback, then the
 * points earned, and resolves to the result.
 *
 * Grading: the grader starts the kernel with DLBB_GRADE_FILE (a file to append to) and
 * DLBB_GRADE_TOKEN. This module takes both out of `process.env` when it loads (during the setup
 * cells, before any student code runs); then every `check` also runs the hidden cases and appends
 * one JSON line (the result plus the token) to that file. The grader reads only that file.
 */
import { appendFileSync } from "fs";
import { inspect } from "util";
import { showBundle } from "../figures/display";
import { findExercise, formatValue, MissingFunctionError, sameValue, type Exercise } from "./cases";
import { renderHtml, renderText } from "./report";

export type CaseStatus = "passed" | "failed" | "error" | "not implemented";

export interface CaseResult {
  /** The call, e.g. `stepsPerEpoch(60000, 128)`; "hidden case N" for hidden cases. */
  name: string;
  hidden: boolean;
  status: CaseStatus;
  /** Visible cases only. */
  expected?: string;
  got?: string;
  /** What the solution threw. */
  error?: string;
  hint?: string;
}

export interface CheckResult {
  exercise: string;
  lesson: string;
  title: string;
  points: number;
  /** points × passed / total, rounded to hundredths */
  earned: number;
  passed: number;
  /** cases run: the visible ones, plus the hidden ones when grading */
  total: number;
  /** hidden cases that were not run (self-check) */
  hiddenNotRun: number;
  cases: CaseResult[];
  /** A problem with the check itself (unknown id), shown instead of cases. */
  problem?: string;
}

export interface RunOptions {
  /** Also run the hidden cases. */
  hidden?: boolean;
  /** How long an async solution may take per case, in ms (default 10 s). */
  asyncTimeoutMs?: number;
}

const NOT_IMPLEMENTED = /^not implemented yet/i;
const MAX_MESSAGE = 500;

function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name === "Error" ? "" : e.name + ": "}${e.message}` : `thrown value ${formatValue(e)}`;
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE - 1) + "…" : text;
}

async function settle(value: unknown, ms: number): Promise<unknown> {
  if (value === null || typeof (value as { then?: unknown })?.then !== "function") return value;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the returned promise did not settle within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([value, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs an exercise's cases against `impl`; never throws, never displays. */
export async function runCases<F>(exercise: Exercise<F>, impl: F, options: RunOptions = {}): Promise<CheckResult> {
  const ms = options.asyncTimeoutMs ?? 10_000;
  const cases = exercise.cases.filter((c) => options.hidden || !c.hidden);
  const results: CaseResult[] = [];
  let hiddenIndex = 0;
  for (const c of cases) {
    const name = c.hidden ? `hidden case ${++hiddenIndex}` : c.name;
    const shown = c.hidden ? {} : { expected: formatValue(c.expected) };
    let result: CaseResult;
    try {
      const got = await settle(c.run(impl), ms);
      const passed = sameValue(c.expected, got, c.tolerance);
      result = { name, hidden: !!c.hidden, status: passed ? "passed" : "failed", ...shown };
      if (!c.hidden) result.got = formatValue(got);
    } catch (e) {
      const message = errorText(e);
      const status: CaseStatus = NOT_IMPLEMENTED.test(message) ? "not implemented" : "error";
      result = { name, hidden: !!c.hidden, status, ...shown, error: e instanceof MissingFunctionError ? e.message : message };
    }
    if (result.status !== "passed" && c.hint) result.hint = c.hint;
    results.push(result);
  }
  const passed = results.filter((r) => r.status === "passed").length;
  return {
    exercise: exercise.id,
    lesson: exercise.lesson,
    title: exercise.title,
    points: exercise.points,
    earned: Math.round((100 * exercise.points * passed) / results.length) / 100,
    passed,
    total: results.length,
    hiddenNotRun: exercise.cases.length - cases.length,
    cases: results,
  };
}

interface GradeChannel {
  file: string;
  token: string;
}

/** Reads the grader's channel from the environment once, and removes it from `process.env`. */
function takeGradeChannel(): GradeChannel | null {
  const file = process.env.DLBB_GRADE_FILE;
  const token = process.env.DLBB_GRADE_TOKEN ?? "";
  delete process.env.DLBB_GRADE_FILE;
  delete process.env.DLBB_GRADE_TOKEN;
  return file ? { file, token } : null;
}

const channel = takeGradeChannel();

/** True when this kernel was started by the grader (hidden cases run, results are recorded). */
export function isGrading(): boolean {
  return channel !== null;
}

function withSummary(result: CheckResult): CheckResult {
  // tslab prints a cell's last value: show one line instead of the whole object.
  Object.defineProperty(result, inspect.custom, {
    value: () => `${result.exercise}: ${result.earned} / ${result.points} points`,
    enumerable: false,
  });
  return result;
}

/**
 * Checks the functions in `impl` against the cases of exercise `id`, shows the outcome and
 * resolves to it. Never throws: a missing function, a wrong answer or an error inside the
 * solution all become failed cases.
 */
export async function check(id: string, impl: Record<string, unknown>): Promise<CheckResult> {
  const exercise = findExercise(String(id));
  let result: CheckResult;
  if (!exercise) {
    result = {
      exercise: String(id), lesson: "", title: "", points: 0, earned: 0, passed: 0, total: 0, hiddenNotRun: 0, cases: [],
      problem: `there is no exercise "${id}" in dl-building-blocks (check the id in this cell)`,
    };
  } else {
    result = await runCases(exercise as Exercise<Record<string, unknown>>, impl, { hidden: channel !== null });
  }
  if (channel) {
    try {
      appendFileSync(channel.file, JSON.stringify({ token: channel.token, ...result }) + "\n");
    } catch (e) {
      result.problem = `could not record the result for grading: ${errorText(e)}`;
    }
  }
  showBundle({ "text/html": renderHtml(result), "text/plain": renderText(result) });
  return withSummary(result);
}
