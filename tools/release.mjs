// @ts-check
// `npm run release [-- --out DIR] [LESSON…]`
// Writes the student kit to DIR (default release/, git-ignored): a folder the teacher hands out,
// which runs with the README's two commands (`npm install && npm start`). It holds
//   - notebooks/: the student notebooks: every exercise's solution (the lines between
//     `// BEGIN SOLUTION` and `// END SOLUTION`) replaced by a `// YOUR CODE HERE` stub that throws
//     "not implemented yet: NAME", all outputs cleared, everything else as in the master;
//   - src/: the library, with every hidden case taken out of the exercises (stripHiddenCases), so
//     neither a hidden case nor its expected value is in the kit; the build checks that none is left;
//   - package.json (the scripts and packages students need), tsconfig.build.json, the kernel
//     (jupyter/), the start-up tools (setup, start, jupyter) and a README for students.
// No master, no test, no grader. The teacher's checkout is only read.
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
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
 * @param {{ lesson: string | undefined, exercises: { id: string, points: number }[] }} parts
 * @param {string} where
 * @returns {string[]}
 */
export function crossCheck(parts, where) {
  const kit = loadKitExercises();
  /** @type {string[]} */
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

/**
 * A lesson's cases file without its hidden cases: every element of an array literal that is a call
 * with `{ hidden: true }` among its arguments (or a call of a local helper named `hidden`) is removed
 * with its comma, and so is the declaration of that helper (`const hidden = (…) => call(…, { hidden: true })`).
 * Returns { text, removed }. The kit's build then checks that no hidden case is left.
 * @param {string} text
 * @param {string} [file]
 * @returns {{ text: string, removed: number }}
 */
export function stripHiddenCases(text, file = "lesson.ts") {
  const ts = /** @type {typeof import("typescript")} */ (createRequire(join(root, "package.json"))("typescript"));
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
  /** @param {import("typescript").Node} n */
  const isHiddenTrue = (n) =>
    ts.isObjectLiteralExpression(n) &&
    n.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText(sf) === "hidden" && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
  /** @param {import("typescript").Node} n */
  const hiddenCall = (n) =>
    ts.isCallExpression(n) && (n.arguments.some(isHiddenTrue) || (ts.isIdentifier(n.expression) && n.expression.text === "hidden"));
  /** @type {[number, number][]} */
  const cuts = [];
  /** @param {import("typescript").Node} n */
  const visit = (n) => {
    /** @param {import("typescript").Node} m @returns {boolean} */
    const holdsHiddenCase = (m) => isHiddenTrue(m) || (ts.forEachChild(m, (c) => (holdsHiddenCase(c) ? true : undefined)) ?? false);
    const isHelper = (/** @type {import("typescript").VariableDeclaration} */ d) =>
      ts.isIdentifier(d.name) && d.name.text === "hidden" && d.initializer !== undefined && holdsHiddenCase(d.initializer);
    if (ts.isVariableStatement(n) && n.declarationList.declarations.some(isHelper)) {
      cuts.push([n.getFullStart(), n.end]);
      return;
    }
    if (ts.isArrayLiteralExpression(n)) {
      const els = n.elements;
      els.forEach((el, i) => {
        if (!hiddenCall(el)) return;
        const start = el.getFullStart();
        const end = i + 1 < els.length ? els[i + 1].getFullStart() : els.hasTrailingComma ? els.end : el.end;
        cuts.push([start, i + 1 < els.length || els.hasTrailingComma ? end : el.end]);
        if (i + 1 === els.length && !els.hasTrailingComma && i > 0) {
          // the last element: take the comma before it instead
          const prevEnd = els[i - 1].end;
          cuts[cuts.length - 1] = [prevEnd, el.end];
        }
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  let out = text;
  for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) out = out.slice(0, a) + out.slice(b);
  return { text: out, removed: cuts.length };
}

const KIT_TOOLS = ["setup.mjs", "start.mjs", "jupyter.mjs"];
const KIT_SCRIPTS = ["prepare", "build", "start"];
const KIT_DEV = ["typescript", "wabt", "@types/node"];

/**
 * package.json of the kit: the library's packages, the scripts students use, nothing for tests or grading.
 * @param {{ scripts?: Record<string, string>, devDependencies?: Record<string, string>, [key: string]: unknown }} pkg
 */
export function kitPackageJson(pkg) {
  /** @type {{ scripts: Record<string, string>, devDependencies: Record<string, string>, [key: string]: unknown }} */
  const out = { ...pkg, scripts: {}, devDependencies: {} };
  for (const k of KIT_SCRIPTS) if (pkg.scripts?.[k]) out.scripts[k] = pkg.scripts[k];
  for (const k of KIT_DEV) if (pkg.devDependencies?.[k]) out.devDependencies[k] = pkg.devDependencies[k];
  return out;
}

/**
 * @param {string[]} lessons
 * @returns {string}
 */
function studentReadme(lessons) {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  /** @param {string} title */
  const section = (title) => {
    const at = readme.indexOf(`## ${title}`);
    if (at < 0) return "";
    const next = readme.indexOf("\n## ", at + 3);
    return readme.slice(at, next < 0 ? undefined : next).trim() + "\n";
  };
  return `# dl-building-blocks — lessons for students

TypeScript lessons on the mathematical building blocks of neural networks, run as Jupyter notebooks.

\`\`\`sh
npm install && npm start     # opens the lessons in Jupyter (prints the URL with its token)
\`\`\`

Requirements: Node.js ≥ 20 with npm, and Jupyter Notebook + nbclient (Python): \`npm start\` says how to
install them when they are missing. The lessons: ${lessons.join(", ")}.

${section("Exercises: for students")}`;
}

/**
 * Writes the student kit for `chosen` master files (in `from`) to `out`; returns { problems }.
 * @param {string} from
 * @param {string[]} chosen
 * @param {string} out
 * @param {(line: string) => void} [log]
 * @returns {{ problems: string[], removed: number }}
 */
export function writeKit(from, chosen, out, log = console.log) {
  if (existsSync(out)) {
    const st = lstatSync(out);
    if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`${out} is not a folder; choose another --out`);
    const entries = readdirSync(out);
    if (entries.length && !entries.includes(".dlbb-kit")) throw new Error(`${out} is not empty and is not a kit written before; choose another --out`);
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(join(out, "notebooks"), { recursive: true });
  writeFileSync(join(out, ".dlbb-kit"), "a student kit written by `npm run release`; `npm run release` replaces this folder\n");
  /** @type {string[]} */
  const problems = [];
  for (const f of chosen) {
    const path = join(from, f);
    const nb = /** @type {import("./grading/types.mjs").Notebook} */ (JSON.parse(readFileSync(path, "utf8")));
    const student = releaseNotebook(nb, path);
    const parts = masterParts(nb, path);
    problems.push(...crossCheck(parts, path));
    writeFileSync(join(out, "notebooks", f), notebookJson(student));
    const exs = parts.exercises.map((e) => `${e.id} (${e.points})`).join(", ");
    log(`released ${f}${exs ? `: exercises ${exs}` : ""}`);
  }
  // the library without hidden cases
  cpSync(join(root, "src"), join(out, "src"), { recursive: true });
  let removed = 0;
  const exDir = join(out, "src", "exercises");
  for (const f of readdirSync(exDir).filter((f) => f.endsWith(".ts"))) {
    const p = join(exDir, f);
    const r = stripHiddenCases(readFileSync(p, "utf8"), p);
    removed += r.removed;
    if (r.removed) writeFileSync(p, r.text);
  }
  for (const f of ["tsconfig.build.json"]) cpSync(join(root, f), join(out, f));
  cpSync(join(root, "jupyter"), join(out, "jupyter"), { recursive: true });
  mkdirSync(join(out, "tools"));
  for (const f of KIT_TOOLS) cpSync(join(root, "tools", f), join(out, "tools", f));
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  writeFileSync(join(out, "package.json"), JSON.stringify(kitPackageJson(pkg), null, 2) + "\n");
  writeFileSync(join(out, "README.md"), studentReadme(chosen.map((f) => f.replace(/\.ipynb$/, ""))));
  log(`took ${removed} hidden case(s) out of src/exercises`);
  return { problems, removed };
}

/**
 * Compiles the kit's src/ (stripped) to a scratch folder and checks its exercise registry: no hidden
 * case left, the same visible cases as the teacher's. Returns a list of problems.
 * @param {string} out
 * @returns {string[]}
 */
export function verifyKit(out) {
  const req = createRequire(join(root, "package.json"));
  const tsc = req.resolve("typescript/bin/tsc");
  const scratch = join(out, ".build-check");
  const modules = join(out, "node_modules");
  const borrowed = !existsSync(modules);
  if (borrowed) symlinkSync(join(root, "node_modules"), modules, "dir"); // the teacher's packages, for this check only
  try {
    return verifyBuilt(out, tsc, scratch);
  } finally {
    if (borrowed) rmSync(modules, { force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * @param {string} out
 * @param {string} tsc
 * @param {string} scratch
 * @returns {string[]}
 */
function verifyBuilt(out, tsc, scratch) {
  const r = spawnSync(process.execPath, [tsc, "-p", join(out, "tsconfig.build.json"), "--outDir", scratch, "--declaration", "false"], { encoding: "utf8" });
  if (r.status !== 0) return [`the kit's src/ does not compile after taking the hidden cases out:\n${r.stdout}${r.stderr}`];
  /** @type {string[]} */
  const problems = [];
  try {
    const kitEx = spawnSync(process.execPath, ["-e", `const k = require(${JSON.stringify(join(scratch, "exercises", "index.js"))}); console.log(JSON.stringify(k.allExercises().map((e) => [e.id, e.cases.filter((c) => c.hidden).length, e.cases.filter((c) => !c.hidden).map((c) => c.name)])))`], { encoding: "utf8", cwd: out });
    if (kitEx.status !== 0) return [`the kit's exercises do not load: ${kitEx.stderr}`];
    const teacher = loadKitExercises();
    for (const [id, hidden, visible] of JSON.parse(/** @type {string} */ (kitEx.stdout.trim().split("\n").pop()))) {
      if (hidden > 0) problems.push(`exercise "${id}": ${hidden} hidden case(s) are still in the kit (write them as call(…, { hidden: true }) elements of the cases array)`);
      const mine = teacher.findExercise(id)?.cases.filter((/** @type {{ hidden?: boolean }} */ c) => !c.hidden).map((/** @type {{ name: string }} */ c) => c.name);
      if (JSON.stringify(mine) !== JSON.stringify(visible)) problems.push(`exercise "${id}": the kit's visible cases differ from the teacher's`);
    }
  } catch (e) {
    problems.push(`the kit's exercises could not be compared with the teacher's: ${/** @type {Error | undefined} */ (e)?.message ?? e}`);
  }
  return problems;
}

/**
 * @param {string[]} argv
 * @returns {Promise<number>}
 */
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
  if (resolve(out) === resolve(from) || resolve(out) === root || root.startsWith(resolve(out) + "/")) {
    throw new Error("--out must be a folder of its own: the release never overwrites the masters or the checkout");
  }
  const files = readdirSync(from).filter((f) => f.endsWith(".ipynb")).sort();
  const chosen = names.length === 0 ? files : names.map((n) => {
    const stem = basename(n).replace(/\.ipynb$/, "");
    const hit = files.find((f) => f === `${stem}.ipynb`) ?? files.find((f) => f.startsWith(stem));
    if (!hit) throw new Error(`no notebook matches "${n}" in ${from}`);
    return hit;
  });
  const { problems } = writeKit(from, chosen, out);
  problems.push(...verifyKit(out));
  if (problems.length) {
    console.error(problems.join("\n"));
    return 1;
  }
  console.log(`the student kit (${chosen.length} notebook(s)) is in ${out}: hand out that folder; students run \`npm install && npm start\` in it`);
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
