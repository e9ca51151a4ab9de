/**
 * The reference solutions of a lesson notebook as callable functions, for testing an exercise's
 * cases (hidden ones included) against exactly the code the notebook's solution cell holds.
 */
import { readFileSync } from "fs";
import { join } from "path";
import * as ts from "typescript";
import * as tf from "@tensorflow/tfjs";
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
