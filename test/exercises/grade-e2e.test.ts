/**
 * End to end: `node tools/grade.mjs` grades a class of lesson 01 fixture submissions (built from the
 * master by test/fixtures/grading/make-submissions.mjs) on real kernels, with a 10 s cell timeout.
 */
import { spawn } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExercise } from "../../src/exercises/cases";
import { runCases } from "../../src/exercises/check";
import "../../src/exercises/lesson01";
import { lesson01Submissions, writeSubmissions } from "../fixtures/grading/make-submissions.mjs";
import { pointsFor } from "../../tools/grade.mjs";

const root = join(__dirname, "..", "..");
const master = JSON.parse(readFileSync(join(root, "notebooks", "01-first-look.ipynb"), "utf8"));
const fixtures = lesson01Submissions(master);
type Fixture = (typeof fixtures)[number];

const dir = mkdtempSync(join(tmpdir(), "dlbb-e2e-"));
const graderTmp = join(dir, "tmp");
const out = join(dir, "grades");
let paths: string[] = [];
const before = new Map<string, { hash: string; mtime: number }>();
let run: { code: number | null; stdout: string; stderr: string; seconds: number };
let json: { submissions: Array<Record<string, any>> };

const fingerprint = (p: string) => ({ hash: createHash("sha256").update(readFileSync(p)).digest("hex"), mtime: statSync(p).mtimeMs });

beforeAll(async () => {
  paths = writeSubmissions(fixtures, join(dir, "class"));
  for (const p of paths) before.set(p, fingerprint(p));
  mkdirSync(graderTmp);
  const started = Date.now();
  run = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "tools", "grade.mjs"), "--out", out, "--timeout", "10", join(dir, "class")], {
      cwd: root,
      env: { ...process.env, TMPDIR: graderTmp },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
  if (run.code === 0) json = JSON.parse(readFileSync(join(out, "grades.json"), "utf8"));
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (f: Fixture) => json.submissions.find((s) => s.file.endsWith(`/${f.name}.ipynb`))!;

describe("grading a class of lesson 01 submissions", () => {
  it("finishes the batch: exit code 0, one record per submission", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(json.submissions.length).toBe(fixtures.length);
    console.log(`graded ${fixtures.length} fixture submissions in ${run.seconds.toFixed(1)} s`);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))("%s: exact points and status", (_name, f) => {
    const r = record(f);
    expect(r.status).toBe(f.expect.status);
    expect(r.student).toBe(f.student);
    expect(Object.fromEntries(Object.entries(r.exercises).map(([id, e]: [string, any]) => [id, e.points]))).toEqual(f.expect.points);
    expect(r.total).toBe(f.expect.total);
    expect(r.max).toBe(Object.keys(f.expect.points).length ? 5 : 0);
  });

  it("gives the wrong answer the same partial points as the kit's own check of that code", async () => {
    const f = fixtures.find((x) => x.partial)!;
    const ex = findExercise(f.partial!.exercise)!;
    const js = ts.transpileModule(f.partial!.source, { compilerOptions: { target: ts.ScriptTarget.ES2020 } }).outputText;
    const impl = new Function(`${js}\nreturn { ${ex.functions.map((n) => `${n}: ${n}`).join(", ")} };`)();
    const own = await runCases(ex, impl, { hidden: true });
    expect(record(f).exercises[ex.id].points).toBe(pointsFor(ex.points, own));
    expect(own.passed).toBeGreaterThan(0);
    expect(own.passed).toBeLessThan(own.total);
  });

  it("says why an exercise was not graded", () => {
    const reason = (name: string, id: string) => record(fixtures.find((f) => f.name === name)!).exercises[id].reason as string;
    expect(reason("infinite-loop", "steps-per-epoch")).toMatch(/did not finish within 10 s/);
    expect(reason("process-exit", "steps-per-epoch")).toMatch(/the kernel stopped during the check cell/);
    expect(reason("syntax-error", "steps-per-epoch")).toMatch(/the solution cell failed: .*'\)' expected/);
    expect(reason("lost-metadata", "predicted-class")).toMatch(/no solution cell for "predicted-class"/);
    expect(record(fixtures.find((f) => f.name === "malformed-json")!).reason).toMatch(/not valid JSON/);
    for (const name of ["infinite-loop", "process-exit", "syntax-error"]) {
      expect(reason(name, "predicted-class")).toBeNull();
    }
  });

  it("writes grades.csv with a row per submission", () => {
    const rows = readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe("student,lesson,steps-per-epoch,predicted-class,total,max,status");
    expect(rows.length).toBe(fixtures.length + 1);
    expect(rows).toContain("wrong-answer,01-first-look,1.36,2,3.36,5,ok");
    expect(rows).toContain("malformed-json,,,,0,0,invalid-json");
  });

  it("writes a feedback page per student with the messages of the self-check", () => {
    const pages = readdirSync(join(out, "feedback"));
    expect(pages.length).toBe(fixtures.length);
    const page = (name: string) => readFileSync(record(fixtures.find((f) => f.name === name)!).feedback, "utf8");
    expect(page("wrong-answer")).toContain("expected 469, got 468");
    expect(page("wrong-answer")).toContain("round up (Math.ceil)");
    expect(page("untouched-release")).toContain("not implemented yet: stepsPerEpoch");
    expect(page("infinite-loop")).toContain("did not finish within 10 s");
    expect(pages).toContain("Grace Hopper.html");
  });

  it("prints a summary table", () => {
    expect(run.stdout).toMatch(/student +lesson +steps-per-epoch +predicted-class +total +status/);
    expect(run.stdout).toMatch(/infinite-loop +01-first-look +0 +2 +2 \/ 5 +timeout/);
  });

  it("changed no submission file, and left no kernel or temporary folder behind", () => {
    for (const p of paths) expect(fingerprint(p), p).toEqual(before.get(p));
    expect(readdirSync(graderTmp)).toEqual([]);
    const leftovers = readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readlinkSync(`/proc/${p}/cwd`).startsWith(graderTmp);
        } catch {
          return false;
        }
      });
    expect(leftovers).toEqual([]);
  });
});
