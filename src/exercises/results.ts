/**
 * What checking an exercise produces: one result per case and the exercise's points. Made by
 * check.ts (from lesson 01 on, in every check cell and when grading), shown by report.ts.
 */

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
