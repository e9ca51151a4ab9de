/**
 * How a check result looks (from lesson 01 on): an HTML table for notebooks and feedback pages,
 * and the same content as plain text for consoles and static viewers.
 *
 * `npm run grade` builds each student's feedback page from these same functions, so the student
 * reads there exactly the messages the self-check showed in the notebook — in the language of the
 * notebook's edition (`lang`; by default `language()`, the kernel's).
 */
import { escapeHtml } from "../figures/display";
import { language, say, type Language } from "../language/language";
import type { CaseResult, CheckResult } from "./results";

const MARK: Record<CaseResult["status"], string> = {
  passed: "✓",
  failed: "✗",
  error: "✗",
  "not implemented": "…",
};

const COLOR: Record<CaseResult["status"], string> = {
  passed: "#1a7f37",
  failed: "#cf222e",
  error: "#cf222e",
  "not implemented": "#9a6700",
};

/** "2 of 3 cases passed — 1.33 / 2 points", plus a note on hidden cases. */
export function summaryLine(r: CheckResult, lang: Language = language()): string {
  const visible = r.hiddenNotRun > 0;
  return say(
    {
      en:
        `${r.passed} of ${r.total} ${visible ? "visible " : ""}case${r.total === 1 ? "" : "s"} passed — ${r.earned} / ${r.points} point${r.points === 1 ? "" : "s"}` +
        (visible ? ` (${r.hiddenNotRun} hidden case${r.hiddenNotRun === 1 ? " is" : "s are"} also run when your teacher grades)` : ""),
      ko:
        `${visible ? "공개된 " : ""}케이스 ${r.total}개 중 ${r.passed}개 통과${r.passed < r.total ? `, ${r.total - r.passed}개 실패` : ""} — ${r.earned} / ${r.points}점` +
        (visible ? ` (선생님이 채점할 때는 숨겨진 케이스 ${r.hiddenNotRun}개도 함께 실행합니다)` : ""),
    },
    lang,
  );
}

/** The stub's message, "not implemented yet: stepsPerEpoch", in the language of the check. */
function notImplemented(error: string | undefined, lang: Language): string {
  const m = /^not implemented yet\s*:?\s*(.*)$/is.exec(error ?? "");
  if (!m) return error ?? say({ en: "not implemented yet", ko: "아직 구현하지 않았습니다" }, lang);
  return say({ en: error as string, ko: `아직 구현하지 않았습니다${m[1] ? ": " + m[1] : ""}` }, lang);
}

/** What went wrong in one case, in one line (empty when it passed). */
export function caseDetail(c: CaseResult, lang: Language = language()): string {
  if (c.status === "passed") return "";
  if (c.status === "not implemented") return notImplemented(c.error, lang);
  if (c.status === "error") return say({ en: `threw: ${c.error}`, ko: `오류 발생: ${c.error}` }, lang);
  return c.hidden
    ? say({ en: "wrong answer (the inputs of hidden cases are not shown)", ko: "틀린 답 (숨겨진 케이스의 입력은 보여 주지 않습니다)" }, lang)
    : say({ en: `expected ${c.expected}, got ${c.got}`, ko: `기댓값 ${c.expected}, 반환값 ${c.got}` }, lang);
}

const HINT = { en: "hint", ko: "힌트" };

export function renderText(r: CheckResult, lang: Language = language()): string {
  if (r.problem && r.total === 0) return `${r.exercise}: ${r.problem}`;
  const lines = [`${r.exercise} — ${r.title}`];
  for (const c of r.cases) {
    const detail = caseDetail(c, lang);
    const shown = c.status === "passed" && !c.hidden ? ` = ${c.expected}` : "";
    lines.push(`  ${MARK[c.status]} ${c.name}${shown}${detail ? ": " + detail : ""}`);
    if (c.hint) lines.push(`      ${say(HINT, lang)}: ${c.hint}`);
  }
  lines.push(`  ${summaryLine(r, lang)}`);
  if (r.problem) lines.push(`  ${r.problem}`);
  return lines.join("\n");
}

export function renderHtml(r: CheckResult, lang: Language = language()): string {
  const e = escapeHtml;
  if (r.problem && r.total === 0) {
    return `<div style="color:#cf222e"><b>${e(r.exercise)}</b>: ${e(r.problem)}</div>`;
  }
  const rows = r.cases.map((c) => {
    const detail = c.status === "passed" ? (c.hidden ? "" : `= ${e(c.expected ?? "")}`) : e(caseDetail(c, lang));
    const hint = c.hint ? `<div style="color:#57606a">${say(HINT, lang)}: ${e(c.hint)}</div>` : "";
    return (
      `<tr><td style="color:${COLOR[c.status]};font-weight:bold;text-align:center">${MARK[c.status]}</td>` +
      `<td style="text-align:left"><code>${e(c.name)}</code></td>` +
      `<td style="text-align:left">${detail}${hint}</td></tr>`
    );
  });
  const all = r.passed === r.total;
  return (
    `<div class="dlbb-check"><div><b>${e(r.exercise)}</b> — ${e(r.title)}</div>` +
    `<table style="border-collapse:collapse;margin:4px 0">${rows.join("")}</table>` +
    `<div style="color:${all ? COLOR.passed : COLOR.failed}"><b>${e(summaryLine(r, lang))}</b></div>` +
    (r.problem ? `<div style="color:#cf222e">${e(r.problem)}</div>` : "") +
    `</div>`
  );
}
