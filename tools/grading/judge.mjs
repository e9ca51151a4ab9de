// @ts-check
// The trusted half of grading: what a kernel reported (the values the student's functions gave)
// compared with the teacher's cases, in the grader's own process. Nothing a submission does in its
// kernel reaches this code except through `validateAnswer`, which checks every field.
// Used by tools/grade.mjs.

export const STATUS_ORDER = ["error", "timeout", "kernel-died", "missing", "no-result", "skipped", "grader-error"];
const EXERCISE_STATUSES = new Set(["checked", ...STATUS_ORDER]);

/**
 * Points for one exercise from a check result: the master's points × passed / total.
 * @param {number} points
 * @param {{ passed: number, total: number, earned?: number } | null | undefined} result
 * @returns {number}
 */
export function pointsFor(points, result) {
  if (!result || !(result.total > 0) || !Number.isFinite(result.passed)) return 0;
  const passed = Math.max(0, Math.min(result.passed, result.total));
  return Math.round((100 * points * passed) / result.total) / 100;
}

/** @type {(v: unknown, max?: number) => string | null} */
const text = (v, max = 4000) => (typeof v === "string" ? v.slice(0, max) : null);

/**
 * A worker's answer for job `id`, checked field by field; anything malformed becomes a
 * "grader-error" answer that costs this submission only. Returns { seconds, restarts, error, exercises }.
 * @param {import("./types.mjs").WorkerReply} answer untyped JSON from the worker: every field is checked below
 * @param {number} id
 * @param {string[]} exerciseIds
 * @returns {import("./types.mjs").Answer}
 */
export function validateAnswer(answer, id, exerciseIds) {
  /** @type {(why: string) => import("./types.mjs").Answer} */
  const bad = (why) => ({ seconds: 0, restarts: 0, error: `grader: malformed worker answer (${why})`, exercises: {} });
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) return bad("not an object");
  if (answer.id !== id) return bad(`job id ${JSON.stringify(answer.id)}, expected ${id}`);
  const seconds = Number.isFinite(answer.seconds) && answer.seconds >= 0 ? answer.seconds : null;
  if (seconds === null) return bad("seconds is not a number");
  const restarts = Number.isInteger(answer.restarts) && answer.restarts >= 0 ? answer.restarts : 0;
  if (answer.error !== null && answer.error !== undefined && typeof answer.error !== "string") return bad("error is not text");
  const ex = answer.exercises;
  if (ex === null || typeof ex !== "object" || Array.isArray(ex)) return bad("exercises is not an object");
  /** @type {Record<string, import("./types.mjs").AnswerExercise>} */
  const exercises = {};
  for (const eid of exerciseIds) {
    if (!Object.hasOwn(ex, eid)) continue;
    const e = ex[eid];
    if (e === null || typeof e !== "object" || !EXERCISE_STATUSES.has(e.status)) {
      exercises[eid] = { status: "grader-error", reason: "grader: malformed worker answer for this exercise", probes: null };
      continue;
    }
    exercises[eid] = { status: e.status, reason: text(e.reason), probes: e.probes ?? null };
  }
  return { seconds, restarts, error: text(answer.error), exercises };
}

/**
 * One exercise's record from the worker's entry: the probes judged with the teacher's cases (`kit`
 * is dist/teacher.js loaded by the grader), in English for the teacher's files (`result`) and, for
 * a submission in another language `lang`, once more in that language for its feedback page
 * (`shown`: the same verdicts, the messages and hints of its edition). Never throws.
 * @param {import("./types.mjs").Kit} kit
 * @param {import("./types.mjs").MasterExercise} masterExercise
 * @param {import("./types.mjs").AnswerExercise | undefined} entry
 * @param {string | null | undefined} note
 * @param {string | null | undefined} jobError
 * @param {"en" | "ko"} [lang]
 * @returns {import("./types.mjs").ExerciseGrade}
 */
export function judgeExercise(kit, masterExercise, entry, note, jobError, lang = "en") {
  const r = entry ?? { status: "grader-error", reason: jobError ?? "no result from the grader", probes: null };
  const reason = [...new Set([r.reason, note].filter(Boolean))].join("; ") || null;
  let status = r.status;
  let why = reason;
  /** @type {import("../../src/teacher").CheckResult | null} */
  let result = null;
  /** @type {import("../../src/teacher").CheckResult | null} */
  let shown = null;
  if (r.probes !== null && r.probes !== undefined) {
    try {
      const exercise = kit.findExercise(masterExercise.id);
      if (!exercise) throw new Error(`the kit has no exercise "${masterExercise.id}"`);
      const probes = kit.decodeProbes(r.probes);
      result = kit.judgeProbes(exercise, probes, { hidden: true, lang: "en" });
      if (lang !== "en") shown = kit.judgeProbes(exercise, probes, { hidden: true, lang });
      status = "checked";
    } catch (e) {
      result = shown = null;
      status = "no-result";
      why = [reason, `the check's report could not be read: ${String(/** @type {Error | undefined} */ (e)?.message ?? e).slice(0, 300)}`].filter(Boolean).join("; ");
    }
  } else if (status === "checked") {
    status = "no-result";
  }
  const points = result ? pointsFor(masterExercise.points, result) : 0;
  return { points, max: masterExercise.points, status, reason: why, result, ...(shown ? { shown } : {}) };
}

/**
 * A submission's status: "ok" when every exercise was checked, else what went wrong, joined by "+".
 * @param {Record<string, { status: string }>} exercises
 * @returns {string}
 */
export function submissionStatus(exercises) {
  const bad = new Set(Object.values(exercises).map((e) => e.status).filter((s) => s !== "checked"));
  return bad.size === 0 ? "ok" : STATUS_ORDER.filter((s) => bad.has(s)).join("+");
}
