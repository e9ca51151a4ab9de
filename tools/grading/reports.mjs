// @ts-check
// What grading writes: grades.csv, grades.json, one feedback page per student, and the console
// summary. Reports go into a real folder (never through a symbolic link); each file is written
// under a fresh name and renamed into place; one record that cannot be written never stops the others.
// The teacher's files are in English (grades.json also names each submission's `lang`); a student's
// feedback page is in the language of the submission's edition (grading/messages.mjs).
// Used by tools/grade.mjs.
import { lstatSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { fontStack, localize, pageWords } from "./messages.mjs";

/**
 * A CSV cell; text that a spreadsheet would run as a formula (= + - @, tab, CR first) is prefixed with '.
 * @param {unknown} v
 * @returns {string}
 */
export function csvField(v) {
  let s = String(v ?? "");
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * @param {import("./types.mjs").ReportRecord[]} records
 * @returns {string[]}
 */
function exerciseColumns(records) {
  /** @type {string[]} */
  const ids = [];
  for (const r of records) for (const id of Object.keys(r.exercises ?? {})) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/**
 * @param {import("./types.mjs").ReportRecord[]} records
 * @returns {string}
 */
export function gradesCsv(records) {
  const ids = exerciseColumns(records);
  /** @type {unknown[][]} */
  const rows = [["student", "lesson", ...ids, "total", "max", "status", "note"]];
  for (const r of records) {
    rows.push([r.student, r.lesson, ...ids.map((id) => r.exercises?.[id]?.points ?? ""), r.total, r.max, r.status, (r.flags ?? []).join("; ")]);
  }
  return rows.map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

/** @type {(s: unknown) => string} */
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => /** @type {Record<string, string>} */ ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/**
 * One student's feedback page, in the submission's language (`record.lang`, default English): per
 * exercise, the check's own HTML (what the self-check shows, `shown` when the submission is not in
 * English) or the reason.
 * @param {import("./types.mjs").ReportRecord} record
 * @param {import("./types.mjs").Kit} kit
 * @returns {string}
 */
export function feedbackHtml(record, kit) {
  const lang = record.lang === "ko" ? "ko" : "en";
  const words = pageWords(lang);
  /** @type {(text: string | null | undefined) => string} */
  const say = (text) => esc(localize(text, lang));
  const parts = [];
  if (record.reason && Object.keys(record.exercises).length === 0) parts.push(`<p class="bad">${say(record.reason)}</p>`);
  for (const f of record.flags ?? []) parts.push(`<p class="bad">${say(f)}</p>`);
  for (const [id, e] of Object.entries(record.exercises)) {
    parts.push(`<section><h2>${esc(id)} — ${esc(words.points(e.points, e.max))}</h2>`);
    if (e.reason) parts.push(`<p class="${e.result ? "note" : "bad"}">${say(e.reason)}</p>`);
    const result = e.shown ?? e.result;
    if (result) parts.push(kit.renderHtml(/** @type {import("../../src/teacher").CheckResult} */ (result), lang));
    parts.push(`</section>`);
  }
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(record.student)} — ${esc(record.lesson || words.submission)}</title>
<style>body{font-family:${fontStack(lang)};max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
:lang(ko){word-break:keep-all}
td{padding:2px 8px;vertical-align:top}.bad{color:#cf222e;white-space:pre-wrap}.note{color:#57606a;white-space:pre-wrap}</style></head>
<body><h1>${esc(record.student)}</h1>
<p>${words.line(esc(record.lesson || "?"), esc(record.total), esc(record.max), esc(record.status))}</p>
${parts.join("\n")}
</body></html>
`;
}

/**
 * @param {unknown} name
 * @returns {string}
 */
function fileSafe(name) {
  return String(name).replace(/[^\p{L}\p{N}._ -]+/gu, "_").replace(/^\.+/, "_").slice(0, 100) || "student";
}

/**
 * A folder for reports: created if missing; refused if it (or a parent we create through) is a symbolic link.
 * @param {string} out
 * @returns {string}
 */
export function reportFolder(out) {
  mkdirSync(out, { recursive: true });
  for (const p of [out, join(out, "feedback")]) {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      mkdirSync(p);
      st = lstatSync(p);
    }
    if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`${p} is ${st.isSymbolicLink() ? "a symbolic link" : "not a folder"}: grades are only written into a real folder`);
  }
  return out;
}

/**
 * Writes `text` to `path` via a fresh file renamed over it (a link at `path` is replaced, never followed).
 * @param {string} path
 * @param {string} text
 */
function writeFresh(path, text) {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, text, { flag: "wx" });
  renameSync(tmp, path);
}

/**
 * Writes grades.csv, the feedback pages and grades.json; returns the problems (one line each), if any.
 * @param {import("./types.mjs").ReportRecord[]} records
 * @param {string} out
 * @param {import("./types.mjs").Kit} kit
 * @param {Record<string, unknown>} info
 * @returns {string[]}
 */
export function writeOutputs(records, out, kit, info) {
  reportFolder(out);
  /** @type {string[]} */
  const problems = [];
  /** @type {(what: string, fn: () => void) => void} */
  const attempt = (what, fn) => {
    try {
      fn();
    } catch (e) {
      problems.push(`${what}: ${/** @type {Error | undefined} */ (e)?.message ?? e}`);
    }
  };
  attempt("grades.csv", () => writeFresh(join(out, "grades.csv"), gradesCsv(records)));
  const used = new Set();
  for (const r of records) {
    attempt(`feedback for ${r.student}`, () => {
      let name = fileSafe(r.student);
      while (used.has(name.toLowerCase())) name += "_";
      used.add(name.toLowerCase());
      r.feedback = join(out, "feedback", `${name}.html`);
      writeFresh(r.feedback, feedbackHtml(r, kit));
    });
  }
  // the teacher's file: the results in English (a feedback page's own copy in another language, `shown`, stays out)
  const teacherCopy = (/** @type {string} */ key, /** @type {unknown} */ value) => (key === "shown" ? undefined : value);
  attempt("grades.json", () => writeFresh(join(out, "grades.json"), JSON.stringify({ ...info, problems, submissions: records }, teacherCopy, 2) + "\n"));
  return problems;
}

/**
 * The console summary: one row per submission.
 * @param {import("./types.mjs").ReportRecord[]} records
 * @returns {string}
 */
export function summaryTable(records) {
  const ids = exerciseColumns(records);
  const rows = [["student", "lesson", ...ids, "total", "status"]];
  for (const r of records) rows.push([r.student, r.lesson, ...ids.map((id) => String(r.exercises[id]?.points ?? "")), `${r.total} / ${r.max}`, r.status]);
  const widths = rows[0].map((_, c) => Math.min(40, Math.max(...rows.map((row) => String(row[c]).length))));
  return rows.map((row) => row.map((v, c) => String(v).slice(0, 40).padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}
