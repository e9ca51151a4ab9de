// @ts-check
// Grading a class: 30 submissions of lesson 01 (`npm run grade` with its defaults: one kernel per
// submission, as many in parallel as there are cores, 60 s per cell). The submissions are built from
// the lesson 01 master like the grading test's fixtures — mostly right, some wrong, unfinished,
// throwing, not compiling, with deleted check cells or forged output, and one process.exit() (which
// costs a kernel restart). No endless loop: each one would add its whole per-cell timeout.
// Prints `grade-30 SECONDS s`, then the CPU time all grading processes used. Needs `node tools/setup.mjs`.
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lesson01Submissions, writeSubmissions } from "../test/fixtures/grading/make-submissions.mjs";
import { grade } from "../tools/grade.mjs";

const root = join(fileURLToPath(import.meta.url), "..", "..");

/** How many of each fixture make the class of 30. */
export const CLASS = {
  "full-marks": 8,
  "own-words": 6,
  "wrong-answer": 5,
  "untouched-release": 3,
  "thrown-error": 3,
  "syntax-error": 2,
  "deleted-check-cells": 1,
  "forged-passed-output": 1,
  "process-exit": 1,
};

/** CPU seconds used by this process's finished children (and theirs). */
function childCpuSeconds() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks of 1/100 s
}

/**
 * @param {{ log?: (line: string) => void }} [opts]
 * @returns {Promise<{ seconds: number, cpu: number }>}
 */
export async function run(opts = {}) {
  const log = opts.log ?? console.log;
  const master = JSON.parse(readFileSync(join(root, "notebooks", "01-first-look.ipynb"), "utf8"));
  const kinds = new Map(lesson01Submissions(master).map((f) => [f.name, f]));
  const fixtures = [];
  for (const [name, n] of Object.entries(CLASS)) {
    for (let i = 1; i <= n; i++) fixtures.push({ .../** @type {import("../test/fixtures/grading/make-submissions.mjs").Fixture} */ (kinds.get(name)), name: `${name}-${i}` });
  }
  if (fixtures.length !== 30) throw new Error(`grade-30: the class has ${fixtures.length} submissions, not 30`);
  const dir = mkdtempSync(join(tmpdir(), "dlbb-grade-30-"));
  try {
    const paths = writeSubmissions(fixtures, join(dir, "submissions"));
    const cpu0 = childCpuSeconds();
    const t0 = performance.now();
    const { records } = await grade(paths, { out: join(dir, "grades"), log: () => {} });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = childCpuSeconds() - cpu0;
    const wrong = records.filter((r) => r.total !== kinds.get(basename(r.file, ".ipynb").replace(/-\d+$/, ""))?.expect.total);
    log(`grade-30 ${seconds.toFixed(1)} s`);
    log(
      `  ${records.length} submissions, ${availableParallelism()} kernels in parallel; CPU of the grader and its workers ${cpu.toFixed(0)} s ` +
        `(the sandboxed kernels' CPU is not counted: their PID namespaces are killed, not waited for); load average at the end ${loadavg()[0].toFixed(1)}`,
    );
    if (wrong.length) throw new Error(`grade-30: unexpected points for ${wrong.map((r) => `${r.student} (${r.total}, ${r.status})`).join(", ")}`);
    return { seconds, cpu };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
