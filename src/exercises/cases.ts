/**
 * Exercise cases — how an exercise says what a correct solution does (from lesson 01 on).
 *
 * An exercise is a set of functions the student writes (the solution cell of a lesson notebook)
 * and typed cases that call them: `call("stepsPerEpoch", [60000, 128], 469, { hint })` means
 * "stepsPerEpoch(60000, 128) must return 469". A case marked `hidden` runs only when the teacher
 * grades (`npm run grade`), never in the student's self-check.
 *
 * Exercises register themselves by id (`defineExercise`); `check(id, impl)` (check.ts) looks them up.
 * Comparison is exact for integers, relative within `tolerance` (default 1e-9) for other numbers
 * (and for integers too when a case sets `tolerance`), element by element for arrays and typed
 * arrays, key by key for plain objects.
 *
 * Every text a student reads is written in both editions' languages (`Bilingual`, src/language):
 * an exercise's title and each case's hint as `{ en, ko }`, and the verdicts a case's judge gives
 * as a `Message`. Which one is shown is chosen when the check is judged and shown (`language()`
 * in the student's kernel; the submission's language when grading), never when cases are defined.
 */
import { inspect } from "util";
import { language, say, type Bilingual, type Language } from "../language/language";
import { isGrading } from "./grading-mode";

// `any` is deliberate: each exercise declares its own function signatures in F.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => unknown;
type ArgsOf<T> = T extends (...args: infer A) => unknown ? A : never;
type ResultOf<T> = T extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * A verdict in both languages, e.g. "an Error mentioning 10 and 32" / "Error (메시지에 10, 32 포함)":
 * what a case's `judge` turns the student's result into. Two messages are the same value when their
 * English texts are (`sameValue`); `formatValue` shows the text of the language asked for.
 */
export class Message implements Bilingual {
  constructor(
    readonly en: string,
    readonly ko: string,
  ) {
    Object.freeze(this);
  }
}

/** One call of the student's functions and the value it must give. */
export interface Case<F> {
  /** The call as code, e.g. `stepsPerEpoch(60000, 128)`: what the student sees, unless `label` says it in words. */
  name: string;
  /** What the student sees when the call needs words (e.g. "… throws"), in both languages. */
  label?: Bilingual;
  /** Calls the student's functions (fresh arguments on every call). */
  run: (impl: F) => unknown;
  expected: unknown;
  /** Shown when the case fails. */
  hint?: Bilingual;
  /** Runs only when grading. */
  hidden?: boolean;
  /** Relative tolerance for numbers (default: integers exact, others 1e-9). */
  tolerance?: number;
  /**
   * Turns what `run` returned into the value compared with `expected` (e.g. a thrown message into
   * "an Error mentioning …"). Runs where the comparison runs: in the grader's own process when
   * grading, never in the student's kernel, so patched globals there cannot change the verdict.
   */
  judge?: (got: unknown) => unknown;
}

export interface CaseOptions {
  hint?: Bilingual;
  hidden?: boolean;
  tolerance?: number;
}

/** Builds a case that calls `impl[fn](...args)`; typed by the exercise's function signatures F. */
export type CaseBuilder<F> = <K extends keyof F & string>(
  fn: K,
  args: ArgsOf<F[K]>,
  expected: ResultOf<F[K]>,
  options?: CaseOptions,
) => Case<F>;

export interface ExerciseSpec<F> {
  /** Stable id, the same as in the notebook's cell metadata, e.g. "steps-per-epoch". */
  id: string;
  /** The lesson notebook's id, e.g. "01-first-look". */
  lesson: string;
  /** What the check shows above its cases, in both languages. */
  title: Bilingual;
  /** Points for all cases passed; a share of them for a share of the cases. */
  points: number;
  cases: (call: CaseBuilder<F>) => Case<F>[];
}

export interface Exercise<F = Record<string, Fn>> {
  id: string;
  lesson: string;
  title: Bilingual;
  points: number;
  /** The functions the cases call, in order of first use: what `check` needs in `impl`. */
  functions: string[];
  cases: Case<F>[];
}

/** Thrown by a case when `impl` lacks one of the exercise's functions. */
export class MissingFunctionError extends Error {}

const registry = new Map<string, Exercise<unknown>>();

/** Defines an exercise and registers it under its id (ids are unique across all lessons). */
export function defineExercise<F>(spec: ExerciseSpec<F>): Exercise<F> {
  const where = `defineExercise("${spec.id}")`;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(spec.id)) throw new Error(`${where}: id must be lower-case words joined by "-"`);
  if (registry.has(spec.id)) throw new Error(`${where}: an exercise with this id is already defined`);
  if (!(spec.points > 0)) throw new Error(`${where}: points must be a positive number, got ${spec.points}`);
  if (!isBilingual(spec.title)) throw new Error(`${where}: the title needs both languages, { en, ko }`);
  const functions: string[] = [];
  const call: CaseBuilder<F> = (fn, args, expected, options = {}) => {
    if (!functions.includes(fn)) functions.push(fn);
    return {
      name: `${fn}(${args.map((a: unknown) => formatValue(a)).join(", ")})`,
      run: (impl: F) => {
        const f = (impl as Record<string, unknown> | null | undefined)?.[fn];
        if (typeof f !== "function") throw missingFunction(fn, f, spec.id, [fn]);
        // A deep copy, so a solution that mutates its arguments cannot change the next case.
        return (f as Fn)(...(structuredCloneSafe(args) as unknown[]));
      },
      expected,
      ...options,
    };
  };
  const cases = spec.cases(call);
  if (cases.length === 0) throw new Error(`${where}: no cases`);
  const unsaid = cases.filter((c) => (c.hint !== undefined && !isBilingual(c.hint)) || (c.label !== undefined && !isBilingual(c.label)));
  if (unsaid.length) throw new Error(`${where}: the hint or label of ${unsaid[0].name} needs both languages, { en, ko }`);
  if (!cases.some((c) => !c.hidden)) throw new Error(`${where}: every case is hidden; students need at least one visible case`);
  // In a kernel the grader started, a hidden case keeps only what runs the student's functions: its
  // expected value (and the judge, which runs where the comparison runs) stay in the grader's own copy.
  if (isGrading()) {
    cases.forEach((c, i) => {
      if (!c.hidden) return;
      const { expected: _expected, judge: _judge, ...probe } = c;
      cases[i] = { ...probe, expected: undefined };
    });
  }
  // Frozen, so that code in a notebook cannot quietly drop or change cases.
  for (const c of cases) Object.freeze(c);
  const exercise: Exercise<F> = Object.freeze({
    id: spec.id, lesson: spec.lesson, title: spec.title, points: spec.points,
    functions: Object.freeze(functions) as string[], cases: Object.freeze(cases) as Case<F>[],
  });
  registry.set(spec.id, exercise as Exercise<unknown>);
  return exercise;
}

/** True for `{ en, ko }` with both texts non-empty. */
function isBilingual(t: unknown): t is Bilingual {
  const b = t as Partial<Bilingual> | null;
  return b !== null && typeof b === "object" && typeof b.en === "string" && typeof b.ko === "string" && b.en.length > 0 && b.ko.length > 0;
}

/**
 * The error of a case whose function is not in `impl`, in the language of the kernel that runs it
 * (it travels to the grader as the case's error text): `fn` is missing, or is not a function.
 */
export function missingFunction(fn: string, got: unknown, id: string, fns: string[]): MissingFunctionError {
  const example = `check("${id}", { ${fns.join(", ")} })`;
  return new MissingFunctionError(
    got === undefined
      ? say({ en: `${fn} is missing: pass it to check, e.g. ${example}`, ko: `${fn} 함수가 없습니다: check에 넘겨 주세요. 예: ${example}` })
      : say({
          en: `${fn} is not a function (got ${formatValue(got)}): pass it to check, e.g. ${example}`,
          ko: `${fn}이(가) 함수가 아닙니다(받은 값: ${formatValue(got)}): 함수를 check에 넘겨 주세요. 예: ${example}`,
        }),
  );
}

/** The registered exercise with this id, or undefined. */
export function findExercise(id: string): Exercise<unknown> | undefined {
  return registry.get(id);
}

/** Every registered exercise, in definition order. */
export function allExercises(): Exercise<unknown>[] {
  return [...registry.values()];
}

function structuredCloneSafe<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => structuredCloneSafe(v)) as unknown as T;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as { slice(): T }).slice();
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCloneSafe(v)])) as T;
  }
  return value;
}

function isNumberArray(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * True when `got` equals `expected` in the sense described at the top of this file. Without a
 * `tolerance`, an integer `expected` (a count, an index) needs exactly that integer and other
 * numbers may differ by 1e-9 relative; a given `tolerance` applies to every number.
 */
export function sameValue(expected: unknown, got: unknown, tolerance?: number): boolean {
  if (expected instanceof Message || got instanceof Message) {
    return expected instanceof Message && got instanceof Message && expected.en === got.en;
  }
  if (typeof expected === "number" && typeof got === "number") {
    if (Number.isNaN(expected) || Number.isNaN(got)) return Number.isNaN(expected) && Number.isNaN(got);
    if (!Number.isFinite(expected) || (tolerance === undefined && Number.isInteger(expected))) return expected === got;
    return Math.abs(expected - got) <= (tolerance ?? 1e-9) * Math.max(1, Math.abs(expected));
  }
  if (isNumberArray(expected)) {
    if (!isNumberArray(got) || got.length !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (!sameValue(expected[i], got[i], tolerance)) return false;
    return true;
  }
  if (expected !== null && typeof expected === "object") {
    if (got === null || typeof got !== "object" || isNumberArray(got)) return false;
    const e = expected as Record<string, unknown>;
    const g = got as Record<string, unknown>;
    const keys = Object.keys(e);
    if (keys.length !== Object.keys(g).length) return false;
    return keys.every((k) => k in g && sameValue(e[k], g[k], tolerance));
  }
  return Object.is(expected, got);
}

/**
 * A short, one-line picture of a value (strings quoted, long arrays and texts cut); a `Message` is
 * shown as the quoted text of `lang`.
 */
export function formatValue(value: unknown, maxLength = 200, lang: Language = language()): string {
  let s: string;
  try {
    s = inspect(value instanceof Message ? value[lang] : value, { depth: 3, maxArrayLength: 20, maxStringLength: maxLength, breakLength: Infinity, compact: true });
  } catch (e) {
    s = say({ en: `<value that cannot be shown: ${(e as Error)?.message ?? e}>`, ko: `<보여 줄 수 없는 값: ${(e as Error)?.message ?? e}>` }, lang);
  }
  return s.length > maxLength ? s.slice(0, maxLength - 1) + "…" : s;
}
