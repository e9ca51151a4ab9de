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
import { masterParts, notebookJson, releaseNotebook } from "./notebook.mjs";

// the notebook helpers used to live here; tests and fixtures still import them from this module
export * from "./notebook.mjs";

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
