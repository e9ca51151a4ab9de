/**
 * The reference solutions of a lesson notebook as callable functions, for testing an exercise's
 * cases (hidden ones included) against exactly the code the notebook's solution cell holds.
 */
import { readFileSync } from "fs";
import { join } from "path";
import * as ts from "typescript";
import * as tf from "@tensorflow/tfjs";
import { expect, it } from "vitest";
import { runCases } from "../../src/exercises/check";
import type { Exercise } from "../../src/exercises/cases";
import type { Notebook } from "./notebook";

const root = join(__dirname, "..", "..");

/** Source of the solution cell of exercise `id` in notebooks/`file`. */
export function solutionSource(file: string, id: string): string {
  const nb: Notebook = JSON.parse(readFileSync(join(root, "notebooks", file), "utf8"));
  const cell = nb.cells.find((c) => (c.metadata.dlbb as { exercise?: string } | undefined)?.exercise === id);
  if (!cell) throw new Error(`notebooks/${file} has no solution cell for exercise "${id}"`);
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * Compiles a solution cell (TypeScript → JavaScript) and returns the named functions it defines.
 * The cell may use `tf`, as the notebook's setup cells import it.
 */
export function loadSolution(file: string, id: string, names: string[]): Record<string, unknown> {
  const js = ts.transpileModule(solutionSource(file, id), {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.None },
  }).outputText;
  const body = `${js}\nreturn { ${names.map((n) => `${n}: ${n}`).join(", ")} };`;
  return new Function("tf", body)(tf) as Record<string, unknown>;
}

/**
 * The two tests every lesson's exercises get: the notebook's reference solution passes every case
 * (hidden ones included, and some case is hidden), and not-implemented stubs pass none.
 */
export function itChecksSolutionsAndStubs(
  file: string,
  exercises: Exercise<unknown>[],
  opts: { stubsSayNotImplemented?: boolean } = {},
): void {
  it.each(exercises)("the notebook's solution of $id passes all cases, hidden ones included", async (ex) => {
    const result = await runCases(ex, loadSolution(file, ex.id, ex.functions), { hidden: true });
    expect(result.cases.filter((c) => c.status !== "passed")).toEqual([]);
    expect(result.total).toBe(ex.cases.length);
    expect(ex.cases.some((c) => c.hidden)).toBe(true);
  });

  it.each(exercises)("stubs that are not implemented pass no case of $id", async (ex) => {
    const stubs = Object.fromEntries(ex.functions.map((f) => [f, () => { throw new Error(`not implemented yet: ${f}`); }]));
    const result = await runCases(ex, stubs, { hidden: true });
    expect(result.passed).toBe(0);
    if (opts.stubsSayNotImplemented) expect(result.cases.every((c) => c.status === "not implemented")).toBe(true);
  });
}
