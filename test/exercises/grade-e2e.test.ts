/**
 * End to end: `node tools/grade.mjs` grades one batch of lesson 01 fixture submissions (built from the
 * master by test/fixtures/grading/make-submissions.mjs) on real kernels in their sandboxes, with a
 * 10 s cell timeout: honest ones, broken ones, the attacks of issue 14 (lesson01Attacks), and one
 * submission of the Korean edition (notebooks/ko/). It asserts exact scores, untouched files outside
 * the work folders, no process left, no connection made to a listener on 127.0.0.1, and every report
 * written — the Korean submission's in Korean.
 */
import { spawn } from "child_process";
import { createHash, randomBytes } from "crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "fs";
import { createServer, type Server } from "net";
import { tmpdir } from "os";
import { join } from "path";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExercise } from "../../src/exercises/cases";
import { runCases } from "../../src/exercises/check";
import "../../src/exercises/lesson01";
import { floorSteps, lesson01Attacks, lesson01Submissions, writeSubmissions } from "../fixtures/grading/make-submissions.mjs";
import { pointsFor } from "../../tools/grade.mjs";
import { dlbb, notebookJson, releaseNotebook, sourceLines } from "../../tools/release.mjs";
import { digest } from "../../tools/grading/sandbox.mjs";

const root = join(__dirname, "..", "..");
const master = JSON.parse(readFileSync(join(root, "notebooks", "01-first-look.ipynb"), "utf8"));
const honest = lesson01Submissions(master);
/** The Korean edition's student notebook, handed in with steps-per-epoch rounded down (5 of its 11 cases) and predicted-class untouched. */
function koreanSubmission(): (typeof honest)[number] {
  const nb = releaseNotebook(JSON.parse(readFileSync(join(root, "notebooks", "ko", "01-first-look.ipynb"), "utf8")), "lesson 01, Korean edition");
  for (const cell of nb.cells) if (dlbb(cell).exercise === "steps-per-epoch") cell.source = sourceLines(floorSteps);
  const points = { "steps-per-epoch": 1.36, "predicted-class": 0 };
  return { name: "korean-edition", student: "korean-edition", expect: { status: "ok", points, total: 1.36 }, partial: null, text: notebookJson(nb) };
}
const korean = koreanSubmission();
const dir = mkdtempSync(join(tmpdir(), "dlbb-e2e-"));
const marker = `dlbb-attack-${randomBytes(4).toString("hex")}`;
const connections: string[] = [];
const listener: Server = createServer((socket) => {
  connections.push(String(socket.remoteAddress));
  socket.destroy();
});
let port = 0;
let attacks: typeof honest = [];
let fixtures: typeof honest = [];
type Fixture = (typeof honest)[number];
const planted = () => [`/tmp/${marker}`, `/tmp/${marker}-found-out`, `/root/${marker}`, `/${marker}`, `/dev/shm/${marker}`, `/var/tmp/${marker}`, join(root, "notebooks", `${marker}.ipynb`), `/work/${marker}.ipynb`];
const kitDigests = () => ({ dist: digest(join(root, "dist")), notebooks: digest(join(root, "notebooks")), pkg: digest(join(root, "package.json")) });
let kitBefore: ReturnType<typeof kitDigests>;
/** Processes an attack started (by name), or that run as a sandbox user (uid 64000…). */
function leftovers(): string[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
        const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1]);
        return cmd.includes(marker) || (uid >= 64000 && uid < 64100) ? [`${p}: ${cmd.replace(/\0/g, " ")}`] : [];
      } catch {
        return [];
      }
    });
}
const graderTmp = join(dir, "tmp");
const out = join(dir, "grades");
let paths: string[] = [];
const before = new Map<string, { hash: string; mtime: number }>();
let run: { code: number | null; stdout: string; stderr: string; seconds: number };
let json: { submissions: Array<Record<string, any>> };

const fingerprint = (p: string) => ({ hash: createHash("sha256").update(readFileSync(p)).digest("hex"), mtime: statSync(p).mtimeMs });

beforeAll(async () => {
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", () => r()));
  port = (listener.address() as { port: number }).port;
  const victims = honest.map((f) => join(dir, "class", `${f.name}.ipynb`));
  attacks = lesson01Attacks(master, { port, marker, victims });
  fixtures = [...honest, ...attacks, korean];
  kitBefore = kitDigests();
  paths = writeSubmissions(fixtures, join(dir, "class"));
  for (const p of paths) before.set(p, fingerprint(p));
  mkdirSync(graderTmp);
  chmodSync(dir, 0o711); // the sandbox users pass through the grader's TMPDIR to their own folders
  chmodSync(graderTmp, 0o711);
  const started = Date.now();
  run = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "tools", "grade.mjs"), "--out", out, "--timeout", "10", "--memory", "1024", join(dir, "class")], {
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

afterAll(() => {
  listener.close();
  rmSync(dir, { recursive: true, force: true });
});

const record = (f: Fixture) => json.submissions.find((s) => s.file.endsWith(`/${f.name}.ipynb`))!;

describe("grading a class of lesson 01 submissions", () => {
  it("finishes the batch: exit code 0, one record per submission", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(json.submissions.length).toBe(fixtures.length);
    console.log(`graded ${fixtures.length} fixture submissions in ${run.seconds.toFixed(1)} s`);
  });

  it("gives every submission exactly what its functions deserve, attacks included", () => {
    for (const f of fixtures) {
      const r = record(f);
      const got = { status: r.status, student: r.student, points: Object.fromEntries(Object.entries(r.exercises).map(([id, e]: [string, any]) => [id, e.points])), total: r.total };
      // filling 1 GB, or starting 400 processes, may outlast the 10 s cell limit on a busy machine: then
      // it is a timeout, for the same 0 points
      const slow = (f.name === "attack-memory" || f.name === "attack-processes") && got.status === "timeout";
      const status = slow ? f.expect.status : got.status;
      expect({ ...got, status }, f.name).toEqual({ status: f.expect.status, student: f.student, points: f.expect.points, total: f.expect.total });
    }
  });

  it("says why the attacks that crashed their kernel got nothing", () => {
    const reason = (name: string) => record(attacks.find((f) => f.name === name)!).exercises["steps-per-epoch"].reason as string;
    expect(reason("attack-memory")).toMatch(/more than 1024 MB of memory|did not finish within 10 s/);
    expect(reason("attack-environ-forge")).toMatch(/the kernel stopped during the solution cell/);
  });

  it("changed no file outside each submission's work folder: submissions, the kit, the masters, /tmp, homes", () => {
    for (const p of paths) expect(fingerprint(p), p).toEqual(before.get(p));
    expect(kitDigests()).toEqual(kitBefore);
    expect(planted().filter((p) => existsSync(p))).toEqual([]);
  });

  it("left no process behind and made no connection", () => {
    expect(leftovers()).toEqual([]);
    expect(connections).toEqual([]);
  });

  it("flags a name taken by two submissions, and neutralises a formula as a name", () => {
    const rows = readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n");
    expect(rows.find((r) => r.startsWith("full-marks (2),"))).toMatch(/name ""?full-marks""? is also used by/);
    expect(rows.some((r) => r.startsWith(`"'=HYPERLINK(""http://x"",""y"")"`))).toBe(true);
  });

  it.each(honest.map((f) => [f.name, f] as const))("%s: exact points and status", (_name, f) => {
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
    expect(rows[0]).toBe("student,lesson,steps-per-epoch,predicted-class,total,max,status,note");
    expect(rows.length).toBe(fixtures.length + 1);
    expect(rows).toContain("wrong-answer,01-first-look,1.36,2,3.36,5,ok,");
    expect(rows).toContain("malformed-json,,,,0,0,invalid-json,");
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
    expect(json.submissions.every((s) => existsSync(s.feedback))).toBe(true);
  });

  it("grades the Korean edition's submission alike, and writes its feedback in Korean (grades.csv and grades.json stay English)", () => {
    const r = record(korean);
    expect(r.lang).toBe("ko");
    expect(r.exercises["steps-per-epoch"].result.title).toBe("Steps per epoch, the last batch, and total updates");
    expect(r.exercises["steps-per-epoch"].shown).toBeUndefined();
    expect(readFileSync(join(out, "grades.csv"), "utf8").split("\n")).toContain("korean-edition,01-first-look,1.36,0,1.36,5,ok,");
    const page = readFileSync(r.feedback, "utf8");
    expect(page).toContain('<html lang="ko"><head><meta charset="utf-8">');
    expect(page).toContain("레슨 <b>01-first-look</b> · 1.36 / 5점 · 상태 <b>모두 채점됨</b> (ok)");
    expect(page).toContain("에포크당 스텝 수, 마지막 배치, 전체 업데이트 횟수");
    expect(page).toContain("기댓값 469, 반환값 468");
    expect(page).toContain("힌트: 60000 / 128 = 468.75입니다.");
    expect(page).toContain("아직 구현하지 않았습니다: predictedClass");
    expect(page).toContain("숨겨진 케이스 1");
    expect(page).not.toMatch(/expected 469|not implemented yet|hidden case|points/);
  });

  it("prints a summary table", () => {
    expect(run.stdout).toMatch(/student +lesson +steps-per-epoch +predicted-class +total +status/);
    expect(run.stdout).toMatch(/infinite-loop +01-first-look +0 +2 +2 \/ 5 +timeout/);
  });

  it("left no kernel or temporary folder behind", () => {
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
