// `npm run release [-- --out DIR] [LESSON…]`
// Writes the student version of the lesson notebooks to DIR (default release/, git-ignored): every
// exercise's solution (the lines between `// BEGIN SOLUTION` and `// END SOLUTION`) is replaced by a
// `// YOUR CODE HERE` stub that throws "not implemented yet: NAME", all outputs are cleared, and
// everything else — cell ids, exercise metadata, setup and check cells — stays as in the master.
// Also exports the notebook helpers tools/grade.mjs uses (reading masters, roles of cells).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { root } from "./jupyter.mjs";

export const BEGIN = "// BEGIN SOLUTION";
export const END = "// END SOLUTION";

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function cellSource(cell) {
  const s = cell?.source;
  if (Array.isArray(s)) return s.map((x) => (typeof x === "string" ? x : "")).join("");
  return typeof s === "string" ? s : "";
}

/** nbformat's on-disk form of a source: lines, each but the last ending in "\n". */
export function sourceLines(text) {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

/** Serializes a notebook as Jupyter does (indent 1, trailing newline). */
export function notebookJson(nb) {
  return JSON.stringify(nb, null, 1) + "\n";
}

/** The `dlbb` metadata of a cell or notebook, or {} . */
export function dlbb(x) {
  const m = x?.metadata?.dlbb;
  return m !== null && typeof m === "object" && !Array.isArray(m) ? m : {};
}

/**
 * Splits a master notebook into its exercise parts; throws an Error naming `where` and the cell when
 * the markup is inconsistent (every exercise needs one solution cell with points and ≥1 check cell).
 * Returns { lesson, setup: [source…], exercises: [{ id, points, solution, checks: [source…] }] }.
 */
export function masterParts(nb, where) {
  const lesson = dlbb(nb).lesson;
  if (lesson !== undefined && (typeof lesson !== "string" || !lesson)) throw new Error(`${where}: dlbb.lesson must be a non-empty string`);
  if (!Array.isArray(nb.cells)) throw new Error(`${where}: not a notebook (no cells)`);
  const setup = [];
  const exercises = new Map();
  const checks = new Map();
  nb.cells.forEach((cell, i) => {
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
      exercises.set(m.exercise, { id: m.exercise, points: m.points, solution: src });
    } else if (src.includes(BEGIN) || src.includes(END)) {
      throw new Error(`${at}: has solution markers but no dlbb.exercise metadata (its solution would be released)`);
    }
    if (m.check !== undefined) {
      if (!checks.has(m.check)) checks.set(m.check, []);
      checks.get(m.check).push(src);
    }
  });
  for (const id of checks.keys()) if (!exercises.has(id)) throw new Error(`${where}: a check cell for "${id}", which has no solution cell`);
  for (const ex of exercises.values()) {
    if (!checks.has(ex.id)) throw new Error(`${where}: exercise "${ex.id}" has no check cell ({"dlbb": {"check": "${ex.id}"}})`);
    ex.checks = checks.get(ex.id);
  }
  if (exercises.size > 0 && !lesson) throw new Error(`${where}: has exercises but its metadata has no dlbb.lesson id`);
  return { lesson, setup, exercises: [...exercises.values()] };
}

/**
 * The student's version of a solution cell's source: each `// BEGIN SOLUTION` … `// END SOLUTION`
 * block becomes `// YOUR CODE HERE` + a throw naming the function the block is in.
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

/** The student notebook for a master (a new object; the master is not changed). */
export function releaseNotebook(master, where = "notebook") {
  masterParts(master, where); // throws on inconsistent markup
  const nb = structuredClone(master);
  for (const cell of nb.cells) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
      const id = dlbb(cell).exercise;
      if (id !== undefined) cell.source = sourceLines(stubSolution(cellSource(cell), id, where));
    }
    if (cell.attachments && cell.cell_type === "code") delete cell.attachments;
  }
  return nb;
}

/**
 * Checks a master's exercises against the kit's cases (dist/exercises): every id must be defined
 * there with the same points. Returns a list of problems (empty when consistent).
 */
export function crossCheck(parts, where) {
  const kit = loadKitExercises();
  const problems = [];
  for (const ex of parts.exercises) {
    const def = kit.findExercise(ex.id);
    if (!def) problems.push(`${where}: exercise "${ex.id}" has no cases in src/exercises (defineExercise)`);
    else if (def.points !== ex.points) problems.push(`${where}: exercise "${ex.id}" has ${ex.points} points in the notebook but ${def.points} in src/exercises`);
    else if (def.lesson !== parts.lesson) problems.push(`${where}: exercise "${ex.id}" belongs to lesson "${def.lesson}" in src/exercises, not "${parts.lesson}"`);
  }
  return problems;
}

/** The compiled kit's exercise registry, from its teachers' entry point (needs `npm run build`). */
export function loadKitExercises() {
  const file = join(root, "dist", "teacher.js");
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return createRequire(import.meta.url)(file);
}

/** Master notebooks in `dir`: Map lesson id → { path, nb, parts }. Notebooks that fail to parse throw. */
export function loadMasters(dir) {
  const masters = new Map();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort()) {
    const path = join(dir, f);
    const nb = JSON.parse(readFileSync(path, "utf8"));
    const lesson = dlbb(nb).lesson;
    if (!lesson) continue;
    if (masters.has(lesson)) throw new Error(`${path}: lesson id "${lesson}" is also used by ${masters.get(lesson).path}`);
    masters.set(lesson, { path, nb, parts: masterParts(nb, path) });
  }
  return masters;
}

async function main(argv) {
  let out = join(root, "release");
  let from = join(root, "notebooks");
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = resolve(argv[++i]);
    else if (argv[i] === "--masters") from = resolve(argv[++i]);
    else if (argv[i].startsWith("-")) throw new Error(`unknown option ${argv[i]} (use --out DIR, --masters DIR, LESSON…)`);
    else names.push(argv[i]);
  }
  if (resolve(out) === resolve(from)) throw new Error("--out must differ from the masters' folder: the release never overwrites the masters");
  const files = readdirSync(from).filter((f) => f.endsWith(".ipynb")).sort();
  const chosen = names.length === 0 ? files : names.map((n) => {
    const stem = basename(n).replace(/\.ipynb$/, "");
    const hit = files.find((f) => f === `${stem}.ipynb`) ?? files.find((f) => f.startsWith(stem));
    if (!hit) throw new Error(`no notebook matches "${n}" in ${from}`);
    return hit;
  });
  mkdirSync(out, { recursive: true });
  const problems = [];
  for (const f of chosen) {
    const path = join(from, f);
    const nb = JSON.parse(readFileSync(path, "utf8"));
    const student = releaseNotebook(nb, path);
    const parts = masterParts(nb, path);
    problems.push(...crossCheck(parts, path));
    writeFileSync(join(out, f), notebookJson(student));
    const exs = parts.exercises.map((e) => `${e.id} (${e.points})`).join(", ");
    console.log(`released ${f}${exs ? `: exercises ${exs}` : ""}`);
  }
  if (problems.length) {
    console.error(problems.join("\n"));
    return 1;
  }
  console.log(`${chosen.length} student notebook(s) in ${out}`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e.message);
      process.exit(2);
    },
  );
}
