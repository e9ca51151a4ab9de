// @ts-check
// `npm run editions [-- --check] [--only NN]`: the Korean edition of every lesson, kept in step with the English one.
//
// notebooks/NN-name.ipynb is the English edition and the source of every code cell; notebooks/ko/NN-name.ipynb
// is the Korean edition. The two have the same cells, in the same order, with the same ids: code cells,
// their metadata (exercise ids, points, checks) and the notebook's metadata are the English edition's,
// copied; only the markdown cells' text is the edition's own. `npm run editions` copies every code cell
// over (so a change to a lesson's code is made once, in the English edition) and keeps each Korean
// markdown cell by its id; `--check` only reports (test/editions.test.ts runs it). A markdown cell new
// in the English edition arrives in English, and the Korean-prose check names it until it is translated.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cellSource, notebookJson, sourceLines } from "./notebook.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const notebooksDir = join(root, "notebooks");
/** The editions of the lessons: English in notebooks/, each other in a folder of notebooks/ named after it. */
export const EDITIONS = /** @type {const} */ (["en", "ko"]);
/** The editions besides English. */
export const LANGUAGES = EDITIONS.filter((l) => l !== "en");

/**
 * The lesson files of a folder: NN-name.ipynb.
 * @param {string} dir
 */
export function lessonFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort() : [];
}

/**
 * An edition's folder of lessons: notebooks/ or notebooks/LANG/.
 * @param {string} lang
 */
export function editionDir(lang, dir = notebooksDir) {
  if (!(/** @type {readonly string[]} */ (EDITIONS)).includes(lang)) throw new Error(`--lang must be one of ${EDITIONS.join(", ")}, got "${lang}"`);
  return lang === "en" ? dir : join(dir, lang);
}

/**
 * @param {string} file
 * @param {string} lang
 */
export function editionPath(file, lang, dir = notebooksDir) {
  return join(editionDir(lang, dir), file);
}

/**
 * @param {any} cell
 * @param {number} i
 */
function idOf(cell, i) {
  return typeof cell.id === "string" ? cell.id : `#${i}`;
}

/**
 * The notebook's metadata without the edition's own keys (dlbb.lang).
 * @param {any} nb
 */
function sharedMetadata(nb) {
  const m = JSON.parse(JSON.stringify(nb.metadata ?? {}));
  if (m.dlbb) delete m.dlbb.lang;
  return m;
}

/**
 * Where the Korean (or another) edition differs from the English one in what they must share: cell
 * order, ids and types, code cells and their metadata, markdown cells' metadata, the notebook's metadata.
 * @param {any} en @param {any} other @param {string} lang
 * @returns {string[]}
 */
export function driftProblems(en, other, lang) {
  const problems = [];
  const a = en.cells.map(idOf);
  const b = other.cells.map(idOf);
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    const missing = a.filter((/** @type {string} */ x) => !b.includes(x));
    const extra = b.filter((/** @type {string} */ x) => !a.includes(x));
    problems.push(
      `cells differ: ${missing.length ? `missing ${missing.join(", ")}; ` : ""}${extra.length ? `not in the English edition ${extra.join(", ")}; ` : ""}` +
        (missing.length || extra.length ? "" : "same ids in another order"),
    );
    return problems;
  }
  en.cells.forEach((/** @type {any} */ c, /** @type {number} */ i) => {
    const d = other.cells[i];
    const id = idOf(c, i);
    if (c.cell_type !== d.cell_type) problems.push(`cell ${id}: ${c.cell_type} in English, ${d.cell_type} in ${lang}`);
    else if (JSON.stringify(c.metadata ?? {}) !== JSON.stringify(d.metadata ?? {})) problems.push(`cell ${id}: its metadata differ`);
    else if (c.cell_type === "code" && cellSource(c) !== cellSource(d)) problems.push(`code cell ${id} differs`);
  });
  if (JSON.stringify(sharedMetadata(en)) !== JSON.stringify(sharedMetadata(other))) problems.push("the notebook's metadata differ");
  if (other.metadata?.dlbb?.lang !== lang) problems.push(`metadata.dlbb.lang is ${JSON.stringify(other.metadata?.dlbb?.lang)}, not "${lang}"`);
  return problems;
}

/**
 * The edition rebuilt from the English one: its markdown cells kept by id, everything else copied.
 * @param {any} en @param {any | undefined} other @param {string} lang
 * @returns {{ nb: any, untranslated: string[], dropped: string[] }}
 */
export function syncEdition(en, other, lang) {
  /** @type {Map<string, any>} */
  const mine = new Map((other?.cells ?? []).map((/** @type {any} */ c, /** @type {number} */ i) => [idOf(c, i), c]));
  const cells = en.cells.map((/** @type {any} */ c, /** @type {number} */ i) => {
    const id = idOf(c, i);
    const copy = JSON.parse(JSON.stringify(c));
    if (c.cell_type === "markdown") {
      const own = mine.get(id);
      if (own?.cell_type === "markdown") copy.source = sourceLines(cellSource(own));
    }
    if (copy.cell_type === "code") {
      copy.outputs = [];
      copy.execution_count = null;
    }
    return copy;
  });
  const ids = new Set(en.cells.map(idOf));
  const dropped = [...mine.keys()].filter((id) => !ids.has(id));
  const metadata = JSON.parse(JSON.stringify(en.metadata));
  metadata.dlbb = { ...(metadata.dlbb ?? {}), lang };
  const nb = { ...en, metadata, cells };
  return { nb, untranslated: lang === "ko" ? notKoreanCells(nb) : [], dropped };
}

/**
 * A markdown cell's prose: without code blocks and spans, math, link targets, HTML tags and entities.
 * @param {string} text
 */
export function prose(text) {
  return text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/`[^`\n]*`/g, " ")
    .replace(/\$\$[\s\S]*?\$\$/g, " ")
    .replace(/\$[^$\n]*\$/g, " ")
    .replace(/\]\([^)]*\)/g, "] ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&\w+;/g, " ");
}

/**
 * The ids of the markdown cells whose prose is not Korean: more than a few Latin letters and fewer
 * Hangul syllables than half as many (names such as ReLU, Dense or TensorFlow.js stay Latin in Korean text).
 * @param {any} nb
 * @returns {string[]}
 */
export function notKoreanCells(nb) {
  /** @type {string[]} */
  const ids = [];
  nb.cells.forEach((/** @type {any} */ c, /** @type {number} */ i) => {
    if (c.cell_type !== "markdown") return;
    const p = prose(cellSource(c));
    const latin = (p.match(/[A-Za-z]/g) ?? []).length;
    const hangul = (p.match(/[\uAC00-\uD7A3]/g) ?? []).length;
    if (latin > 12 && hangul < latin / 2) ids.push(idOf(c, i));
  });
  return ids;
}

/**
 * A lesson's title as its first heading writes it, without the number: "A first look at a neural network".
 * @param {any} nb
 */
export function lessonTitle(nb) {
  const first = cellSource(nb.cells.find((/** @type {any} */ c) => c.cell_type === "markdown")).split("\n").find((l) => l.startsWith("# ")) ?? "";
  return first.replace(/^#\s*/, "").replace(/^\d\d\s*[—–-]\s*/, "").trim();
}

export const INDEX = "index.ipynb";

/**
 * notebooks/index.ipynb, what `npm start` opens: every lesson in both editions, one markdown cell made
 * from the lessons' own titles (so it cannot go stale: the drift check compares it too).
 * @param {{ file: string, en: any, ko: any }[]} lessons
 */
export function indexNotebook(lessons) {
  const rows = lessons.map(({ file, en, ko }) => `| ${file.slice(0, 2)} | [${lessonTitle(en)}](${file}) | [${lessonTitle(ko)}](ko/${file}) |`);
  const text = [
    "# dl-building-blocks — the lessons · 레슨 목록",
    "",
    "Every lesson in two editions with the same code: English, and Korean (한국어판). Open a lesson, then run its cells",
    "from the top (Shift-Enter). 레슨을 열고 맨 위 셀부터 차례로 실행하세요(Shift-Enter).",
    "",
    "| | English | 한국어 |",
    "|---|---|---|",
    ...rows,
    "",
    "`npm start -- --lang ko` opens the Korean lessons directly · 한국어판만 열려면 `npm start -- --lang ko`",
  ].join("\n");
  return {
    cells: [{ cell_type: "markdown", id: "index", metadata: {}, source: sourceLines(text) }],
    metadata: {
      dlbb: { index: true },
      kernelspec: { display_name: "TypeScript (dl-building-blocks)", language: "typescript", name: "dl-building-blocks" },
      language_info: { file_extension: ".ts", mimetype: "text/typescript", name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** @param {string} path */
function read(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: not a notebook (${/** @type {Error} */ (e).message})`);
  }
}

/**
 * Syncs (or with check, only compares) every lesson's editions. Returns the problems found.
 * @param {{ check?: boolean, dir?: string, log?: (s: string) => void, only?: string }} [opts]
 */
export function editions({ check = false, dir = notebooksDir, log = console.log, only = "" } = {}) {
  const problems = [];
  const files = lessonFiles(dir).filter((f) => f.startsWith(only));
  const index = join(dir, INDEX);
  const expected = notebookJson(
    indexNotebook(files.map((file) => ({ file, en: read(join(dir, file)), ko: existsSync(join(dir, "ko", file)) ? read(join(dir, "ko", file)) : read(join(dir, file)) }))),
  );
  if (!only) {
    if (check) {
      if (!existsSync(index) || readFileSync(index, "utf8") !== expected) problems.push(`${INDEX}: not the index of today's lessons (npm run editions rewrites it)`);
    } else if (!existsSync(index) || readFileSync(index, "utf8") !== expected) {
      writeFileSync(index, expected);
      log(`wrote ${INDEX}`);
    }
  }
  for (const lang of LANGUAGES) {
    for (const f of lessonFiles(join(dir, lang))) if (f.startsWith(only) && !files.includes(f)) problems.push(`${lang}/${f}: no English edition notebooks/${f}`);
    for (const f of files) {
      const en = read(editionPath(f, "en", dir));
      const path = editionPath(f, lang, dir);
      const other = existsSync(path) ? read(path) : undefined;
      if (check) {
        if (!other) problems.push(`${lang}/${f}: missing (npm run editions makes it)`);
        else problems.push(...driftProblems(en, other, lang).map((p) => `${lang}/${f}: ${p}`));
        continue;
      }
      const { nb, untranslated, dropped } = syncEdition(en, other, lang);
      mkdirSync(dirname(path), { recursive: true });
      const text = notebookJson(nb);
      if (!other || text !== readFileSync(path, "utf8")) {
        writeFileSync(path, text);
        log(`wrote ${lang}/${f}`);
      }
      if (untranslated.length) log(`${lang}/${f}: ${untranslated.length} markdown cell(s) not yet in Korean: ${untranslated.join(", ")}`);
      if (dropped.length) log(`${lang}/${f}: dropped cell(s) the English edition no longer has: ${dropped.join(", ")}`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--only");
  const only = i >= 0 ? args.splice(i, 2)[1] ?? "" : "";
  const unknown = args.filter((a) => a !== "--check");
  if (unknown.length || (i >= 0 && !/^\d\d$/.test(only))) {
    console.error(`${unknown.length ? `unknown option ${unknown[0]}` : "--only takes a lesson number, e.g. 05"}\nusage: npm run editions [-- --check] [--only NN]`);
    process.exit(2);
  }
  try {
    const problems = editions({ check: args.includes("--check"), only });
    for (const p of problems) console.error(p);
    process.exit(problems.length ? 1 : 0);
  } catch (e) {
    console.error(/** @type {Error} */ (e).message);
    process.exit(1);
  }
}
