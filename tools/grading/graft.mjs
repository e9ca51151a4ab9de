// @ts-check
// Which submissions, whose, of which lesson, and the notebook that is run for each: the master's
// setup cells, then per exercise only the student's solution cell and the master's check cell(s).
// Used by tools/grade.mjs.
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { cellSource, dlbb, masterFor, sourceLines } from "../notebook.mjs";

/**
 * Submitted .ipynb files among `args` (files, or folders searched recursively, skipping hidden ones).
 * @param {string[]} args
 * @returns {string[]}
 */
export function collectSubmissions(args) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ipynb")) files.push(p);
    }
  };
  for (const a of args) {
    const p = resolve(a);
    if (!existsSync(p)) throw new Error(`${a}: no such file or folder`);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
  return [...new Set(files)];
}

/**
 * The lesson of a submission: its dlbb.lesson metadata (a master's id or one of its former ids,
 * dlbb.aliases), else the master whose exercise ids its cells carry.
 * @param {import("./types.mjs").Notebook} nb
 * @param {import("./types.mjs").Masters} masters
 * @returns {{ lesson: string, as?: string, status?: undefined, reason?: undefined } | { lesson?: undefined, as?: undefined, status: string, reason: string }}
 */
export function identifyLesson(nb, masters) {
  const lesson = dlbb(nb).lesson;
  if (typeof lesson === "string" && lesson) {
    const master = masterFor(masters, lesson);
    if (master) return master.parts.lesson === lesson ? { lesson } : { lesson: /** @type {string} */ (master.parts.lesson), as: lesson };
    return { status: "unknown-lesson", reason: `lesson "${lesson}" has no master notebook (known: ${[...masters.keys()].join(", ") || "none"})` };
  }
  const ids = new Set(nb.cells.map((/** @type {import("./types.mjs").Cell} */ c) => dlbb(c).exercise).filter((/** @type {unknown} */ x) => typeof x === "string"));
  const hits = [...masters.values()].filter((m) => m.parts.exercises.some((e) => ids.has(e.id)));
  if (hits.length === 1) return { lesson: /** @type {string} */ (hits[0].parts.lesson) };
  return { status: "unknown-lesson", reason: "the notebook names no lesson (metadata dlbb.lesson) and its cells match no single master" };
}

/**
 * The student's name: metadata dlbb.student (then `fromMetadata` is true), else the file name (the
 * folder's, if the file kept the lesson's name).
 * @param {import("./types.mjs").Notebook | undefined} nb
 * @param {string} file
 * @param {import("./types.mjs").Masters} masters
 * @returns {string}
 */
export function studentName(nb, file, masters) {
  const meta = nb ? dlbb(nb).student : undefined;
  if (typeof meta === "string" && meta.trim()) return meta.trim().slice(0, 200);
  const stem = basename(file).replace(/\.ipynb$/, "");
  const lessonFiles = new Set([...masters.values()].map((m) => basename(m.path).replace(/\.ipynb$/, "")));
  return lessonFiles.has(stem) ? basename(dirname(file)) : stem;
}

/**
 * The notebook that is executed for a submission: the master's setup cells, then for each exercise
 * the student's solution cell (found by exercise id; the last one if there are several) and the
 * master's check cell(s). Everything else of the submission is ignored. Returns { nb, exercises }
 * where exercises[i] = { id, points, solution (source or null), note, checks }.
 * @param {import("./types.mjs").Master} master
 * @param {import("./types.mjs").Notebook} submission
 * @returns {{ nb: import("./types.mjs").Notebook, exercises: import("./types.mjs").GraftedExercise[] }}
 */
export function graft(master, submission) {
  const exercises = master.parts.exercises.map((ex) => {
    const mine = submission.cells.filter((/** @type {import("./types.mjs").Cell} */ c) => c.cell_type === "code" && dlbb(c).exercise === ex.id);
    const solution = mine.length ? cellSource(mine[mine.length - 1]) : null;
    const note =
      mine.length === 0
        ? `no solution cell for "${ex.id}" in the submission (the cell's metadata {"dlbb": {"exercise": "${ex.id}"}} must stay)`
        : mine.length > 1
          ? `${mine.length} cells carry exercise id "${ex.id}"; the last one was graded`
          : null;
    return { id: ex.id, points: ex.points, solution, note, checks: ex.checks };
  });
  /** @type {(id: string, source: string, meta: Record<string, unknown>) => import("./types.mjs").Cell} */
  const cell = (id, source, meta) => ({ cell_type: "code", execution_count: null, id, metadata: { dlbb: meta }, outputs: [], source: sourceLines(source) });
  const cells = master.parts.setup.map((s, i) => cell(`setup-${i + 1}`, s, { role: "setup" }));
  for (const ex of exercises) {
    if (ex.solution !== null) cells.push(cell(`${ex.id}-solution`, ex.solution, { exercise: ex.id, points: ex.points }));
    ex.checks.forEach((s, i) => cells.push(cell(`${ex.id}-check${i ? "-" + (i + 1) : ""}`, s, { check: ex.id })));
  }
  const nb = { cells, metadata: { ...structuredClone(master.nb.metadata) }, nbformat: 4, nbformat_minor: 5 };
  return { nb, exercises };
}
