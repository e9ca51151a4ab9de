// How long each lesson takes to execute headless (the lesson issues set budgets: lessons 05–06 under
// a minute, 06–07 under two). Prints `lesson NAME SECONDS s` per notebook; the runner's own time
// (kernel start-up included) is what a teacher's `npm run lessons` would see.
import { basename, join } from "node:path";
import { runNotebooks, selectNotebooks } from "../tools/lessons.mjs";

/** @param {import("../tools/bench.mjs").BenchOptions} opts */
export async function run({ root }) {
  const results = await runNotebooks(selectNotebooks(), { out: join(root, "build", "bench-lessons") });
  for (const r of results) {
    const name = basename(r.notebook, ".ipynb");
    console.log(`lesson ${name} ${r.seconds.toFixed(1)} s${r.ok ? "" : `  (FAILED at cell ${r.cell})`}`);
  }
}
