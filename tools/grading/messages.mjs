// @ts-check
// What the grader says to a student, in the language of the submission's edition. Used by
// tools/grade.mjs and grading/reports.mjs.
//
// A submission's language is its notebook metadata `dlbb.lang` ("ko": the Korean edition; absent or
// "en": English). The teacher's files (grades.csv, grades.json, the console) stay in English, as the
// grader's tools write them; a student's feedback page is written in the submission's language: the
// check's own report (rendered by the kit, src/exercises/report.ts, in that language), the page's
// headings, and the reasons and notes of grading, which the grader's parts (grade.py, graft.mjs,
// judge.mjs, grade.mjs) write in English and `localize` translates here, one template per message.
// A message without a template (e.g. a compiler's error text inside a reason) stays as it is.
import { EDITIONS } from "../editions.mjs";

/** The languages a submission can be in (the editions of the lessons). */
export const LANGUAGES = EDITIONS;

/** @typedef {(typeof LANGUAGES)[number]} Language */

/**
 * The language of a submission from its metadata `dlbb.lang`. A value that is neither "en" nor "ko"
 * is not fatal (the exercise ids are the same in both editions): it is graded in English, with a
 * note saying so (the teacher sees it in grades.csv's note column, the student on the feedback page).
 * @param {unknown} nb a parsed notebook (or undefined when the file is no notebook)
 * @returns {{ lang: Language, note: string | null }}
 */
export function submissionLanguage(nb) {
  const meta = /** @type {{ metadata?: { dlbb?: { lang?: unknown } } } | undefined} */ (nb)?.metadata?.dlbb;
  const value = meta !== null && typeof meta === "object" ? meta.lang : undefined;
  if (value === undefined || value === "en") return { lang: "en", note: null };
  if (value === "ko") return { lang: "ko", note: null };
  const shown = JSON.stringify(value);
  return { lang: "en", note: `metadata dlbb.lang is ${String(shown).slice(0, 40)}, neither "en" nor "ko": graded with the English master, feedback in English` };
}

/** @type {Record<string, string>} */
const CELL = { "solution cell": "풀이 셀", "check cell": "확인 셀" };
/** @param {string} what */
const cell = (what) => CELL[what] ?? what;
const NOT_YOURS = "학생의 잘못이 아닙니다. 선생님께 다시 채점해 달라고 하세요";

/**
 * The grader's English messages and their Korean: a pattern over the whole message, and its Korean
 * built from the pattern's groups. The messages come from grade.py (reasons), graft.mjs (notes),
 * judge.mjs, grade.mjs (flags) and the kernel pool; test/exercises/messages.test.ts checks that each
 * message grade.py can write has a template here.
 * @type {Array<[RegExp, (...groups: string[]) => string]>}
 */
const KOREAN = [
  // grade.py: why an exercise was not checked
  [/^the (solution cell|check cell) did not finish within (\S+) s \(an endless loop\?\)$/s, (w, s) => `${cell(w)}이 ${s}초 안에 끝나지 않았습니다 (무한 루프인가요?)`],
  [/^the notebook's time limit \((\S+) s\) was reached$/s, (s) => `노트북 전체의 시간 제한(${s}초)에 도달했습니다`],
  [/^the notebook's time limit \((\S+) s\) was reached while starting the kernel$/s, (s) => `커널을 시작하는 동안 노트북 전체의 시간 제한(${s}초)에 도달했습니다`],
  [/^the notebook's time limit \((\S+) s\) was reached in the (solution cell|check cell)$/s, (s, w) => `${cell(w)}을 실행하는 동안 노트북 전체의 시간 제한(${s}초)에 도달했습니다`],
  [/^the kernel was stopped in the (solution cell|check cell): it used more than (\S+) MB of memory$/s, (w, mb) => `${cell(w)}에서 커널을 멈췄습니다: 메모리를 ${mb}MB보다 많이 썼습니다`],
  [
    /^the kernel stopped during the (solution cell|check cell) \(process\.exit\(\) or a crash\)(?:: (.*))?$/s,
    (w, detail) => `${cell(w)}을 실행하는 동안 커널이 멈췄습니다 (process.exit() 호출이나 비정상 종료)${detail ? `: ${detail}` : ""}`,
  ],
  [/^the kernel aborted the (solution cell|check cell) \(request sent too soon after an error\)$/s, (w) => `커널이 ${cell(w)} 실행을 취소했습니다 (오류 직후에 너무 빨리 요청이 갔습니다)`],
  [/^the (solution cell|check cell) failed: (.*)$/s, (w, m) => `${cell(w)}에서 오류가 났습니다: ${m}`],
  [/^the check cell ran but showed no results \(was `check` redefined\?\)$/s, () => "확인 셀은 실행되었지만 결과를 보여 주지 않았습니다 (`check`를 다시 정의했나요?)"],
  [/^no solution cell$/s, () => "풀이 셀이 없습니다"],
  [/^the kernel did not start: (.*)$/s, (m) => `커널이 시작되지 않았습니다 (${NOT_YOURS}): ${m}`],
  [/^setup cell (\d+) of the master failed \(([\w-]+)\): (.*)$/s, (i, st, m) => `원본 노트북의 설정 셀 ${i}번이 실패했습니다 (${st}; ${NOT_YOURS}): ${m}`],
  // graft.mjs: the student's solution cells
  [
    /^no solution cell for "(.*)" in the submission \(the cell's metadata (\{"dlbb": \{"exercise": ".*"\}\}) must stay\)$/s,
    (id, meta) => `제출한 노트북에 "${id}"의 풀이 셀이 없습니다 (풀이 셀의 메타데이터 ${meta}를 지우면 안 됩니다)`,
  ],
  [/^(\d+) cells carry exercise id "(.*)"$/s, (n, id) => `연습 문제 id가 "${id}"인 셀이 ${n}개 있습니다`],
  [/^the last one was graded$/s, () => "마지막 셀을 채점했습니다"],
  [/^lesson "(.*)" has no master notebook \(known: (.*)\)$/s, (l, known) => `레슨 "${l}"의 원본 노트북이 없습니다 (채점할 수 있는 레슨: ${known})`],
  [
    /^the notebook names no lesson \(metadata dlbb\.lesson\) and its cells match no single master$/s,
    () => "노트북에 레슨이 적혀 있지 않고(메타데이터 dlbb.lesson), 셀의 연습 문제 id도 어느 한 레슨과 맞지 않습니다",
  ],
  // grade.mjs: notes on a submission
  [/^handed in as lesson "(.*)", graded with its master "(.*)"$/s, (as, l) => `레슨 id가 "${as}"인 노트북으로 제출되어, 원본 노트북 "${l}" 기준으로 채점했습니다`],
  [
    /^name "(.*)" is also used by (.*?)( \(this notebook's metadata dlbb\.student names it\))?$/s,
    (name, others, meta) => `이름이 "${name}"인 제출물이 또 있습니다: ${others}${meta ? " (이 노트북의 메타데이터 dlbb.student에 적힌 이름입니다)" : ""}`,
  ],
  // judge.mjs and the kernel pool
  [/^the check's report could not be read: (.*)$/s, (m) => `확인 결과를 읽을 수 없습니다: ${m}`],
  [/^no result from the grader$/s, () => `채점기에서 결과를 받지 못했습니다 (${NOT_YOURS})`],
  [/^grader: (.*)$/s, (m) => `채점기의 문제입니다 (${NOT_YOURS}): ${m}`],
];

/**
 * One message of the grader in `lang`. Reasons joined with "; " (judge.mjs) are translated part by
 * part; a part without a template stays as it is.
 * @param {string | null | undefined} text
 * @param {Language} lang
 * @returns {string}
 */
export function localize(text, lang) {
  if (!text || lang === "en") return text ?? "";
  return text
    .split("; ")
    .map((part) => {
      for (const [pattern, korean] of KOREAN) {
        const m = pattern.exec(part);
        if (m) return korean(...m.slice(1).map((g) => g ?? ""));
      }
      return part;
    })
    .join("; ");
}

/**
 * True when `text` (one message) has a Korean template.
 * @param {string} text
 */
export function hasTemplate(text) {
  return KOREAN.some(([pattern]) => pattern.test(text));
}

/** @type {Record<string, string>} */
const STATUS_KO = {
  ok: "모두 채점됨",
  error: "오류",
  timeout: "시간 초과",
  "kernel-died": "커널 중단",
  missing: "풀이 셀 없음",
  "no-result": "결과 없음",
  skipped: "채점하지 못함(시간 제한)",
  "grader-error": "채점기 오류",
  "invalid-json": "잘못된 JSON",
  "not-a-notebook": "노트북이 아님",
  "unknown-lesson": "알 수 없는 레슨",
};

/**
 * The words of a feedback page, in `lang`.
 * @param {Language} lang
 */
export function pageWords(lang) {
  if (lang === "ko") {
    return {
      submission: "제출물",
      /** @type {(lesson: string, total: unknown, max: unknown, status: string) => string} */
      line: (lesson, total, max, status) =>
        `레슨 <b>${lesson}</b> · ${total} / ${max}점 · 상태 <b>${status.split("+").map((s) => STATUS_KO[s] ?? s).join(" + ")}</b> (${status})`,
      /** @type {(points: unknown, max: unknown) => string} */
      points: (points, max) => `${points} / ${max}점`,
    };
  }
  return {
    submission: "submission",
    /** @type {(lesson: string, total: unknown, max: unknown, status: string) => string} */
    line: (lesson, total, max, status) => `Lesson <b>${lesson}</b> · ${total} / ${max} points · status <b>${status}</b>`,
    /** @type {(points: unknown, max: unknown) => string} */
    points: (points, max) => `${points} / ${max} point${max === 1 ? "" : "s"}`,
  };
}

/** The page's fonts: Hangul in every language (a name, a message), the Korean fonts first for a Korean page. */
const HANGUL_FONTS = `"Noto Sans CJK KR","NanumGothic","Malgun Gothic","Apple SD Gothic Neo"`;
/** @param {Language} lang */
export function fontStack(lang) {
  return lang === "ko" ? `${HANGUL_FONTS},system-ui,sans-serif` : `system-ui,${HANGUL_FONTS},sans-serif`;
}
