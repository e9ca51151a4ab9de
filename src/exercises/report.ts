/**
 * How a check result looks (from lesson 01 on): an HTML table for notebooks and feedback pages,
 * and the same content as plain text for consoles and static viewers.
 *
 * `npm run grade` builds each student's feedback page from these same functions, so the student
 * reads there exactly the messages the self-check showed in the notebook.
 */
import { escapeHtml } from "../figures/display";
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
export function summaryLine(r: CheckResult): string {
  const cases = `${r.passed} of ${r.total} ${r.hiddenNotRun > 0 ? "visible " : ""}case${r.total === 1 ? "" : "s"} passed`;
  const hidden =
    r.hiddenNotRun > 0 ? ` (${r.hiddenNotRun} hidden case${r.hiddenNotRun === 1 ? " is" : "s are"} also run when your teacher grades)` : "";
  return `${cases} — ${r.earned} / ${r.points} point${r.points === 1 ? "" : "s"}${hidden}`;
}

/** What went wrong in one case, in one line (empty when it passed). */
export function caseDetail(c: CaseResult): string {
  if (c.status === "passed") return "";
  if (c.status === "not implemented") return c.error ?? "not implemented yet";
  if (c.status === "error") return `threw: ${c.error}`;
  return c.hidden ? "wrong answer (the inputs of hidden cases are not shown)" : `expected ${c.expected}, got ${c.got}`;
}

export function renderText(r: CheckResult): string {
  if (r.problem && r.total === 0) return `${r.exercise}: ${r.problem}`;
  const lines = [`${r.exercise} — ${r.title}`];
  for (const c of r.cases) {
    const detail = caseDetail(c);
    const shown = c.status === "passed" && !c.hidden ? ` = ${c.expected}` : "";
    lines.push(`  ${MARK[c.status]} ${c.name}${shown}${detail ? ": " + detail : ""}`);
    if (c.hint) lines.push(`      hint: ${c.hint}`);
  }
  lines.push(`  ${summaryLine(r)}`);
  if (r.problem) lines.push(`  ${r.problem}`);
  return lines.join("\n");
}

export function renderHtml(r: CheckResult): string {
  const e = escapeHtml;
  if (r.problem && r.total === 0) {
    return `<div style="color:#cf222e"><b>${e(r.exercise)}</b>: ${e(r.problem)}</div>`;
  }
  const rows = r.cases.map((c) => {
    const detail = c.status === "passed" ? (c.hidden ? "" : `= ${e(c.expected ?? "")}`) : e(caseDetail(c));
    const hint = c.hint ? `<div style="color:#57606a">hint: ${e(c.hint)}</div>` : "";
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
    `<div style="color:${all ? COLOR.passed : COLOR.failed}"><b>${e(summaryLine(r))}</b></div>` +
    (r.problem ? `<div style="color:#cf222e">${e(r.problem)}</div>` : "") +
    `</div>`
  );
}
