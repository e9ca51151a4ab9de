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
 */
import { inspect } from "util";

// `any` is deliberate: each exercise declares its own function signatures in F.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => unknown;
type ArgsOf<T> = T extends (...args: infer A) => unknown ? A : never;
type ResultOf<T> = T extends (...args: never[]) => infer R ? Awaited<R> : never;

/** One call of the student's functions and the value it must give. */
export interface Case<F> {
  /** What the student sees, e.g. `stepsPerEpoch(60000, 128)`. */
  name: string;
  /** Calls the student's functions (fresh arguments on every call). */
  run: (impl: F) => unknown;
  expected: unknown;
  /** Shown when the case fails. */
  hint?: string;
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
  hint?: string;
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
  title: string;
  /** Points for all cases passed; a share of them for a share of the cases. */
  points: number;
  cases: (call: CaseBuilder<F>) => Case<F>[];
}

export interface Exercise<F = Record<string, Fn>> {
  id: string;
  lesson: string;
  title: string;
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
  const functions: string[] = [];
  const call: CaseBuilder<F> = (fn, args, expected, options = {}) => {
    if (!functions.includes(fn)) functions.push(fn);
    return {
      name: `${fn}(${args.map((a: unknown) => formatValue(a)).join(", ")})`,
      run: (impl: F) => {
        const f = (impl as Record<string, unknown> | null | undefined)?.[fn];
        if (typeof f !== "function") {
          throw new MissingFunctionError(
            `${fn} is ${f === undefined ? "missing" : `not a function (got ${formatValue(f)})`}: pass it to check, e.g. check("${spec.id}", { ${fn} })`,
          );
        }
        // A deep copy, so a solution that mutates its arguments cannot change the next case.
        return (f as Fn)(...(structuredCloneSafe(args) as unknown[]));
      },
      expected,
      ...options,
    };
  };
  const cases = spec.cases(call);
  if (cases.length === 0) throw new Error(`${where}: no cases`);
  if (!cases.some((c) => !c.hidden)) throw new Error(`${where}: every case is hidden; students need at least one visible case`);
  // Frozen, so that code in a notebook cannot quietly drop or change cases.
  for (const c of cases) Object.freeze(c);
  const exercise: Exercise<F> = Object.freeze({
    id: spec.id, lesson: spec.lesson, title: spec.title, points: spec.points,
    functions: Object.freeze(functions) as string[], cases: Object.freeze(cases) as Case<F>[],
  });
  registry.set(spec.id, exercise as Exercise<unknown>);
  return exercise;
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

/** A short, one-line picture of a value (strings quoted, long arrays and texts cut). */
export function formatValue(value: unknown, maxLength = 200): string {
  let s: string;
  try {
    s = inspect(value, { depth: 3, maxArrayLength: 20, maxStringLength: maxLength, breakLength: Infinity, compact: true });
  } catch (e) {
    s = `<value that cannot be shown: ${(e as Error)?.message ?? e}>`;
  }
  return s.length > maxLength ? s.slice(0, maxLength - 1) + "…" : s;
}
