// Issue 14: the comparison runs outside the student's process, with expected values that never enter
// the sandbox. The kit snapshot every graded kernel sees has the hidden cases' answers taken out of its
// compiled exercise modules (blankHiddenAnswers), and a kernel the grader started keeps no expected
// value of a hidden case in memory (cases.ts): a solution that reads the files or the registry finds
// the calls, never the answers.
import { spawnSync } from "child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, describe, expect, it } from "vitest";
import { allExercises } from "../../src/exercises";
import { hiddenAnswers, snapshotKit } from "../../tools/grading/sandbox.mjs";

const root = join(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "dlbb-answers-"));
afterAll(() => {
  const unlock = (p: string) => {
    chmodSync(p, 0o755);
    for (const e of readdirSync(p)) if (statSync(join(p, e)).isDirectory()) unlock(join(p, e));
  };
  unlock(dir);
  rmSync(dir, { recursive: true, force: true });
});

/** The hidden cases of the registry in `distDir` (names and whether each has an expected value), from a fresh process. */
function hiddenCasesOf(distDir: string, env: Record<string, string> = {}): Array<{ id: string; name: string; hasExpected: boolean }> {
  const script = `const k = require(${JSON.stringify(join(distDir, "exercises", "index.js"))});
    console.log(JSON.stringify(k.allExercises().flatMap((e) => e.cases.filter((c) => c.hidden).map((c) => ({ id: e.id, name: c.name, hasExpected: c.expected !== undefined })))));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", NODE_PATH: join(root, "node_modules"), ...env } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

describe("the kit snapshot of a graded kernel", () => {
  const kit = snapshotKit(root, join(dir, "kit"));
  const lesson01 = readFileSync(join(kit, "dist", "exercises", "lesson01.js"), "utf8");

  it("holds the hidden calls without their answers", () => {
    expect(readFileSync(join(root, "dist", "exercises", "lesson01.js"), "utf8")).toContain('call("stepsPerEpoch", [10000, 128], 79, { hidden: true })');
    expect(lesson01).toContain('call("stepsPerEpoch", [10000, 128], undefined, { hidden: true })');
    expect(lesson01).not.toMatch(/\[10000, 128\], 79/);
    // every hidden case built by call(…), implCase(…) or throwsCase(…) lost its answer; visible cases kept theirs
    const answers = (distDir: string) =>
      readdirSync(join(distDir, "exercises")).filter((n) => /^lesson\d\d\.js$/.test(n))
        .flatMap((f) => hiddenAnswers(readFileSync(join(distDir, "exercises", f), "utf8"), f).map((a) => `${f}: ${a.callee} … ${a.text}`));
    const teacher = answers(join(root, "dist"));
    const snapshot = answers(join(kit, "dist"));
    expect(teacher.length).toBeGreaterThanOrEqual(100);
    expect(snapshot.length).toBe(teacher.length);
    expect(snapshot.filter((a) => !/(undefined|\[\])$/.test(a))).toEqual([]);
    expect(lesson01).toMatch(/call\("stepsPerEpoch", \[60000, 128\], 469/);
  });

  it("still holds every hidden case, with the same calls as the teacher's cases, and none of their expected values", () => {
    const teacher = allExercises().flatMap((e) => e.cases.filter((c) => c.hidden).map((c) => ({ id: e.id, name: c.name })));
    const snapshot = hiddenCasesOf(join(kit, "dist"));
    expect(snapshot.map(({ id, name }) => ({ id, name }))).toEqual(teacher);
    // (what still computes a value on loading is a lesson helper's, from the inputs) — in a kernel the
    // grader started, no hidden case keeps an expected value at all
    expect(hiddenCasesOf(join(kit, "dist"), { DLBB_GRADE: "probes" }).filter((c) => c.hasExpected)).toEqual([]);
  });
});
