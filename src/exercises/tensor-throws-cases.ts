/**
 * Two kinds of exercise case that `call` (cases.ts) cannot express, first needed in lessons 02
 * and 03 ("Tensors", "Tensor operations and broadcasting"):
 *   - `tensorCase`: the student's function takes and returns tf.Tensors. The input tensors are
 *     made when the case runs (after the lesson's `ready()` chose a backend), and the result is
 *     read back as `{ shape, values }`, plain numbers that `sameValue` can compare and show;
 *   - `throwsCase`: the student's function must throw an Error for these arguments, and its
 *     message must mention the given words or numbers (e.g. the two sizes that clash).
 */
import * as tf from "@tensorflow/tfjs";
import { say, type Bilingual } from "../language/language";
import { Message, MissingFunctionError, formatValue, missingFunction, type Case, type CaseBuilder, type CaseOptions } from "./cases";

/** The message of the stub students start from (check.ts reports it as "not implemented"). */
const NOT_IMPLEMENTED = /^not implemented yet/i;

/** A tensor given by its shape and a formula for the value at each position. */
export interface TensorSpec {
  shape: number[];
  /** Value at a position, e.g. `([s, r, c]) => 100 * s + 10 * r + c`. */
  value: (index: number[]) => number;
  dtype?: "float32" | "int32";
}

/** The values of `spec` as nested arrays (a scalar for shape []). */
export function nestedValues(spec: TensorSpec): unknown {
  const build = (prefix: number[]): unknown => {
    if (prefix.length === spec.shape.length) return spec.value(prefix);
    return Array.from({ length: spec.shape[prefix.length] }, (_, i) => build([...prefix, i]));
  };
  return build([]);
}

/** "tensor of shape [10, 2]" — how a tensor argument appears in a case's name (Korean: Chollet's 크기 for shape, lesson 02). */
export function describeTensor(spec: TensorSpec): Bilingual {
  const shape = `[${spec.shape.join(", ")}]`;
  return { en: `tensor of shape ${shape}`, ko: `크기가 ${shape}인 텐서` };
}

/** What a tensor case expects: the result's shape and its values as nested arrays. */
export interface TensorResult {
  shape: number[];
  values: unknown;
}

function studentFunction(impl: unknown, fn: string, id: string): (...args: unknown[]) => unknown {
  const f = (impl as Record<string, unknown> | null | undefined)?.[fn];
  if (typeof f !== "function") throw missingFunction(fn, f, id, [fn]);
  return f as (...args: unknown[]) => unknown;
}

/**
 * A case calling `fn` with tensors (made from `TensorSpec`s when the case runs) and plain values,
 * expecting a tensor with `expected`'s shape and values.
 */
export function tensorCase<F>(
  call: CaseBuilder<F>,
  id: string,
  fn: keyof F & string,
  args: Array<TensorSpec | number | number[]>,
  expected: TensorSpec,
  options: CaseOptions = {},
): Case<F> {
  const isSpec = (a: unknown): a is TensorSpec => typeof a === "object" && a !== null && "shape" in a && "value" in a;
  // `call` registers fn among the exercise's functions; name, run and expected are replaced below.
  const base = call(fn, [] as never, undefined as never, options);
  const named = (lang: "en" | "ko") => `${fn}(${args.map((a) => (isSpec(a) ? describeTensor(a)[lang] : formatValue(a, undefined, lang))).join(", ")})`;
  return {
    ...base,
    name: named("en"),
    label: { en: named("en"), ko: named("ko") },
    expected: { shape: expected.shape, values: nestedValues(expected) } satisfies TensorResult,
    run: (impl: F) => {
      const f = studentFunction(impl, fn, id);
      let result: TensorResult | undefined;
      tf.tidy(() => {
        const made = args.map((a) => (isSpec(a) ? tf.tensor(nestedValues(a) as number[], a.shape, a.dtype ?? "float32") : a));
        const out = f(...made);
        if (!(out instanceof tf.Tensor)) {
          throw new Error(say({ en: `${fn} must return a tf.Tensor, got ${formatValue(out)}`, ko: `${fn}은(는) tf.Tensor를 반환해야 합니다. 반환값: ${formatValue(out)}` }));
        }
        result = { shape: out.shape, values: out.arraySync() };
      });
      return result;
    },
  };
}

/**
 * A case where `fn(...args)` must throw an Error whose message mentions every item of `mentions`
 * (numbers are looked for as whole numbers: 3 does not match inside 32).
 */
export function throwsCase<F, K extends keyof F & string>(
  call: CaseBuilder<F>,
  fn: K,
  args: F[K] extends (...a: infer A) => unknown ? A : never,
  mentions: Array<string | number>,
  options: CaseOptions = {},
): Case<F> {
  const base = call(fn, args, undefined as never, options);
  const wanted =
    mentions.length === 0 ? new Message("an Error", "Error") : new Message(`an Error mentioning ${mentions.join(" and ")}`, `Error (메시지에 ${mentions.join(", ")} 포함)`);
  const mentioned = (message: string, m: string | number): boolean =>
    typeof m === "number" ? new RegExp(`(^|[^0-9])${m}([^0-9]|$)`).test(message) : message.includes(m);
  return {
    ...base,
    name: `${base.name} throws`,
    label: { en: `${base.name} throws`, ko: `${base.name}: Error를 던져야 함` },
    expected: wanted,
    // In the kernel: only what happened (the message, or what was returned) …
    run: (impl: F) => {
      let got: unknown;
      try {
        got = base.run(impl);
      } catch (e) {
        if (e instanceof MissingFunctionError) throw e;
        const message = e instanceof Error ? e.message : String(e);
        if (NOT_IMPLEMENTED.test(message)) throw e; // an unfinished stub does not pass by throwing
        return { threw: message };
      }
      return { returned: formatValue(got) };
    },
    // … and where the comparison runs: does the message mention what it must? (a verdict in both languages)
    judge: (got: unknown) => {
      const r = got as { threw?: unknown; returned?: unknown } | null;
      if (r !== null && typeof r === "object" && typeof r.threw === "string") {
        const missing = mentions.filter((m) => !mentioned(r.threw as string, m));
        return missing.length === 0
          ? wanted
          : new Message(`an Error "${r.threw}" that does not mention ${missing.join(" and ")}`, `Error "${r.threw}" (메시지에 ${missing.join(", ")} 없음)`);
      }
      if (r !== null && typeof r === "object" && typeof r.returned === "string") {
        return new Message(`no Error: it returned ${r.returned}`, `Error 없음 (반환값: ${r.returned})`);
      }
      return new Message(`no Error: ${formatValue(got, undefined, "en")}`, `Error 없음: ${formatValue(got, undefined, "ko")}`);
    },
  };
}
