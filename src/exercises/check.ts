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
 * Grading (`npm run grade`): the grader starts the kernel with DLBB_GRADE=probes. Then `check` only
 * calls the student's functions for every case the kernel's kit has (probeCases) and shows what they
 * gave as one `application/vnd.dlbb.probes+json` output; it compares nothing. The grader compares
 * those values in its own process with the teacher's cases (judgeProbes there), so a solution that
 * patches globals or redefines `check` in its kernel can only change the values reported for its own
 * functions, which is what a solution does anyway.
 *
 * Language: everything the check says is in the kernel's `language()` (DLBB_LANG: the Korean
 * edition's kernel speaks Korean); the grader judges and renders in the submission's language.
 */
import { isGrading } from "./grading-mode";
import { inspect } from "util";
import { showBundle } from "../figures/display";
import { language, say, type Language } from "../language/language";
import { findExercise, formatValue, Message, MissingFunctionError, sameValue, type Exercise } from "./cases";
import { renderHtml, renderText } from "./report";

export type { CaseStatus, CaseResult, CheckResult } from "./results";
import type { CaseResult, CaseStatus, CheckResult } from "./results";

export interface RunOptions {
  /** Also run the hidden cases. */
  hidden?: boolean;
  /** How long an async solution may take per case, in ms (default 10 s). */
  asyncTimeoutMs?: number;
  /** The language of the result's texts (default: `language()`). */
  lang?: Language;
}

const NOT_IMPLEMENTED = /^not implemented yet/i;
const MAX_MESSAGE = 500;

function errorText(e: unknown, lang: Language = language()): string {
  const text = e instanceof Error
    ? `${e.name === "Error" ? "" : e.name + ": "}${e.message}`
    : say({ en: `thrown value ${formatValue(e)}`, ko: `Error가 아닌 값을 던졌습니다: ${formatValue(e)}` }, lang);
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE - 1) + "…" : text;
}

async function settle(value: unknown, ms: number): Promise<unknown> {
  if (value === null || typeof (value as { then?: unknown })?.then !== "function") return value;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    const why = say({ en: `the returned promise did not settle within ${ms / 1000} s`, ko: `반환한 프로미스가 ${ms / 1000}초 안에 끝나지 않았습니다` });
    timer = setTimeout(() => reject(new Error(why)), ms);
  });
  try {
    return await Promise.race([value, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What one case's call of the student's functions gave: a value, or the message of what it threw. */
export interface Probe {
  value?: unknown;
  error?: string;
  /** The error was a missing or non-function entry in `impl`. */
  missing?: boolean;
}

/** The cases run for `options` (the visible ones, or all of them when grading), in registry order. */
export function casesFor<F>(exercise: Exercise<F>, options: RunOptions = {}): Exercise<F>["cases"] {
  return exercise.cases.filter((c) => options.hidden || !c.hidden);
}

/**
 * Calls the student's functions for each case and keeps what they gave (or threw); compares
 * nothing. When grading, this is all the student's kernel does: the values go to the grader.
 */
export async function probeCases<F>(exercise: Exercise<F>, impl: F, options: RunOptions = {}): Promise<Probe[]> {
  const ms = options.asyncTimeoutMs ?? 10_000;
  const probes: Probe[] = [];
  for (const c of casesFor(exercise, options)) {
    try {
      probes.push({ value: await settle(c.run(impl), ms) });
    } catch (e) {
      probes.push(e instanceof MissingFunctionError ? { error: e.message, missing: true } : { error: errorText(e) });
    }
  }
  return probes;
}

/**
 * Compares probes (one per case of `casesFor(exercise, options)`) with the cases' expected values:
 * the check's verdict. Runs in the student's kernel for the self-check, and in the grader's own
 * process (with the teacher's cases, hidden ones included) when grading.
 */
export function judgeProbes<F>(exercise: Exercise<F>, probes: Probe[], options: RunOptions = {}): CheckResult {
  const lang = options.lang ?? language();
  const cases = casesFor(exercise, options);
  if (probes.length !== cases.length) throw new Error(`${exercise.id}: ${probes.length} results for ${cases.length} cases`);
  const results: CaseResult[] = [];
  let hiddenIndex = 0;
  cases.forEach((c, i) => {
    const p = probes[i];
    const name = c.hidden ? say({ en: `hidden case ${++hiddenIndex}`, ko: `숨겨진 케이스 ${hiddenIndex}` }, lang) : say(c.label ?? c.name, lang);
    const shown = c.hidden ? {} : { expected: formatValue(c.expected, undefined, lang) };
    let result: CaseResult;
    if (p.error === undefined) {
      let got: unknown = p.value;
      let judged = true;
      try {
        got = c.judge ? c.judge(p.value) : p.value;
      } catch (e) {
        judged = false;
        got = new Message(`a value the check cannot read (${errorText(e, "en")})`, `check가 읽을 수 없는 값 (${errorText(e, "ko")})`);
      }
      const passed = judged && !(got instanceof Unreadable) && sameValue(c.expected, got, c.tolerance);
      result = { name, hidden: !!c.hidden, status: passed ? "passed" : "failed", ...shown };
      if (!c.hidden) result.got = formatValue(got, undefined, lang);
    } else {
      const message = String(p.error);
      const status: CaseStatus = !p.missing && NOT_IMPLEMENTED.test(message) ? "not implemented" : "error";
      result = { name, hidden: !!c.hidden, status, ...shown, error: message };
    }
    if (result.status !== "passed" && c.hint) result.hint = say(c.hint, lang);
    results.push(result);
  });
  const passed = results.filter((r) => r.status === "passed").length;
  return {
    exercise: exercise.id,
    lesson: exercise.lesson,
    title: say(exercise.title, lang),
    points: exercise.points,
    earned: Math.round((100 * exercise.points * passed) / results.length) / 100,
    passed,
    total: results.length,
    hiddenNotRun: exercise.cases.length - cases.length,
    cases: results,
  };
}

/** Runs an exercise's cases against `impl` and judges them; never throws, never displays. */
export async function runCases<F>(exercise: Exercise<F>, impl: F, options: RunOptions = {}): Promise<CheckResult> {
  return judgeProbes(exercise, await probeCases(exercise, impl, options), options);
}

/** The MIME type of the grading-mode check's output: the probes, for the grader to judge. */
export const PROBE_MIME = "application/vnd.dlbb.probes+json";

/** A value the kernel could only describe (a class instance, a function): equal to no expected value. */
export class Unreadable {
  constructor(readonly picture: string) {}
  [inspect.custom](): string {
    return this.picture;
  }
}

/**
 * A probe's value as JSON-safe data: numbers JSON cannot hold (NaN, ±Infinity, −0), undefined and
 * typed arrays are tagged; anything else that is not plain data is sent as its picture.
 */
export function encodeValue(v: unknown, depth = 0): unknown {
  if (depth > 50) return { $other: "<nested too deeply>" };
  if (typeof v === "number") {
    if (Number.isNaN(v)) return { $num: "NaN" };
    if (v === Infinity) return { $num: "Infinity" };
    if (v === -Infinity) return { $num: "-Infinity" };
    if (Object.is(v, -0)) return { $num: "-0" };
    return v;
  }
  if (v === undefined) return { $undefined: true };
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map((x) => encodeValue(x, depth + 1));
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return { $typed: v.constructor.name, values: Array.from(v as unknown as ArrayLike<unknown>, (x) => encodeValue(x, depth + 1)) };
  }
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return { $object: Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, encodeValue(x, depth + 1)]) };
  }
  return { $other: formatValue(v) };
}

const TYPED: Record<string, new (values: number[]) => ArrayLike<unknown>> = {
  Float64Array, Float32Array, Int32Array, Int16Array, Int8Array, Uint32Array, Uint16Array, Uint8Array, Uint8ClampedArray,
};

/** The inverse of {@link encodeValue}, for data from an untrusted kernel: throws on anything malformed. */
export function decodeValue(v: unknown, depth = 0): unknown {
  if (depth > 60) throw new Error("nested too deeply");
  if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
  if (Array.isArray(v)) return v.map((x) => decodeValue(x, depth + 1));
  if (typeof v !== "object") throw new Error(`unexpected ${typeof v}`);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const only = (...k: string[]) => keys.length === k.length && k.every((x) => keys.includes(x));
  if (only("$num") && ["NaN", "Infinity", "-Infinity", "-0"].includes(o.$num as string)) return Number(o.$num);
  if (only("$undefined") && o.$undefined === true) return undefined;
  if (only("$other") && typeof o.$other === "string") return new Unreadable(o.$other.slice(0, 500));
  if (only("$typed", "values") && typeof o.$typed === "string" && Object.prototype.hasOwnProperty.call(TYPED, o.$typed) && Array.isArray(o.values)) {
    const values = o.values.map((x) => decodeValue(x, depth + 1));
    if (!values.every((x) => typeof x === "number")) throw new Error("a typed array holds a non-number");
    return new TYPED[o.$typed](values as number[]);
  }
  if (only("$object") && Array.isArray(o.$object)) {
    const out: Record<string, unknown> = {};
    for (const entry of o.$object) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") throw new Error("a malformed object entry");
      Object.defineProperty(out, entry[0], { value: decodeValue(entry[1], depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new Error(`an unexpected object (keys ${keys.slice(0, 5).join(", ")})`);
}

/** Probes → the JSON-safe form the grading-mode check sends. */
export function encodeProbes(probes: Probe[]): unknown[] {
  return probes.map((p) => (p.error !== undefined ? { error: p.error, ...(p.missing ? { missing: true } : {}) } : { value: encodeValue(p.value) }));
}

/** The grader's reading of a kernel's probes; throws an Error saying what is malformed. */
export function decodeProbes(data: unknown): Probe[] {
  if (!Array.isArray(data)) throw new Error("the probes are not a list");
  return data.map((p, i) => {
    if (p === null || typeof p !== "object" || Array.isArray(p)) throw new Error(`probe ${i} is not an object`);
    const o = p as Record<string, unknown>;
    const keys = Object.keys(o).sort().join(",");
    if (keys === "value") return { value: decodeValue(o.value) };
    if ((keys === "error" || keys === "error,missing") && typeof o.error === "string" && (o.missing === undefined || o.missing === true)) {
      return { error: o.error.slice(0, MAX_MESSAGE), ...(o.missing ? { missing: true } : {}) };
    }
    throw new Error(`probe ${i} is malformed (keys ${keys.slice(0, 80)})`);
  });
}


function withSummary(result: CheckResult): CheckResult {
  // tslab prints a cell's last value: show one line instead of the whole object.
  Object.defineProperty(result, inspect.custom, {
    value: () => say({ en: `${result.exercise}: ${result.earned} / ${result.points} points`, ko: `${result.exercise}: ${result.earned} / ${result.points}점` }),
    enumerable: false,
  });
  return result;
}

/**
 * Checks the functions in `impl` against the cases of exercise `id`, shows the outcome and
 * resolves to it. Never throws: a missing function, a wrong answer or an error inside the
 * solution all become failed cases. When grading it only shows the probes, for the grader.
 */
export async function check(id: string, impl: Record<string, unknown>): Promise<CheckResult> {
  const exercise = findExercise(String(id));
  if (isGrading()) {
    const probes = exercise ? encodeProbes(await probeCases(exercise as Exercise<Record<string, unknown>>, impl, { hidden: true })) : null;
    const n = probes?.length ?? 0;
    showBundle({ [PROBE_MIME]: { exercise: String(id), probes }, "text/plain": say({ en: `${id}: ${n} case(s) run for the grader`, ko: `${id}: 채점을 위해 케이스 ${n}개를 실행했습니다` }) });
    return {
      exercise: String(id), lesson: exercise?.lesson ?? "", title: exercise ? say(exercise.title) : "", points: exercise?.points ?? 0,
      earned: 0, passed: 0, total: n, hiddenNotRun: 0, cases: [], problem: say({ en: "judged by the grader", ko: "채점기가 판정합니다" }),
    };
  }
  let result: CheckResult;
  if (!exercise) {
    result = {
      exercise: String(id), lesson: "", title: "", points: 0, earned: 0, passed: 0, total: 0, hiddenNotRun: 0, cases: [],
      problem: say({
        en: `there is no exercise "${id}" in dl-building-blocks (check the id in this cell)`,
        ko: `dl-building-blocks에는 "${id}"라는 연습 문제가 없습니다 (이 셀의 id를 확인하세요)`,
      }),
    };
  } else {
    result = await runCases(exercise as Exercise<Record<string, unknown>>, impl);
  }
  showBundle({ "text/html": renderHtml(result), "text/plain": renderText(result) });
  return withSummary(result);
}
