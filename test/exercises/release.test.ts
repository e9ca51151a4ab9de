/** The student release (tools/release.mjs): solutions become stubs, everything else stays. */
import { readFileSync } from "fs";
import { join } from "path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { runCases } from "../../src/exercises/check";
import { allExercises } from "../../src/exercises/cases";
import "../../src/exercises/lesson01";
import * as release from "../../tools/release.mjs";

const root = join(__dirname, "..", "..");
const masterPath = join(root, "notebooks", "01-first-look.ipynb");
const masterText = readFileSync(masterPath, "utf8");
const master = JSON.parse(masterText);
const src = (cell: { source: string | string[] }): string => release.cellSource(cell);
const meta = (cell: { metadata?: { dlbb?: Record<string, unknown> } }) => cell.metadata?.dlbb ?? {};

describe("stubSolution", () => {
  const cell = [
    "// a comment above",
    "function stepsPerEpoch(samples: number, batchSize: number): number {",
    "  // BEGIN SOLUTION",
    "  return Math.ceil(samples / batchSize);",
    "  // END SOLUTION",
    "}",
    "",
    "const predictedClass = (p: number[]): number => {",
    "    // BEGIN SOLUTION",
    "    return p.indexOf(Math.max(...p));",
    "    // END SOLUTION",
    "};",
  ].join("\n");

  it("keeps the signature lines, and puts a stub naming the function at the block's indentation", () => {
    expect(release.stubSolution(cell, "x")).toBe(
      [
        "// a comment above",
        "function stepsPerEpoch(samples: number, batchSize: number): number {",
        "  // YOUR CODE HERE",
        '  throw new Error("not implemented yet: stepsPerEpoch");',
        "}",
        "",
        "const predictedClass = (p: number[]): number => {",
        "    // YOUR CODE HERE",
        '    throw new Error("not implemented yet: predictedClass");',
        "};",
      ].join("\n"),
    );
  });

  it("refuses unbalanced markers and solution cells without a block, naming the place", () => {
    expect(() => release.stubSolution("// BEGIN SOLUTION\nx", "ex", "nb cell 3")).toThrow(/nb cell 3: \/\/ BEGIN SOLUTION without \/\/ END SOLUTION/);
    expect(() => release.stubSolution("x\n// END SOLUTION", "ex", "nb")).toThrow(/line 2: \/\/ END SOLUTION without/);
    expect(() => release.stubSolution("// BEGIN SOLUTION\n// BEGIN SOLUTION", "ex", "nb")).toThrow(/inside another solution block/);
    expect(() => release.stubSolution("function f() {}", "ex", "nb")).toThrow(/solution cell of "ex" has no \/\/ BEGIN SOLUTION/);
  });
});

describe("releaseNotebook on lesson 01", () => {
  const student = release.releaseNotebook(master, masterPath);

  it("leaves no solution in the student notebook and does not change the master", () => {
    const text = release.notebookJson(student);
    expect(text).not.toMatch(/BEGIN SOLUTION|END SOLUTION/);
    for (const cell of master.cells.filter((c: never) => meta(c).exercise !== undefined)) {
      const mine = student.cells.find((c: { id: string }) => c.id === cell.id);
      const solutionLines = src(cell).split("// BEGIN SOLUTION").slice(1).map((b: string) => b.split("// END SOLUTION")[0]);
      for (const line of solutionLines.join("\n").split("\n").map((l: string) => l.trim()).filter((l: string) => l.length > 3)) {
        expect(src(mine)).not.toContain(line);
      }
    }
    expect(readFileSync(masterPath, "utf8")).toBe(masterText);
    expect(release.notebookJson(master)).toBe(masterText.endsWith("\n") ? masterText : masterText + "\n");
  });

  it("turns each solution cell into stubs that throw 'not implemented yet', keeping ids and exercise metadata", () => {
    const solutions = student.cells.filter((c: never) => meta(c).exercise !== undefined);
    expect(solutions.map((c: never) => meta(c))).toEqual([
      { exercise: "steps-per-epoch", points: 3 },
      { exercise: "predicted-class", points: 2 },
    ]);
    const steps = src(solutions[0]);
    for (const fn of ["stepsPerEpoch", "lastBatchSize", "totalUpdates"]) {
      expect(steps).toContain(`throw new Error("not implemented yet: ${fn}");`);
    }
    expect(steps).toContain("function totalUpdates(samples: number, batchSize: number, epochs: number): number {");
    expect(steps.match(/\/\/ YOUR CODE HERE/g)?.length).toBe(3);
  });

  it("keeps every other cell as in the master, clears all outputs and execution counts", () => {
    expect(student.cells.map((c: { id: string }) => c.id)).toEqual(master.cells.map((c: { id: string }) => c.id));
    expect(student.metadata).toEqual(master.metadata);
    master.cells.forEach((m: never, i: number) => {
      const s = student.cells[i];
      expect(s.metadata).toEqual((m as { metadata: unknown }).metadata);
      if (meta(m).exercise === undefined) expect(src(s)).toBe(src(m));
      if (s.cell_type === "code") {
        expect(s.outputs).toEqual([]);
        expect(s.execution_count).toBeNull();
      }
    });
  });

  it("gives stubs that compile and, when checked, report 'not implemented yet' for every case", async () => {
    for (const ex of allExercises().filter((e) => e.lesson === "01-first-look")) {
      const cell = student.cells.find((c: never) => meta(c).exercise === ex.id);
      const diagnostics = ts.transpileModule(src(cell), { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2020 } });
      expect(diagnostics.diagnostics ?? []).toEqual([]);
      const impl = new Function(`${diagnostics.outputText}\nreturn { ${ex.functions.map((f) => `${f}: ${f}`).join(", ")} };`)();
      const r = await runCases(ex, impl, { hidden: true });
      expect(r.earned).toBe(0);
      expect(r.cases.every((c) => c.status === "not implemented")).toBe(true);
    }
  });
});

describe("masterParts", () => {
  const nb = (cells: object[]) => ({ nbformat: 4, metadata: { dlbb: { lesson: "l" } }, cells });
  const code = (source: string, dlbb?: object) => ({ cell_type: "code", source, metadata: dlbb ? { dlbb } : {}, outputs: [] });

  it("finds lesson 01's setup, solution and check cells, consistent with src/exercises", () => {
    const parts = release.masterParts(master, "lesson 01");
    expect(parts.lesson).toBe("01-first-look");
    expect(parts.setup.some((s: string) => /import \{ check \} from "dl-building-blocks"/.test(s))).toBe(true);
    expect(parts.exercises.map((e: { id: string; points: number }) => [e.id, e.points])).toEqual([
      ["steps-per-epoch", 3],
      ["predicted-class", 2],
    ]);
    expect(parts.exercises[0].checks).toEqual(['await check("steps-per-epoch", { stepsPerEpoch, lastBatchSize, totalUpdates });']);
    expect(release.crossCheck(parts, "lesson 01")).toEqual([]);
  });

  it("refuses markup that would leak a solution or leave an exercise unchecked", () => {
    expect(() => release.masterParts(nb([code("// BEGIN SOLUTION\nx\n// END SOLUTION")]), "m")).toThrow(/has solution markers but no dlbb.exercise/);
    expect(() => release.masterParts(nb([code("// BEGIN SOLUTION\n// END SOLUTION", { exercise: "a", points: 1 })]), "m")).toThrow(/exercise "a" has no check cell/);
    expect(() => release.masterParts(nb([code("x", { check: "b" })]), "m")).toThrow(/a check cell for "b", which has no solution cell/);
    expect(() => release.masterParts(nb([code("// BEGIN SOLUTION\n// END SOLUTION", { exercise: "a" })]), "m")).toThrow(/needs dlbb.points > 0/);
  });

  it("reports points that disagree with src/exercises", () => {
    const parts = { lesson: "01-first-look", exercises: [{ id: "steps-per-epoch", points: 5 }, { id: "nope", points: 1 }] };
    expect(release.crossCheck(parts, "m")).toEqual([
      'm: exercise "steps-per-epoch" has 5 points in the notebook but 3 in src/exercises',
      'm: exercise "nope" has no cases in src/exercises (defineExercise)',
    ]);
  });
});
