// tools/nbrun.py --rerun (tools/rerun.py): after the top-to-bottom run, the biggest quick cells are
// re-run in the same kernel, never a cell that trains; the executed notebook keeps the outputs of the
// top-to-bottom run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, describe, expect, it } from "vitest";
import { runNotebooks } from "../tools/lessons.mjs";

const dir = mkdtempSync(join(tmpdir(), "dlbb-rerun-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cells = [
  'import { memoryUsage } from "dl-building-blocks"; // the kit\'s kernel records bytes per cell once the library is loaded',
  "const g = globalThis as any;\ng.runs = (g.runs ?? 0) + 1;\nconsole.log(`small cell, run ${g.runs}`);",
  "const big = new Float64Array(4_000_000);\nconsole.log(`big cell, ${big.length} numbers`);",
  "console.log(`last cell, runs so far ${(globalThis as any).runs}`);",
  // the biggest cell of all, but a training (it starts a progress bar): never re-run
  'import { Progress } from "dl-building-blocks";\nconst weights = new Float64Array(8_000_000);\nconst bar = new Progress({ epochs: 1, stepsPerEpoch: 1 });\nbar.stepEnd({ loss: 1 });\nconsole.log("training cell");',
];
const notebook = {
  cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  metadata: { kernelspec: { name: "dl-building-blocks", display_name: "TypeScript (dl-building-blocks)", language: "typescript" } },
  nbformat: 4,
  nbformat_minor: 5,
};

describe("nbrun.py --rerun", () => {
  it("re-runs the cells that added the most bytes (1 MB at least), except trainings, reports memory per round, and leaves the executed notebook as the first run left it", async () => {
    const path = join(dir, "tiny.ipynb");
    writeFileSync(path, JSON.stringify(notebook));
    const [r] = await runNotebooks([path], { out: join(dir, "out"), cwd: join(__dirname, "..", "notebooks"), rerun: { rounds: 3, top: 3, maxSeconds: 15, fraction: 0.1 } });
    expect(r.error).toBeNull();
    expect(r.rerun?.error).toBeNull();
    // top 3, yet only the big cell: the others added (almost) nothing
    expect(r.rerun?.chosen.map((c: { index: number }) => c.index), JSON.stringify(r.rerun?.chosen)).toEqual([2]);
    expect(r.rerun?.chosen[0].added).toBeGreaterThan(30_000_000);
    expect(r.rerun?.rounds.map((x: { round: number }) => x.round)).toEqual([1, 2, 3]);
    for (const round of r.rerun!.rounds) expect(round.rss).toBeGreaterThan(32_000_000);
    const executed = JSON.parse(readFileSync(r.output, "utf8"));
    const text = executed.cells.map((c: { outputs: Array<{ text?: string | string[] }> }) => c.outputs.map((o) => [o.text ?? ""].flat().join("")).join(""));
    expect(text.slice(0, 4)).toEqual(["", "small cell, run 1\n", "big cell, 4000000 numbers\n", "last cell, runs so far 1\n"]);
    expect(text[4]).toContain("training cell\n");
    expect(executed.cells.map((c: { execution_count: number }) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
  }, 300_000);
});
