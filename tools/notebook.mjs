// @ts-check
// The notebook format, in one place: reading and checking nbformat 4 notebooks, sources as strings
// or lines, the kit's cell roles in `metadata.dlbb` (setup, exercise + points, check; the notebook's
// lesson id and former ids), the student version of a master (solutions stubbed, outputs cleared).
// Used by tools/release.mjs and tools/grade.mjs (and its parts in tools/grading/).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const BEGIN = "// BEGIN SOLUTION";
export const END = "// END SOLUTION";

/**
 * A cell's source as one string (nbformat allows a string or a list of lines).
 * @param {{ source?: unknown } | null | undefined} cell
 * @returns {string}
 */
export function cellSource(cell) {
  const s = cell?.source;
  if (Array.isArray(s)) return s.map((x) => (typeof x === "string" ? x : "")).join("");
  return typeof s === "string" ? s : "";
}

/**
 * nbformat's on-disk form of a source: lines, each but the last ending in "\n".
 * @param {string} text
 * @returns {string[]}
 */
export function sourceLines(text) {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

/**
 * Serializes a notebook as Jupyter does (indent 1, trailing newline).
 * @param {unknown} nb
 * @returns {string}
 */
export function notebookJson(nb) {
  return JSON.stringify(nb, null, 1) + "\n";
}

/**
 * The `dlbb` metadata of a cell or notebook, or {} .
 * @param {{ metadata?: { dlbb?: unknown } } | null | undefined} x
 * @returns {import("./grading/types.mjs").Dlbb}
 */
export function dlbb(x) {
  const m = x?.metadata?.dlbb;
  return m !== null && typeof m === "object" && !Array.isArray(m) ? /** @type {import("./grading/types.mjs").Dlbb} */ (m) : {};
}

/**
 * Splits a master notebook into its exercise parts; throws an Error naming `where` and the cell when
 * the markup is inconsistent (every exercise needs one solution cell with points and ≥1 check cell).
 * Returns { lesson, setup: [source…], exercises: [{ id, points, solution, checks: [source…] }] }.
 * @param {import("./grading/types.mjs").Notebook} nb
 * @param {string} where
 * @returns {import("./grading/types.mjs").MasterParts}
 */
export function masterParts(nb, where) {
  const lesson = dlbb(nb).lesson;
  if (lesson !== undefined && (typeof lesson !== "string" || !lesson)) throw new Error(`${where}: dlbb.lesson must be a non-empty string`);
  if (!Array.isArray(nb.cells)) throw new Error(`${where}: not a notebook (no cells)`);
  /** @type {string[]} */
  const setup = [];
  /** @type {Map<unknown, import("./grading/types.mjs").MasterExercise>} */
  const exercises = new Map();
  /** @type {Map<unknown, string[]>} */
  const checks = new Map();
  nb.cells.forEach((/** @type {import("./grading/types.mjs").Cell} */ cell, /** @type {number} */ i) => {
    const m = dlbb(cell);
    const src = cellSource(cell);
    const at = `${where} cell ${i} (id ${cell.id ?? "?"})`;
    if (cell.cell_type !== "code") return;
    if (m.role === "setup") setup.push(src);
    if (m.exercise !== undefined) {
      if (typeof m.exercise !== "string" || !m.exercise) throw new Error(`${at}: dlbb.exercise must be a non-empty string`);
      if (exercises.has(m.exercise)) throw new Error(`${at}: a second solution cell for exercise "${m.exercise}"`);
      if (!(typeof m.points === "number" && m.points > 0)) throw new Error(`${at}: exercise "${m.exercise}" needs dlbb.points > 0`);
      stubSolution(src, m.exercise, at); // validates the markers
      exercises.set(m.exercise, /** @type {import("./grading/types.mjs").MasterExercise} */ ({ id: m.exercise, points: m.points, solution: src }));
    } else if (src.includes(BEGIN) || src.includes(END)) {
      throw new Error(`${at}: has solution markers but no dlbb.exercise metadata (its solution would be released)`);
    }
    if (m.check !== undefined) {
      if (!checks.has(m.check)) checks.set(m.check, []);
      /** @type {string[]} */ (checks.get(m.check)).push(src);
    }
  });
  for (const id of checks.keys()) if (!exercises.has(id)) throw new Error(`${where}: a check cell for "${id}", which has no solution cell`);
  for (const ex of exercises.values()) {
    if (!checks.has(ex.id)) throw new Error(`${where}: exercise "${ex.id}" has no check cell ({"dlbb": {"check": "${ex.id}"}})`);
    ex.checks = /** @type {string[]} */ (checks.get(ex.id));
  }
  if (exercises.size > 0 && !lesson) throw new Error(`${where}: has exercises but its metadata has no dlbb.lesson id`);
  return { lesson, setup, exercises: [...exercises.values()] };
}

/**
 * The student's version of a solution cell's source: each `// BEGIN SOLUTION` … `// END SOLUTION`
 * block becomes `// YOUR CODE HERE` + a throw naming the function the block is in.
 * @param {string} source
 * @param {string} exerciseId
 * @param {string} [where]
 * @returns {string}
 */
export function stubSolution(source, exerciseId, where = exerciseId) {
  const lines = source.split("\n");
  const out = [];
  let open = null;
  let blocks = 0;
  let fn = null;
  for (const [i, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === BEGIN) {
      if (open !== null) throw new Error(`${where}: line ${i + 1}: ${BEGIN} inside another solution block`);
      open = line.slice(0, line.indexOf("//"));
      const name = fn ?? exerciseId;
      out.push(`${open}// YOUR CODE HERE`, `${open}throw new Error(${JSON.stringify(`not implemented yet: ${name}`)});`);
      blocks++;
    } else if (trimmed === END) {
      if (open === null) throw new Error(`${where}: line ${i + 1}: ${END} without ${BEGIN}`);
      open = null;
    } else if (open === null) {
      const m = line.match(/\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)/);
      if (m) fn = m[1] ?? m[2];
      out.push(line);
    }
  }
  if (open !== null) throw new Error(`${where}: ${BEGIN} without ${END}`);
  if (blocks === 0) throw new Error(`${where}: solution cell of "${exerciseId}" has no ${BEGIN} … ${END} block`);
  return out.join("\n");
}

/**
 * The student notebook for a master (a new object; the master is not changed).
 * @param {import("./grading/types.mjs").Notebook} master
 * @param {string} [where]
 * @returns {import("./grading/types.mjs").Notebook}
 */
export function releaseNotebook(master, where = "notebook") {
  masterParts(master, where); // throws on inconsistent markup
  const nb = structuredClone(master);
  for (const cell of nb.cells) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
      const id = dlbb(cell).exercise;
      if (id !== undefined) cell.source = sourceLines(stubSolution(cellSource(cell), /** @type {string} */ (id), where));
    }
    if (cell.attachments && cell.cell_type === "code") delete cell.attachments;
  }
  return nb;
}

/**
 * Parses a notebook file's text; returns { nb } or { status, reason } for invalid JSON / not a notebook.
 * @param {string} text
 * @returns {import("./grading/types.mjs").Parsed}
 */
export function parseNotebook(text) {
  let nb;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    return { status: "invalid-json", reason: `not valid JSON: ${/** @type {Error} */ (e).message}` };
  }
  if (nb === null || typeof nb !== "object" || Array.isArray(nb) || !Array.isArray(nb.cells)) {
    return { status: "not-a-notebook", reason: "valid JSON, but not a notebook (no list of cells)" };
  }
  if (nb.nbformat !== 4) return { status: "not-a-notebook", reason: `nbformat ${JSON.stringify(nb.nbformat)} is not supported (need 4)` };
  if (nb.cells.some((/** @type {unknown} */ c) => c === null || typeof c !== "object" || Array.isArray(c))) return { status: "not-a-notebook", reason: "a cell is not an object" };
  return { nb };
}

/**
 * A master's former lesson ids (`metadata.dlbb.aliases`), checked.
 * @param {import("./grading/types.mjs").Notebook} nb
 * @param {string} where
 * @returns {string[]}
 */
export function lessonAliases(nb, where) {
  const a = dlbb(nb).aliases;
  if (a === undefined) return [];
  if (!Array.isArray(a) || !a.every((x) => typeof x === "string" && x)) throw new Error(`${where}: dlbb.aliases must be a list of former lesson ids`);
  return a;
}

/**
 * Master notebooks in `dir`: Map lesson id → { path, nb, parts, aliases }. A notebook that fails to
 * parse, or a lesson id (or former id in dlbb.aliases) used twice, throws.
 * @param {string} dir
 * @returns {import("./grading/types.mjs").Masters}
 */
export function loadMasters(dir) {
  /** @type {import("./grading/types.mjs").Masters} */
  const masters = new Map();
  /** @type {Map<unknown, string>} */
  const owner = new Map();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort()) {
    const path = join(dir, f);
    const nb = /** @type {import("./grading/types.mjs").Notebook} */ (JSON.parse(readFileSync(path, "utf8")));
    const lesson = dlbb(nb).lesson;
    if (!lesson) continue;
    const aliases = lessonAliases(nb, path);
    for (const id of [lesson, ...aliases]) {
      if (owner.has(id)) throw new Error(`${path}: lesson id "${id}" is also used by ${owner.get(id)}`);
      owner.set(id, path);
    }
    masters.set(/** @type {string} */ (lesson), { path, nb, parts: masterParts(nb, path), aliases });
  }
  return masters;
}

/**
 * The master for a lesson id: its own id, or one of its former ids (dlbb.aliases).
 * @param {import("./grading/types.mjs").Masters} masters
 * @param {string} id
 * @returns {import("./grading/types.mjs").Master | undefined}
 */
export function masterFor(masters, id) {
  return masters.get(id) ?? [...masters.values()].find((m) => (m.aliases ?? []).includes(id));
}
