/**
 * Whether the grader started this kernel (`npm run grade`). The grader sets DLBB_GRADE=probes in the
 * kernel's environment; the first module of the exercises room to load (before any student code, in
 * a lesson's setup cells, from lesson 01 on) reads it once and removes it. Then `check` only probes
 * (check.ts) and no hidden case keeps an expected value (cases.ts): the grader compares in its own
 * process, with its own copy of the cases.
 */
const grading = (() => {
  const on = process.env.DLBB_GRADE === "probes";
  delete process.env.DLBB_GRADE;
  return on;
})();

/** True when this kernel was started by the grader. */
export function isGrading(): boolean {
  return grading;
}
