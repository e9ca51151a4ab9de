/** Grafting (tools/grade.mjs): what of a submission is executed, and how it is recognised. */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, readdirSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import * as grade from "../../tools/grade.mjs";
import * as release from "../../tools/release.mjs";
import * as judge from "../../tools/grading/judge.mjs";
import * as reports from "../../tools/grading/reports.mjs";
import * as sandbox from "../../tools/grading/sandbox.mjs";

const root = join(__dirname, "..", "..");
const masterPath = join(root, "notebooks", "01-first-look.ipynb");
const masterNb = JSON.parse(readFileSync(masterPath, "utf8"));
const master = { path: masterPath, nb: masterNb, parts: release.masterParts(masterNb, masterPath) };
const masters = new Map([["01-first-look", master]]);
type Cell = { cell_type: string; id?: string; source: string | string[]; metadata: { dlbb?: Record<string, unknown> }; outputs?: unknown[] };
const meta = (c: Cell) => c.metadata?.dlbb ?? {};
const src = (c: Cell): string => release.cellSource(c);
const studentNotebook = () => release.releaseNotebook(masterNb, masterPath);

function setSolution(nb: { cells: Cell[] }, id: string, source: string) {
  const cell = nb.cells.find((c) => meta(c).exercise === id)!;
  cell.source = release.sourceLines(source);
}

describe("graft", () => {
  it("runs the master's setup cells, then per exercise the student's solution and the master's check cell", () => {
    const nb = studentNotebook();
    setSolution(nb, "predicted-class", "function predictedClass(p: number[]): number {\n  return 0;\n}");
    const { nb: graded, exercises } = grade.graft(master, nb);
    const roles = graded.cells.map((c: Cell) => Object.entries(meta(c))[0].join("="));
    expect(roles).toEqual([
      ...master.parts.setup.map(() => "role=setup"),
      "exercise=steps-per-epoch",
      "check=steps-per-epoch",
      "exercise=predicted-class",
      "check=predicted-class",
    ]);
    expect(graded.cells.slice(0, master.parts.setup.length).map(src)).toEqual(master.parts.setup);
    expect(src(graded.cells.at(-2))).toBe("function predictedClass(p: number[]): number {\n  return 0;\n}");
    expect(src(graded.cells.at(-1))).toBe('await check("predicted-class", { predictedClass });');
    expect(exercises.map((e: { id: string; points: number; note: string | null }) => [e.id, e.points, e.note])).toEqual([
      ["steps-per-epoch", 3, null],
      ["predicted-class", 2, null],
    ]);
    // none of the lesson's other cells (training, plots) is run when grading
    expect(graded.cells.some((c: Cell) => /model\.fit|loadData\(\)/.test(src(c)))).toBe(false);
  });

  it("ignores edited setup and check cells, deleted check cells, extra cells and outputs of the submission", () => {
    const nb = studentNotebook();
    for (const c of nb.cells as Cell[]) {
      if (meta(c).role === "setup") c.source = release.sourceLines("const check = () => 'passed';");
      if (meta(c).check !== undefined) {
        c.source = release.sourceLines('console.log("5 / 5 points");');
        c.outputs = [{ output_type: "stream", name: "stdout", text: ["all passed\n"] }];
      }
    }
    nb.cells = nb.cells.filter((c: Cell) => meta(c).check !== "steps-per-epoch");
    nb.cells.push({ cell_type: "code", id: "mine", metadata: {}, outputs: [], source: ["process.exit(0);"] });
    const fresh = grade.graft(master, studentNotebook()).nb;
    const edited = grade.graft(master, nb).nb;
    expect(edited).toEqual(fresh);
    expect(JSON.stringify(edited)).not.toMatch(/passed|process\.exit/);
  });

  it("takes the last of duplicated solution cells, and notes a missing one", () => {
    const nb = studentNotebook();
    const i = nb.cells.findIndex((c: Cell) => meta(c).exercise === "steps-per-epoch");
    const copy = structuredClone(nb.cells[i]);
    copy.id = "copy";
    copy.source = ["// my second try"];
    nb.cells.splice(i + 1, 0, copy);
    nb.cells = nb.cells.filter((c: Cell) => meta(c).exercise !== "predicted-class");
    const { exercises } = grade.graft(master, nb);
    expect(exercises[0].solution).toBe("// my second try");
    expect(exercises[0].note).toBe('2 cells carry exercise id "steps-per-epoch"; the last one was graded');
    expect(exercises[1].solution).toBeNull();
    expect(exercises[1].note).toMatch(/no solution cell for "predicted-class" in the submission/);
  });
});

describe("recognising a submission", () => {
  it("sorts out invalid JSON and JSON that is not a notebook", () => {
    expect(grade.parseSubmission('{"cells": [')).toMatchObject({ status: "invalid-json" });
    expect(grade.parseSubmission("[1, 2]")).toMatchObject({ status: "not-a-notebook" });
    expect(grade.parseSubmission('{"cells": [], "nbformat": 3}')).toMatchObject({ status: "not-a-notebook" });
    expect(grade.parseSubmission('{"cells": [null], "nbformat": 4}')).toMatchObject({ status: "not-a-notebook" });
    expect(grade.parseSubmission(release.notebookJson(studentNotebook())).nb).toBeDefined();
  });

  it("finds the lesson in the metadata, else by the exercise ids of the cells", () => {
    const nb = studentNotebook();
    expect(grade.identifyLesson(nb, masters)).toEqual({ lesson: "01-first-look" });
    delete nb.metadata.dlbb;
    expect(grade.identifyLesson(nb, masters)).toEqual({ lesson: "01-first-look" });
    nb.cells = nb.cells.filter((c: Cell) => meta(c).exercise === undefined);
    expect(grade.identifyLesson(nb, masters)).toMatchObject({ status: "unknown-lesson" });
    nb.metadata.dlbb = { lesson: "42-nope" };
    expect(grade.identifyLesson(nb, masters).reason).toMatch(/lesson "42-nope" has no master notebook \(known: 01-first-look\)/);
  });

  it("names the student by metadata, else by the file, else by the folder when the file kept the lesson's name", () => {
    const nb = studentNotebook();
    expect(grade.studentName(nb, "/in/kim-minji.ipynb", masters)).toBe("kim-minji");
    expect(grade.studentName(nb, "/in/park/01-first-look.ipynb", masters)).toBe("park");
    expect(grade.studentName(undefined, "/in/broken.ipynb", masters)).toBe("broken");
    nb.metadata.dlbb.student = "Lee Seo-yeon";
    expect(grade.studentName(nb, "/in/x.ipynb", masters)).toBe("Lee Seo-yeon");
  });

  it("scores the master's points by the share of cases passed, whatever points the report claims", () => {
    expect(grade.pointsFor(3, { passed: 5, total: 11, earned: 99 })).toBe(1.36);
    expect(grade.pointsFor(2, { passed: 8, total: 8 })).toBe(2);
    expect(grade.pointsFor(2, { passed: 80, total: 8 })).toBe(2);
    expect(grade.pointsFor(2, { passed: 0, total: 0 })).toBe(0);
    expect(grade.pointsFor(2, null)).toBe(0);
  });

  it("gives the kernel a minimal environment: none of the teacher's variables, the submission's language", () => {
    process.env.TEACHER_SECRET = "x";
    const env = grade.kernelEnv("/tmp/w");
    delete process.env.TEACHER_SECRET;
    expect(Object.keys(env).sort()).toEqual(["DLBB_GRADE", "DLBB_LANG", "HOME", "LANG", "NODE_OPTIONS", "PATH", "TMPDIR"]);
    expect(env.HOME).toBe("/tmp/w");
    expect(env.DLBB_GRADE).toBe("probes");
    expect(env.DLBB_LANG).toBe("en"); // the submission's language (grade-korean.test.ts)
  });

  it("accepts a lesson's former ids (dlbb.aliases) and grades with the renamed master", () => {
    const renamed = { ...master, parts: { ...master.parts, lesson: "01-first-look" }, aliases: ["00-old-first-look"] };
    const ms = new Map([["01-first-look", renamed]]);
    const nb = studentNotebook();
    nb.metadata.dlbb.lesson = "00-old-first-look";
    expect(grade.identifyLesson(nb, ms)).toEqual({ lesson: "01-first-look", as: "00-old-first-look" });
    nb.metadata.dlbb.lesson = "02-nope";
    expect(grade.identifyLesson(nb, ms).status).toBe("unknown-lesson");
  });

  it("refuses a lesson id or alias used by two masters", () => {
    const dir = mkdtempSync(join(tmpdir(), "dlbb-masters-"));
    try {
      const a = structuredClone(masterNb);
      a.metadata.dlbb.aliases = ["99-x"];
      const b = { cells: [], metadata: { dlbb: { lesson: "99-x" } }, nbformat: 4, nbformat_minor: 5 };
      writeFileSync(join(dir, "a.ipynb"), JSON.stringify(a));
      writeFileSync(join(dir, "b.ipynb"), JSON.stringify(b));
      expect(() => release.loadMasters(dir)).toThrow(/lesson id "99-x" is also used by/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the grading kernel and its sandbox", () => {
  it("is the kit's kernel from the snapshot, with V8's background threads off", () => {
    expect(grade.kernelArgv("/snap")).toEqual([process.execPath, "--single-threaded", "/snap/jupyter/kernels/dl-building-blocks/launch.cjs", "{connection_file}"]);
  });

  it("runs in bwrap: no network, own PID namespace, read-only system and kit, only work and sockets writable, limits, own user", () => {
    const argv = sandbox.sandboxArgv({ kit: "/k", nodeModules: "/repo/node_modules", work: "/w", sock: "/s", user: { uid: 64001, gid: 64001 }, kernelArgv: ["node", "x"] });
    const line = argv.join(" ");
    expect(argv[0]).toBe("prlimit");
    expect(line).toMatch(/--nproc=\d+ --fsize=\d+ --core=0/);
    expect(line).toContain("setpriv --reuid=64001 --regid=64001 --clear-groups");
    expect(line).toContain("bwrap --unshare-all --die-with-parent");
    expect(line).toContain("--ro-bind /k /k --ro-bind /repo/node_modules /k/node_modules");
    expect(line).toContain("--bind /w /w --bind /s /s --chdir /w --remount-ro / -- node x");
    const writable = argv.flatMap((a, i) => (a === "--bind" ? [argv[i + 1]] : []));
    expect(writable).toEqual(["/w", "/s"]);
    expect(line).not.toContain("/root");
  });
});

describe("the grader's reading of a worker's answer", () => {
  const ids = ["steps-per-epoch", "predicted-class"];
  it("takes a well-formed answer", () => {
    const a = judge.validateAnswer({ id: 3, seconds: 1.5, restarts: 1, error: null, exercises: { "steps-per-epoch": { status: "checked", reason: null, probes: [] } } }, 3, ids);
    expect(a.seconds).toBe(1.5);
    expect(a.exercises["steps-per-epoch"].status).toBe("checked");
  });
  it.each([
    ["another job's id", { id: 4, seconds: 1, exercises: {} }, /job id 4/],
    ["seconds as text", { id: 3, seconds: "x", exercises: {} }, /seconds/],
    ["no exercises", { id: 3, seconds: 1 }, /exercises/],
    ["not an object", "hello", /not an object/],
  ])("turns %s into a grader-error of this submission only", (_what, answer, why) => {
    const a = judge.validateAnswer(answer, 3, ids);
    expect(a.error).toMatch(why);
    expect(a.exercises).toEqual({});
  });
  it("ignores exercise ids the master does not have, and marks a malformed entry", () => {
    const a = judge.validateAnswer({ id: 3, seconds: 1, exercises: { "0": { status: "checked" }, "predicted-class": { status: "passed!" } } }, 3, ids);
    expect(Object.keys(a.exercises)).toEqual(["predicted-class"]);
    expect(a.exercises["predicted-class"].status).toBe("grader-error");
  });
  it("judges probes with the teacher's cases, and malformed probes as no-result", () => {
    const kit = release.loadKitExercises();
    const ex = master.parts.exercises.find((e: { id: string }) => e.id === "predicted-class")!;
    const all = kit.findExercise("predicted-class").cases.map(() => ({ value: 0 }));
    const r = judge.judgeExercise(kit, ex, { status: "checked", reason: null, probes: all }, null, null);
    expect([r.status, r.points, r.result!.passed]).toEqual(["checked", 0.75, 3]);
    const forged = judge.judgeExercise(kit, ex, { status: "checked", reason: null, probes: [{ value: 1, passed: true }] }, null, null);
    expect([forged.status, forged.points]).toEqual(["no-result", 0]);
    const short = judge.judgeExercise(kit, ex, { status: "checked", reason: null, probes: all.slice(1) }, null, null);
    expect([short.status, short.points]).toEqual(["no-result", 0]);
  });
});

describe("outputs", () => {
  const record = {
    student: 'Kim, "Minji"',
    file: "/in/a.ipynb",
    lesson: "01-first-look",
    status: "timeout",
    reason: null,
    total: 2,
    max: 5,
    exercises: {
      "steps-per-epoch": { points: 0, max: 3, status: "timeout", reason: "the check cell did not finish within 60 s (an endless loop?)", result: null },
      "predicted-class": { points: 2, max: 2, status: "checked", reason: null, result: { exercise: "predicted-class", title: "T", points: 2, earned: 2, passed: 1, total: 1, hiddenNotRun: 0, cases: [{ name: "hidden case 1", hidden: true, status: "passed" }] } },
    },
  };

  it("writes one CSV row per submission with a column per exercise", () => {
    const bad = { student: "z", file: "/in/z.ipynb", lesson: "", status: "invalid-json", reason: "not valid JSON", total: 0, max: 0, exercises: {} };
    expect(grade.gradesCsv([record, bad])).toBe(
      'student,lesson,steps-per-epoch,predicted-class,total,max,status,note\n"Kim, ""Minji""",01-first-look,0,2,2,5,timeout,\nz,,,,0,0,invalid-json,\n',
    );
  });

  it("builds the feedback page from the check's own HTML and the reasons, escaped", () => {
    const kit = release.loadKitExercises();
    const html = grade.feedbackHtml(record, kit);
    expect(html).toContain("<h1>Kim, &quot;Minji&quot;</h1>");
    expect(html).toContain("the check cell did not finish within 60 s (an endless loop?)");
    expect(html).toContain(kit.renderHtml(record.exercises["predicted-class"].result));
    expect(html).toMatch(/2 \/ 5 points · status <b>timeout<\/b>/);
  });

  it("neutralises CSV cells a spreadsheet would run as formulas; numbers stay numbers", () => {
    expect(reports.csvField("=1+1")).toBe("'=1+1");
    expect(reports.csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(reports.csvField("-2+3")).toBe("'-2+3");
    expect(reports.csvField('=HYPERLINK("a","b")')).toBe(`"'=HYPERLINK(""a"",""b"")"`);
    expect(reports.csvField(-1)).toBe("-1");
  });

  it("writes every report even when one record cannot be rendered, and refuses a linked folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "dlbb-out-"));
    try {
      const kit = release.loadKitExercises();
      const broken = { ...record, student: "broken", exercises: { "0": { points: 0, max: 1, status: "checked", reason: null, result: { cases: null } } } };
      const problems = reports.writeOutputs([record, broken], join(dir, "out"), kit, {});
      expect(problems.length).toBe(1);
      expect(problems[0]).toMatch(/feedback for broken/);
      expect(readdirSync(join(dir, "out")).sort()).toEqual(["feedback", "grades.csv", "grades.json"]);
      symlinkSync(join(dir, "out"), join(dir, "link"));
      expect(() => reports.writeOutputs([record], join(dir, "link"), kit, {})).toThrow(/symbolic link/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
