/** The check machinery (src/exercises): case comparison, runCases, the grading channel, rendering. */
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as ts from "typescript";
import { afterEach, describe, expect, it, vi } from "vitest";
import { findExercise, formatValue, sameValue } from "../../src/exercises/cases";
import { runCases, type CheckResult } from "../../src/exercises/check";
import { renderHtml, renderText } from "../../src/exercises/report";
import "../../src/exercises/lesson01";
import { loadSolution } from "../helpers/solutions";

/** Compiles TypeScript functions (as a student would write them) and returns them by name. */
function compile(source: string, names: string[]): Record<string, unknown> {
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2020 } }).outputText;
  return new Function(`${js}\nreturn { ${names.map((n) => `${n}: ${n}`).join(", ")} };`)();
}

const steps = findExercise("steps-per-epoch")!;
const predicted = findExercise("predicted-class")!;
const stub = (name: string) => () => {
  throw new Error(`not implemented yet: ${name}`);
};

describe("sameValue", () => {
  it("needs exactly the integer for an integer expectation, unless the case sets a tolerance", () => {
    expect(sameValue(469, 469)).toBe(true);
    expect(sameValue(469, 469.0000001)).toBe(false);
    expect(sameValue(2, 2.0000000000000004, 1e-9)).toBe(true);
    expect(sameValue(0, -0)).toBe(true);
    expect(sameValue(469, "469")).toBe(false);
  });
  it("compares other numbers relatively, arrays element-wise, objects key by key", () => {
    expect(sameValue(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameValue(0.3, 0.31)).toBe(false);
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue([1, 2.5], new Float64Array([1, 2.5]))).toBe(true);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, extra: 0 })).toBe(false);
  });
});

describe("runCases on lesson 01's exercises", () => {
  it("gives the reference solutions of the notebook full points, hidden cases included", async () => {
    const s = await runCases(steps, loadSolution("01-first-look.ipynb", "steps-per-epoch", steps.functions), { hidden: true });
    const p = await runCases(predicted, loadSolution("01-first-look.ipynb", "predicted-class", predicted.functions), { hidden: true });
    expect([s.earned, s.passed, s.total]).toEqual([3, steps.cases.length, steps.cases.length]);
    expect([p.earned, p.passed, p.total]).toEqual([2, predicted.cases.length, predicted.cases.length]);
  });

  it("runs only the visible cases for the self-check and says how many are hidden", async () => {
    const r = await runCases(steps, loadSolution("01-first-look.ipynb", "steps-per-epoch", steps.functions));
    const visible = steps.cases.filter((c) => !c.hidden).length;
    expect(r.total).toBe(visible);
    expect(r.hiddenNotRun).toBe(steps.cases.length - visible);
    expect(r.hiddenNotRun).toBeGreaterThan(0);
    expect(renderText(r)).toMatch(/hidden cases are also run when your teacher grades/);
  });

  it("reports the released stubs as not implemented, 0 points, without throwing", async () => {
    const r = await runCases(steps, { stepsPerEpoch: stub("stepsPerEpoch"), lastBatchSize: stub("lastBatchSize"), totalUpdates: stub("totalUpdates") });
    expect(r.earned).toBe(0);
    expect(new Set(r.cases.map((c) => c.status))).toEqual(new Set(["not implemented"]));
    expect(r.cases[0].error).toBe("not implemented yet: stepsPerEpoch");
  });

  it("shows expected vs got and the hint of a wrong answer, and scores the share of cases passed", async () => {
    const impl = compile(
      `function stepsPerEpoch(samples: number, batchSize: number) { return Math.floor(samples / batchSize); }
       function lastBatchSize(samples: number, batchSize: number) { return samples % batchSize; }
       function totalUpdates(samples: number, batchSize: number, epochs: number) { return stepsPerEpoch(samples, batchSize) * epochs; }`,
      ["stepsPerEpoch", "lastBatchSize", "totalUpdates"],
    );
    const r = await runCases(steps, impl, { hidden: true });
    const first = r.cases[0];
    expect(first).toMatchObject({ name: "stepsPerEpoch(60000, 128)", status: "failed", expected: "469", got: "468" });
    expect(first.hint).toMatch(/round up/);
    // by hand: floor passes stepsPerEpoch(1024,128), lastBatchSize of 60000/10000/50, totalUpdates(1024,128,1)
    expect(r.passed).toBe(5);
    expect(r.earned).toBe(Math.round((100 * 3 * 5) / 11) / 100);
    // hidden cases keep their inputs and expected value to themselves
    for (const c of r.cases.filter((c) => c.hidden)) {
      expect(c.name).toMatch(/^hidden case \d+$/);
      expect(c.expected).toBeUndefined();
      expect(c.got).toBeUndefined();
    }
  });

  it("turns thrown errors, non-Error throws, missing functions and wrong types into failed cases", async () => {
    const r = await runCases(predicted, {
      predictedClass: (p: number[]) => {
        if (p.length === 3) throw "a string";
        if (p.length === 10) return "7";
        throw new RangeError("oops");
      },
    }, { hidden: true });
    expect(r.earned).toBe(0);
    expect(r.cases[0]).toMatchObject({ status: "error", error: "thrown value 'a string'" });
    expect(r.cases[1]).toMatchObject({ status: "failed", expected: "7", got: "'7'" });
    expect(r.cases.filter((c) => c.hidden).map((c) => c.error)).toContain("RangeError: oops"); // predictedClass([1])
    const missing = await runCases(steps, { stepsPerEpoch: 469 });
    expect(missing.cases[0].error).toMatch(/stepsPerEpoch is not a function \(got 469\)/);
    expect(missing.cases[1].error).toMatch(/lastBatchSize is missing: pass it to check/);
  });

  it("gives each case fresh arguments, so a solution that sorts its input cannot spoil the next case", async () => {
    const r = await runCases(predicted, {
      predictedClass: (p: number[]) => {
        const i = p.indexOf(Math.max(...p));
        p.sort();
        return i;
      },
    }, { hidden: true });
    expect(r.passed).toBe(r.total);
  });

  it("waits for an async solution, but not forever", async () => {
    const r = await runCases(predicted, { predictedClass: () => new Promise(() => {}) }, { asyncTimeoutMs: 20 });
    expect(r.cases[0]).toMatchObject({ status: "error" });
    expect(r.cases[0].error).toMatch(/did not settle within 0.02 s/);
    const ok = await runCases(predicted, { predictedClass: async (p: number[]) => p.indexOf(Math.max(...p)) });
    expect(ok.passed).toBe(ok.total);
  });
});

describe("rendering", () => {
  it("escapes what the student's code returned in the HTML, and cuts long values", async () => {
    const r = await runCases(predicted, { predictedClass: () => "<script>alert(1)</script>".repeat(50) });
    const html = renderHtml(r);
    expect(html).not.toMatch(/<script>/);
    expect(html).toMatch(/&lt;script&gt;/);
    expect(r.cases[0].got!.length).toBeLessThanOrEqual(200);
    expect(formatValue(Array.from({ length: 1000 }, (_, i) => i)).length).toBeLessThanOrEqual(200);
  });

  it("shows ✓/✗, expected vs got, the hint and the points in the text fallback", async () => {
    const r = await runCases(predicted, { predictedClass: () => 0 });
    const text = renderText(r);
    expect(text).toMatch(/^predicted-class — The predicted class of a probability vector/);
    expect(text).toMatch(/✗ predictedClass\(\[ 0\.1, 0\.7, 0\.2 \]\): expected 1, got 0\n {6}hint: Return the index/);
    expect(text).toMatch(/✓ predictedClass\(\[ 0\.4, 0\.4, 0\.2 \]\) = 0/);
    expect(text).toMatch(/1 of 4 visible cases passed — 0\.5 \/ 2 points/);
  });
});

describe("check() and the grading channel", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    vi.resetModules();
    vi.restoreAllMocks();
  });

  async function freshCheck(): Promise<typeof import("../../src/exercises")> {
    vi.resetModules();
    return import("../../src/exercises");
  }

  it("shows the text fallback outside a kernel, resolves to the result and never throws", async () => {
    delete process.env.DLBB_GRADE_FILE;
    const kit = await freshCheck();
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const r: CheckResult = await kit.check("predicted-class", { predictedClass: () => { throw new Error("boom"); } });
    const shown = out.mock.calls.map((c) => String(c[0])).join("");
    out.mockRestore();
    expect(kit.isGrading()).toBe(false);
    expect(r.earned).toBe(0);
    expect(r.total).toBe(4);
    expect(shown).toMatch(/threw: boom/);
    expect(shown).toMatch(/0 of 4 visible cases passed/);
    const unknown = await kit.check("no-such-exercise", {});
    expect(unknown.problem).toMatch(/there is no exercise "no-such-exercise"/);
  });

  it("prints its result as one line, in the kernel's language: 'id: earned / points points' (Korean: '…점')", async () => {
    delete process.env.DLBB_GRADE_FILE;
    const { inspect } = await import("util");
    const kit = await freshCheck();
    const { useLanguage } = await import("../../src/language/language");
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const right = { predictedClass: (p: number[]) => p.indexOf(Math.max(...p)) };
    const r: CheckResult = await kit.check("predicted-class", right);
    useLanguage("ko");
    const ko = await kit.check("predicted-class", right);
    out.mockRestore();
    try {
      expect(inspect(ko)).toBe(`predicted-class: ${ko.earned} / ${ko.points}점`);
    } finally {
      useLanguage(undefined);
    }
    expect(r.earned).toBe(r.points);
    expect(inspect(r)).toBe(`predicted-class: ${r.points} / ${r.points} points`);
  });

  it("when graded: only probes (hidden cases included) and shows them as one bundle; the grader's judgeProbes decides", async () => {
    process.env.DLBB_GRADE = "probes";
    const kit = await freshCheck();
    expect(process.env.DLBB_GRADE).toBeUndefined();
    expect(kit.isGrading()).toBe(true);
    // the kernel's copy of the cases holds no expected value of a hidden case (nor its judge): only the
    // grader's own copy does, so a solution that reads the registry finds nothing to copy
    const hidden = kit.allExercises().flatMap((e) => e.cases.filter((c) => c.hidden));
    expect(hidden.length).toBeGreaterThan(100);
    expect(hidden.filter((c) => c.expected !== undefined || c.judge !== undefined).map((c) => c.name)).toEqual([]);
    expect(kit.allExercises().flatMap((e) => e.cases.filter((c) => !c.hidden && c.expected === undefined && !c.judge)).map((c) => c.name)).toEqual([]);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    await kit.check("predicted-class", { predictedClass: (p: number[]) => p.indexOf(Math.max(...p)) });
    const shown = out.mock.calls.map((c) => String(c[0])).join("");
    out.mockRestore();
    expect(shown).toMatch(/predicted-class: 8 case\(s\) run for the grader/);
    expect(shown).not.toMatch(/passed/);
    // what the grader does with a kernel's probes, in its own process
    const probes = await kit.probeCases(predicted, { predictedClass: (p: number[]) => (p.length > 3 ? 7 : 0) }, { hidden: true });
    const wire = JSON.parse(JSON.stringify(kit.encodeProbes(probes)));
    const judged = kit.judgeProbes(predicted, kit.decodeProbes(wire), { hidden: true });
    expect(judged.total).toBe(predicted.cases.length);
    expect(judged.cases.filter((c) => c.status === "passed").map((c) => c.name)).toEqual([
      "predictedClass([ 0.0, 0.0, 0.0001, 0.0003, 0.0, 0.0, 0.0, 0.9995, 0.0, 0.0001 ])".replace(/0\.0,/g, "0,").replace("0.0 ]", "0 ]"),
      "predictedClass([ 0.4, 0.4, 0.2 ])",
      "hidden case 1",
      "hidden case 3",
    ]);
  });

  it("decodes what a kernel sent strictly: tagged numbers, typed arrays; malformed probes throw", async () => {
    const kit = await freshCheck();
    const values = [NaN, -0, Infinity, undefined, new Float32Array([1.5, 2]), { a: [1, { b: null }] }, "x", true];
    const back = kit.decodeProbes(JSON.parse(JSON.stringify(kit.encodeProbes(values.map((value) => ({ value }))))));
    back.forEach((p, i) => expect(sameValue(values[i], p.value) || Object.is(values[i], p.value), String(i)).toBe(true));
    expect(back[4].value).toBeInstanceOf(Float32Array);
    expect(() => kit.decodeProbes({})).toThrow(/not a list/);
    expect(() => kit.decodeProbes([{ value: 1, passed: true }])).toThrow(/malformed/);
    expect(() => kit.decodeProbes([{ value: { $num: "1e999" } }])).toThrow(/unexpected object/);
    expect(() => kit.decodeProbes([{ error: 5 }])).toThrow(/malformed/);
  });
});
