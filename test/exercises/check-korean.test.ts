/**
 * The check in the Korean edition (src/exercises with `language()` = "ko"): every message a student
 * sees, the exercises' titles and hints in both languages (with the lesson's book's words), verdicts
 * that compare alike in both languages, and hidden cases that the release still takes out.
 */
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import * as ts from "typescript";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useLanguage } from "../../src/language/language";
import { GLOSSARY, type Book } from "../../src/language/glossary";
import { allExercises, findExercise, formatValue, Message, sameValue, type Exercise } from "../../src/exercises/cases";
import { judgeProbes, probeCases, runCases } from "../../src/exercises/check";
import { renderHtml, renderText, summaryLine } from "../../src/exercises/report";
import "../../src/exercises";
import { lambdaMessage } from "../../src/exercises/lesson07";
import * as release from "../../tools/release.mjs";

const root = join(__dirname, "..", "..");
const steps = findExercise("steps-per-epoch")!;
const predicted = findExercise("predicted-class")!;
const broadcast = findExercise("broadcast-shapes")!;
const stub = (name: string) => () => {
  throw new Error(`not implemented yet: ${name}`);
};
const stubs = { stepsPerEpoch: stub("stepsPerEpoch"), lastBatchSize: stub("lastBatchSize"), totalUpdates: stub("totalUpdates") };
const floor = {
  stepsPerEpoch: (s: number, b: number) => Math.floor(s / b),
  lastBatchSize: (s: number, b: number) => s % b,
  totalUpdates: (s: number, b: number, e: number) => Math.floor(s / b) * e,
};
const hangul = /[\uac00-\ud7a3]/;

afterEach(() => {
  useLanguage(undefined);
  vi.restoreAllMocks();
});

describe("the self-check in Korean", () => {
  it("says 'not implemented yet' in Korean for the released stubs, and counts passed and failed cases", async () => {
    useLanguage("ko");
    const r = await runCases(steps, stubs);
    expect(r.title).toBe("에포크당 스텝 수, 마지막 배치, 전체 업데이트 횟수");
    expect(r.cases[0].error).toBe("not implemented yet: stepsPerEpoch"); // what the stub threw, as it is
    const text = renderText(r);
    expect(text).toContain("… stepsPerEpoch(60000, 128): 아직 구현하지 않았습니다: stepsPerEpoch");
    expect(text).toContain("공개된 케이스 5개 중 0개 통과, 5개 실패 — 0 / 3점 (선생님이 채점할 때는 숨겨진 케이스 6개도 함께 실행합니다)");
    expect(text).toContain("      힌트: 60000 / 128 = 468.75입니다.");
    expect(text).not.toMatch(/not implemented yet: stepsPerEpoch\n|hint:|cases passed|points/);
  });

  it("shows expected vs got, the Korean hint and the share of points", async () => {
    useLanguage("ko");
    const r = await runCases(steps, floor);
    expect(r.cases[0]).toMatchObject({ name: "stepsPerEpoch(60000, 128)", status: "failed", expected: "469", got: "468" });
    expect(r.cases[0].hint).toBe("60000 / 128 = 468.75입니다. 남는 샘플 96개도 (더 작은) 배치 하나가 되므로 올림합니다(Math.ceil).");
    const html = renderHtml(r);
    expect(html).toContain("기댓값 469, 반환값 468");
    expect(html).toContain("힌트: 60000 / 128");
    expect(html).toMatch(/공개된 케이스 5개 중 2개 통과, 3개 실패 — 1\.2 \/ 3점/);
    // all passed: no "실패" part
    const right = await runCases(predicted, { predictedClass: (p: number[]) => p.indexOf(Math.max(...p)) });
    expect(summaryLine(right)).toBe("공개된 케이스 4개 중 4개 통과 — 2 / 2점 (선생님이 채점할 때는 숨겨진 케이스 4개도 함께 실행합니다)");
  });

  it("says thrown errors, non-Error throws, missing functions and slow promises in Korean", async () => {
    useLanguage("ko");
    const r = await runCases(predicted, {
      predictedClass: (p: number[]) => {
        if (p.length === 3 && p[0] === 0.1) throw "a string";
        throw new RangeError("oops");
      },
    });
    expect(renderText(r)).toContain("✗ predictedClass([ 0.1, 0.7, 0.2 ]): 오류 발생: Error가 아닌 값을 던졌습니다: 'a string'");
    expect(renderText(r)).toContain("오류 발생: RangeError: oops");
    const missing = await runCases(steps, { stepsPerEpoch: 469 });
    expect(missing.cases[0].error).toBe('stepsPerEpoch이(가) 함수가 아닙니다(받은 값: 469): 함수를 check에 넘겨 주세요. 예: check("steps-per-epoch", { stepsPerEpoch })');
    expect(missing.cases[1].error).toBe('lastBatchSize 함수가 없습니다: check에 넘겨 주세요. 예: check("steps-per-epoch", { lastBatchSize })');
    const slow = await runCases(predicted, { predictedClass: () => new Promise(() => {}) }, { asyncTimeoutMs: 20 });
    expect(slow.cases[0].error).toBe("반환한 프로미스가 0.02초 안에 끝나지 않았습니다");
  });

  it("names hidden cases in Korean and keeps their inputs to itself", async () => {
    const probes = await probeCases(steps, floor, { hidden: true });
    const ko = judgeProbes(steps, probes, { hidden: true, lang: "ko" });
    const en = judgeProbes(steps, probes, { hidden: true, lang: "en" });
    expect(ko.cases.filter((c) => c.hidden).map((c) => c.name)).toEqual(["숨겨진 케이스 1", "숨겨진 케이스 2", "숨겨진 케이스 3", "숨겨진 케이스 4", "숨겨진 케이스 5", "숨겨진 케이스 6"]);
    expect(en.cases.find((c) => c.hidden)!.name).toBe("hidden case 1");
    // the same verdicts in both languages
    expect(ko.cases.map((c) => c.status)).toEqual(en.cases.map((c) => c.status));
    expect([ko.passed, ko.earned]).toEqual([en.passed, en.earned]);
    const wrongHidden = ko.cases.find((c) => c.hidden && c.status === "failed")!;
    expect(renderText(ko, "ko")).toContain(`✗ ${wrongHidden.name}: 틀린 답 (숨겨진 케이스의 입력은 보여 주지 않습니다)`);
    expect(renderText(ko, "ko")).toContain("케이스 11개 중 5개 통과, 6개 실패 — 1.36 / 3점");
    expect(renderText(en)).toContain("✗ hidden case 1: wrong answer (the inputs of hidden cases are not shown)");
  });

  it("check() speaks the kernel's language (DLBB_LANG=ko), and knows no unknown id in Korean", async () => {
    const saved = process.env.DLBB_LANG;
    process.env.DLBB_LANG = "ko";
    try {
      vi.resetModules();
      const kit = await import("../../src/exercises");
      const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
      await kit.check("predicted-class", { predictedClass: () => 0 });
      const unknown = await kit.check("no-such-exercise", {});
      const shown = out.mock.calls.map((c) => String(c[0])).join("");
      out.mockRestore();
      expect(shown).toContain("predicted-class — 확률 벡터가 예측하는 클래스");
      expect(shown).toContain("✗ predictedClass([ 0.1, 0.7, 0.2 ]): 기댓값 1, 반환값 0");
      expect(shown).toContain("힌트: 가장 큰 확률 값이 아니라 그 값의 인덱스를 반환하세요.");
      expect(unknown.problem).toBe('dl-building-blocks에는 "no-such-exercise"라는 연습 문제가 없습니다 (이 셀의 id를 확인하세요)');
    } finally {
      if (saved === undefined) delete process.env.DLBB_LANG;
      else process.env.DLBB_LANG = saved;
      vi.resetModules();
    }
  });

  it("leaves the English check as it was when no language is chosen", async () => {
    const r = await runCases(steps, stubs);
    expect(renderText(r)).toContain("… stepsPerEpoch(60000, 128): not implemented yet: stepsPerEpoch");
    expect(summaryLine(r)).toBe("0 of 5 visible cases passed — 0 / 3 points (6 hidden cases are also run when your teacher grades)");
  });
});

describe("verdicts in both languages", () => {
  it("a Message is one value in both languages: compared by its English text, shown in the language asked for", () => {
    const a = new Message("an Error mentioning 10 and 32", "Error (메시지에 10, 32 포함)");
    expect(sameValue(a, new Message("an Error mentioning 10 and 32", "다른 번역"))).toBe(true);
    expect(sameValue(a, new Message("an Error", "Error"))).toBe(false);
    expect(sameValue(a, "an Error mentioning 10 and 32")).toBe(false);
    expect(sameValue(a, { en: a.en, ko: a.ko })).toBe(false); // a student's object is no verdict
    expect(formatValue(a, 200, "en")).toBe("'an Error mentioning 10 and 32'");
    expect(formatValue(a, 200, "ko")).toBe("'Error (메시지에 10, 32 포함)'");
  });

  it("a case that must throw says what it wants and what it got in Korean, with the same verdicts", async () => {
    const impl = { myBroadcastShapes: (a: number[], b: number[]) => (a.length >= b.length ? a : b) };
    const ko = await runCases(broadcast, impl, { lang: "ko" });
    const en = await runCases(broadcast, impl, { lang: "en" });
    const i = broadcast.cases.filter((c) => !c.hidden).findIndex((c) => c.name.endsWith(" throws"));
    expect(ko.cases[i]).toMatchObject({
      name: "myBroadcastShapes([ 32, 10 ], [ 32 ]): Error를 던져야 함",
      status: "failed",
      expected: "'Error (메시지에 10, 32 포함)'",
      got: "'Error 없음 (반환값: [ 32, 10 ])'",
    });
    expect(en.cases[i]).toMatchObject({
      name: "myBroadcastShapes([ 32, 10 ], [ 32 ]) throws",
      expected: "'an Error mentioning 10 and 32'",
      got: "'no Error: it returned [ 32, 10 ]'",
    });
    expect(ko.cases.map((c) => c.status)).toEqual(en.cases.map((c) => c.status));
    const says = await runCases(broadcast, { myBroadcastShapes: () => { throw new Error("shapes 10 and 7 clash"); } }, { lang: "ko" });
    expect(says.cases[i].got).toBe("'Error \"shapes 10 and 7 clash\" (메시지에 32 없음)'");
  });

  it("choose-lambda's verdicts, in both languages", () => {
    expect(lambdaMessage({ verdict: "best" }).ko).toBe("검증 정확도가 가장 높은 후보");
    const worse = lambdaMessage({ verdict: "worse", got: 1, best: 0.01, scores: "0: 0.700, 0.01: 0.740" });
    expect(worse.en).toBe("returned λ = 1, but λ = 0.01 has the higher validation accuracy (0: 0.700, 0.01: 0.740)");
    expect(worse.ko).toBe("반환값은 λ = 1이지만, 검증 정확도가 더 높은 후보는 λ = 0.01이다 (검증 정확도 0: 0.700, 0.01: 0.740)");
    expect(lambdaMessage({ verdict: "not-candidate", got: "0.2", scores: "0: 0.700" }).ko).toBe("반환값 0.2: 후보 중에 없는 값이다 (검증 정확도 0: 0.700)");
    expect(() => lambdaMessage({ verdict: "best!" })).toThrow(/not an outcome of chooseLambda/);
  });
});

/** The book a lesson follows (its master's metadata dlbb.book). */
function bookOf(lesson: string): Book {
  const file = readdirSync(join(root, "notebooks")).find((f) => f.startsWith(lesson.slice(0, 3)) && f.endsWith(".ipynb"))!;
  return JSON.parse(readFileSync(join(root, "notebooks", file), "utf8")).metadata.dlbb.book;
}

/** Every text of an exercise a student can read: its title, each case's hint and label. */
function texts(ex: Exercise<unknown>) {
  return [ex.title, ...ex.cases.flatMap((c) => [c.hint, c.label])].filter((t): t is { en: string; ko: string } => t !== undefined);
}

describe("every exercise in both languages", () => {
  const exercises = allExercises();

  it("has a Korean title and Korean hints for every case of lessons 01–08", () => {
    expect(new Set(exercises.map((e) => e.lesson.slice(0, 2)))).toEqual(new Set(["01", "02", "03", "04", "05", "06", "07", "08"]));
    const untranslated = exercises.flatMap((ex) => texts(ex).filter((t) => !hangul.test(t.ko) || t.ko === t.en).map((t) => `${ex.id}: ${t.en}`));
    expect(untranslated).toEqual([]);
    expect(exercises.flatMap((e) => e.cases).filter((c) => c.hint).length).toBeGreaterThan(120);
  });

  it("writes the Korean in the words of the lesson's book: none of the glossary's avoided words", () => {
    const wrong: string[] = [];
    for (const ex of exercises) {
      const book = bookOf(ex.lesson);
      for (const t of texts(ex)) {
        for (const term of GLOSSARY) for (const word of term.avoid?.[book] ?? []) if (t.ko.includes(word)) wrong.push(`${ex.id} (${book}): "${word}" for ${term.en} in "${t.ko}"`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("uses each book's word where the books differ: no Saito word in a Chollet lesson, and no Chollet word in a Saito lesson", () => {
    // the other book's word for gradient, epoch, layer, parameter, shape, test data (크기 and 층 are also plain words: not listed)
    const foreign: Record<Book, string[]> = { chollet: ["기울기", "에폭", "계층", "매개변수", "형상", "시험 데이터"], saito: ["그레이디언트", "에포크", "파라미터", "테스트 데이터"] };
    const wrong: string[] = [];
    for (const ex of exercises) {
      const book = bookOf(ex.lesson);
      for (const t of texts(ex)) for (const word of foreign[book]) if (t.ko.includes(word)) wrong.push(`${ex.id} (${book}): "${word}" in "${t.ko}"`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("hidden cases, one line each", () => {
  const dir = join(root, "src", "exercises");
  const files = readdirSync(dir).filter((f) => /^lesson\d\d\.ts$/.test(f));

  it("keeps `hidden: true` on the line of the call that starts a hidden case", () => {
    const wrong: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      const sf = ts.createSourceFile(f, text, ts.ScriptTarget.ES2020, true);
      const visit = (n: ts.Node): void => {
        if (ts.isPropertyAssignment(n) && n.name.getText(sf) === "hidden" && n.initializer.kind === ts.SyntaxKind.TrueKeyword) {
          let call: ts.Node = n;
          while (!ts.isCallExpression(call)) call = call.parent;
          const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
          if (line(call.getStart(sf)) !== line(n.getStart(sf))) wrong.push(`${f}:${line(n.getStart(sf)) + 1}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(wrong).toEqual([]);
  });

  it("are all taken out by the release, hints in both languages included", () => {
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      const { text: kit } = release.stripHiddenCases(text, f);
      expect(kit, f).not.toMatch(/hidden: true/);
      const lesson = `${f.slice(6, 8)}-`;
      const exs = allExercises().filter((e) => e.lesson.startsWith(lesson));
      const visible = new Set(exs.flatMap((e) => e.cases.filter((c) => !c.hidden && c.hint).flatMap((c) => [c.hint!.en, c.hint!.ko])));
      const hiddenOnly = exs.flatMap((e) => e.cases.filter((c) => c.hidden && c.hint).flatMap((c) => [c.hint!.en, c.hint!.ko])).filter((h) => !visible.has(h));
      for (const h of hiddenOnly) expect(kit, `${f}: ${h}`).not.toContain(JSON.stringify(h).slice(1, -1));
    }
  });
});
