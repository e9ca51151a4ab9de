/**
 * Both editions in grading and in the release (tools/grade.mjs, grading/messages.mjs, reports.mjs,
 * judge.mjs, tools/release.mjs): the grader's choice of language and master, Korean feedback pages
 * that keep the teacher's files in English, every message grade.py writes translated, and
 * `npm run release -- --lang ko` choosing the Korean notebooks.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, describe, expect, it } from "vitest";
import * as grade from "../../tools/grade.mjs";
import * as release from "../../tools/release.mjs";
import * as judge from "../../tools/grading/judge.mjs";
import * as messages from "../../tools/grading/messages.mjs";
import * as reports from "../../tools/grading/reports.mjs";

const root = join(__dirname, "..", "..");
const notebooks = join(root, "notebooks");
const englishPath = join(notebooks, "01-first-look.ipynb");
const koreanPath = join(notebooks, "ko", "01-first-look.ipynb");
const english = JSON.parse(readFileSync(englishPath, "utf8"));
const korean = JSON.parse(readFileSync(koreanPath, "utf8"));
const hangul = /[\uac00-\ud7a3]/;
const kit = release.loadKitExercises();
const dir = mkdtempSync(join(tmpdir(), "dlbb-grade-ko-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a submission's language", () => {
  it("is its metadata dlbb.lang: Korean for 'ko', English when absent or 'en'", () => {
    expect(messages.submissionLanguage(korean)).toEqual({ lang: "ko", note: null });
    expect(messages.submissionLanguage(english)).toEqual({ lang: "en", note: null });
    expect(messages.submissionLanguage({ metadata: { dlbb: { lang: "en" } } })).toEqual({ lang: "en", note: null });
    expect(messages.submissionLanguage(undefined)).toEqual({ lang: "en", note: null });
  });

  it("falls back to English with a note when dlbb.lang is something else", () => {
    const r = messages.submissionLanguage({ metadata: { dlbb: { lang: "kr" } } });
    expect(r.lang).toBe("en");
    expect(r.note).toBe('metadata dlbb.lang is "kr", neither "en" nor "ko": graded with the English master, feedback in English');
    expect(messages.submissionLanguage({ metadata: { dlbb: { lang: 5 } } }).note).toMatch(/^metadata dlbb.lang is 5,/);
  });

  it("is the language of its kernel", () => {
    expect(grade.kernelEnv("/w", "ko").DLBB_LANG).toBe("ko");
    expect(grade.kernelEnv("/w").DLBB_LANG).toBe("en");
  });
});

describe("the masters of both editions", () => {
  it("loads the Korean masters from notebooks/ko with the English ones' lessons, exercises and points", () => {
    const editions = grade.loadEditions(notebooks);
    expect([...editions.ko.keys()]).toEqual([...editions.en.keys()]);
    for (const [lesson, k] of editions.ko) {
      expect(k.path).toBe(join(notebooks, "ko", `${lesson}.ipynb`));
      expect(k.nb.metadata.dlbb.lang).toBe("ko");
      expect(k.parts.exercises.map((e) => [e.id, e.points])).toEqual(editions.en.get(lesson)!.parts.exercises.map((e) => [e.id, e.points]));
    }
  });

  it("refuses a Korean master that would grade differently from its English one", () => {
    const masters = join(dir, "masters");
    const write = (p: string, nb: unknown) => writeFileSync(p, JSON.stringify(nb));
    spawnSync("mkdir", ["-p", join(masters, "ko")]);
    write(join(masters, "01-first-look.ipynb"), english);
    const changed = structuredClone(korean);
    const cell = changed.cells.find((c: { metadata: { dlbb?: { exercise?: string } } }) => c.metadata.dlbb?.exercise === "predicted-class");
    cell.source = [...cell.source, "\n// another line"];
    write(join(masters, "ko", "01-first-look.ipynb"), changed);
    expect(grade.loadEditions(masters).ko.size).toBe(1); // a solution cell's code is the master's own affair
    const check = changed.cells.find((c: { metadata: { dlbb?: { check?: string } } }) => c.metadata.dlbb?.check === "predicted-class");
    check.source = ['await check("predicted-class", { predictedClass }); // changed'];
    write(join(masters, "ko", "01-first-look.ipynb"), changed);
    expect(() => grade.loadEditions(masters)).toThrow(/ko\/01-first-look.ipynb: its exercises, points, setup or check cells differ/);
  });

  it("grafts a Korean submission onto the Korean master: the same cells, the Korean edition's metadata", () => {
    const editions = grade.loadEditions(notebooks);
    const submission = release.releaseNotebook(korean, koreanPath);
    const ko = grade.graft(editions.ko.get("01-first-look")!, submission);
    const en = grade.graft(editions.en.get("01-first-look")!, release.releaseNotebook(english, englishPath));
    expect(ko.nb.metadata.dlbb.lang).toBe("ko");
    expect(ko.nb.cells).toEqual(en.nb.cells);
    expect(ko.exercises.map((e: { id: string; points: number }) => [e.id, e.points])).toEqual([["steps-per-epoch", 3], ["predicted-class", 2]]);
  });
});

describe("the grader's messages in Korean", () => {
  /** Every message grade.py can write (f-strings with sample values), as the worker writes them. */
  function workerMessages(): string[] {
    const py = readFileSync(join(root, "tools", "grade.py"), "utf8");
    const found = new Set<string>();
    for (const m of py.matchAll(/(?:"reason": |return |\berr = |job_error = )f?"((?:[^"\\]|\\.)*)"/g)) {
      found.add(m[1].replace(/\{what\}/g, "solution cell").replace(/\{[^}]*\}/g, "7"));
    }
    return [...found];
  }

  it("has a Korean template for every reason grade.py writes", () => {
    const all = workerMessages();
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((m) => !messages.hasTemplate(m))).toEqual([]);
    for (const m of all) expect(messages.localize(m, "ko"), m).toMatch(hangul);
  });

  it("translates the reasons, notes and flags of a submission, and leaves English as it is", () => {
    const reason = "the check cell did not finish within 60 s (an endless loop?)";
    expect(messages.localize(reason, "en")).toBe(reason);
    expect(messages.localize(reason, "ko")).toBe("확인 셀이 60초 안에 끝나지 않았습니다 (무한 루프인가요?)");
    expect(messages.localize("the solution cell failed: 3:1 - error TS1005: ')' expected.", "ko")).toBe("풀이 셀에서 오류가 났습니다: 3:1 - error TS1005: ')' expected.");
    expect(messages.localize('2 cells carry exercise id "steps-per-epoch"; the last one was graded', "ko")).toBe('연습 문제 id가 "steps-per-epoch"인 셀이 2개 있습니다; 마지막 셀을 채점했습니다');
    expect(messages.localize('no solution cell for "predicted-class" in the submission (the cell\'s metadata {"dlbb": {"exercise": "predicted-class"}} must stay)', "ko")).toBe(
      '제출한 노트북에 "predicted-class"의 풀이 셀이 없습니다 (풀이 셀의 메타데이터 {"dlbb": {"exercise": "predicted-class"}}를 지우면 안 됩니다)',
    );
    expect(messages.localize('name "kim" is also used by /a/kim.ipynb (this notebook\'s metadata dlbb.student names it)', "ko")).toBe(
      '이름이 "kim"인 제출물이 또 있습니다: /a/kim.ipynb (이 노트북의 메타데이터 dlbb.student에 적힌 이름입니다)',
    );
    expect(messages.localize('handed in as lesson "04-sigmoid-relu", graded with its master "06-activations-initialization"', "ko")).toMatch(/^레슨 id가 "04-sigmoid-relu"인 노트북으로 제출되어/);
    expect(messages.localize("grader: the worker stopped (signal SIGKILL): x", "ko")).toMatch(/^채점기의 문제입니다 \(학생의 잘못이 아닙니다/);
    expect(messages.localize("something nobody wrote a template for", "ko")).toBe("something nobody wrote a template for");
  });

  const ex = (id: string) => ({ id, points: id === "steps-per-epoch" ? 3 : 2, solution: "", checks: [] });
  const stepsProbes = (value: number) => kit.findExercise("steps-per-epoch").cases.map(() => ({ value }));

  it("judges once in English for the teacher and once in the submission's language for its page, with the same points", () => {
    const entry = { status: "checked", reason: null, probes: stepsProbes(469) };
    const ko = judge.judgeExercise(kit, ex("steps-per-epoch"), entry, null, null, "ko");
    const en = judge.judgeExercise(kit, ex("steps-per-epoch"), entry, null, null);
    expect(ko.points).toBe(en.points);
    expect(ko.result).toEqual(en.result);
    expect(ko.result!.title).toBe("Steps per epoch, the last batch, and total updates");
    expect(ko.shown!.title).toBe("에포크당 스텝 수, 마지막 배치, 전체 업데이트 횟수");
    expect(ko.shown!.cases.map((c: { status: string }) => c.status)).toEqual(ko.result!.cases.map((c: { status: string }) => c.status));
    expect(ko.shown!.cases.at(-1)!.name).toBe("숨겨진 케이스 6");
    expect(en.shown).toBeUndefined();
  });

  it("writes a Korean feedback page (lang, charset, Hangul fonts) and keeps grades.json and grades.csv in English", () => {
    const steps = judge.judgeExercise(kit, ex("steps-per-epoch"), { status: "checked", reason: null, probes: stepsProbes(469) }, null, null, "ko");
    const record = {
      student: "김민지",
      file: "/in/kim.ipynb",
      lesson: "01-first-look",
      status: "timeout",
      reason: null,
      total: steps.points,
      max: 5,
      lang: "ko",
      flags: ['name "김민지" is also used by /in/b.ipynb'],
      exercises: {
        "steps-per-epoch": steps,
        "predicted-class": { points: 0, max: 2, status: "timeout", reason: "the solution cell did not finish within 60 s (an endless loop?)", result: null },
      },
    };
    const html = grade.feedbackHtml(record, kit);
    expect(html).toContain('<html lang="ko"><head><meta charset="utf-8">');
    expect(html).toContain('font-family:"Noto Sans CJK KR","NanumGothic","Malgun Gothic","Apple SD Gothic Neo",system-ui,sans-serif');
    expect(html).toContain("<h1>김민지</h1>");
    expect(html).toContain(`레슨 <b>01-first-look</b> · ${steps.points} / 5점 · 상태 <b>시간 초과</b> (timeout)`);
    expect(html).toContain("<h2>predicted-class — 0 / 2점</h2>");
    expect(html).toContain("풀이 셀이 60초 안에 끝나지 않았습니다 (무한 루프인가요?)");
    expect(html).toContain("이름이 &quot;김민지&quot;인 제출물이 또 있습니다: /in/b.ipynb");
    expect(html).toContain("에포크당 스텝 수, 마지막 배치, 전체 업데이트 횟수");
    expect(html).toContain("숨겨진 케이스 1");
    expect(html).toMatch(/케이스 11개 중 \d+개 통과/);
    expect(html).not.toMatch(/ points|hidden case|status <b>|did not finish/);
    // an English page stays English, with Hangul fonts after the system font
    const page = grade.feedbackHtml({ ...record, lang: "en", exercises: { "predicted-class": record.exercises["predicted-class"] } }, kit);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain("font-family:system-ui,\"Noto Sans CJK KR\"");
    expect(page).toContain("the solution cell did not finish within 60 s (an endless loop?)");
    expect(page).toContain(`${steps.points} / 5 points · status <b>timeout</b>`);

    const out = join(dir, "out");
    expect(reports.writeOutputs([record], out, kit, {})).toEqual([]);
    const json = JSON.parse(readFileSync(join(out, "grades.json"), "utf8"));
    const saved = json.submissions[0];
    expect(saved.lang).toBe("ko");
    expect(saved.exercises["steps-per-epoch"].shown).toBeUndefined();
    expect(saved.exercises["steps-per-epoch"].result.title).toBe("Steps per epoch, the last batch, and total updates");
    expect(JSON.stringify(saved.exercises)).not.toMatch(hangul);
    expect(readFileSync(join(out, "grades.csv"), "utf8").split("\n")[0]).toBe("student,lesson,steps-per-epoch,predicted-class,total,max,status,note");
    expect(readFileSync(saved.feedback, "utf8")).toBe(html);
  });
});

describe("npm run release -- --lang ko", () => {
  it("takes only en or ko, and says so", () => {
    expect(release.kitLanguage("ko")).toBe("ko");
    expect(release.kitLanguage("en")).toBe("en");
    expect(() => release.kitLanguage("kr")).toThrow('--lang must be "en" or "ko" (the editions of the lessons), got "kr"');
    const r = spawnSync(process.execPath, [join(root, "tools", "release.mjs"), "--lang", "jp", "--out", join(dir, "never")], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('--lang must be "en" or "ko" (the editions of the lessons), got "jp"');
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it("writes the Korean notebooks to the kit's notebooks/ko/, whose `npm start` opens them, with a Korean README and the Korean diagrams", () => {
    const out = join(dir, "kit-ko");
    const { problems } = release.writeKit(join(notebooks, "ko"), ["01-first-look.ipynb"], out, () => {}, { lang: "ko" });
    expect(problems).toEqual([]);
    expect(existsSync(join(out, "notebooks", "01-first-look.ipynb"))).toBe(false);
    const student = JSON.parse(readFileSync(join(out, "notebooks", "ko", "01-first-look.ipynb"), "utf8"));
    expect(student).toEqual(release.releaseNotebook(korean, koreanPath));
    expect(student.metadata.dlbb.lang).toBe("ko");
    // the same stubs as the English kit's: code cells are the editions' common part
    const code = (nb: { cells: Array<{ cell_type: string; source: string[] }> }) => nb.cells.filter((c) => c.cell_type === "code").map((c) => c.source.join(""));
    expect(code(student)).toEqual(code(release.releaseNotebook(english, englishPath)));
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
    expect(pkg.scripts.start).toMatch(/node tools\/start\.mjs --lang ko$/); // start.mjs: --lang ko opens notebooks/ko
    const readme = readFileSync(join(out, "README.md"), "utf8");
    expect(readme).toMatch(/^# dl-building-blocks — 학생용 레슨 \(한국어판\)/);
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("## 연습 문제: 학생용");
    for (const a of release.linkedAssets(korean, join(notebooks, "ko"))) {
      expect(a).toMatch(/^assets\/.*\.ko\.svg$/);
      expect(existsSync(join(out, a)), a).toBe(true);
    }
    expect(readFileSync(join(out, "src", "exercises", "lesson01.ts"), "utf8")).not.toMatch(/hidden: true/);
  });

  it("keeps the English kit as it was (notebooks/, English README), and refuses notebooks of the other edition", () => {
    const out = join(dir, "kit-en");
    const { problems } = release.writeKit(notebooks, ["01-first-look.ipynb"], out, () => {});
    expect(problems).toEqual([]);
    expect(existsSync(join(out, "notebooks", "01-first-look.ipynb"))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "package.json"), "utf8")).scripts.start).toMatch(/node tools\/start\.mjs --lang en$/); // not the checkout's index of both editions
    expect(readFileSync(join(out, "README.md"), "utf8")).toMatch(/^# dl-building-blocks — lessons for students/);
    const mixed = release.writeKit(notebooks, ["01-first-look.ipynb"], join(dir, "kit-mixed"), () => {}, { lang: "ko" });
    expect(mixed.problems).toEqual([`${englishPath}: its metadata dlbb.lang is "en", but this is the Korean kit (--lang ko)`]);
  });
});
