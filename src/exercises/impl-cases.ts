/**
 * Two helpers for exercise cases that `call` (cases.ts) cannot express, first needed in lessons 06
 * and 05 ("Updating parameters, activations and initial weights", "Numerical gradient vs backpropagation"):
 *   - `implCase`: a case that uses the student's functions in its own way — passes them a function,
 *     chains two of them (backward(forward(x))), or looks at an argument after the call;
 *   - `rounded`: numbers rounded to a few decimals, so that a result like 2.0000000000000004 (which
 *     `sameValue` compares exactly with the integer 2) counts as 2.
 */
import type { Bilingual } from "../language/language";
import { missingFunction, type Case, type CaseBuilder, type CaseOptions } from "./cases";

/**
 * A case named `name` (code, or words in both languages) that runs `run(impl)` after checking that
 * `impl` has each of `fns`. `call` is still used so that the functions are registered among the
 * exercise's functions.
 */
export function implCase<F>(
  call: CaseBuilder<F>,
  id: string,
  fns: Array<keyof F & string>,
  name: string | Bilingual,
  run: (impl: F) => unknown,
  expected: unknown,
  options: CaseOptions = {},
): Case<F> {
  if (fns.length === 0) throw new Error(`implCase("${id}"): name at least one function`);
  let base: Case<F> | undefined;
  for (const fn of fns) base = call(fn, [] as never, undefined as never, options);
  return {
    ...(base as Case<F>),
    name: typeof name === "string" ? name : name.en,
    ...(typeof name === "string" ? {} : { label: name }),
    expected,
    run: (impl: F) => {
      for (const fn of fns) {
        const f = (impl as Record<string, unknown> | null | undefined)?.[fn];
        if (typeof f !== "function") throw missingFunction(fn, f, id, fns);
      }
      return run(impl);
    },
  };
}

/** x rounded to `digits` decimals (arrays element by element); anything else is returned as it is. */
export function rounded(x: unknown, digits = 9): unknown {
  const k = 10 ** digits;
  if (typeof x === "number") return Math.round(x * k) / k + 0; // + 0 turns −0 into 0
  if (Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView))) {
    return Array.from(x as ArrayLike<unknown>, (v) => rounded(v, digits));
  }
  return x;
}
