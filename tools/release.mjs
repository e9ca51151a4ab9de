// @ts-check
// `npm run release [-- --out DIR] [--lang en|ko] [LESSON…]`
// Writes the student kit to DIR (default release/, git-ignored): a folder the teacher hands out,
// which runs with the README's two commands (`npm install && npm start`). It holds
//   - notebooks/: the student notebooks: every exercise's solution (the lines between
//     `// BEGIN SOLUTION` and `// END SOLUTION`) replaced by a `// YOUR CODE HERE` stub that throws
//     "not implemented yet: NAME", all outputs cleared, everything else as in the master. With
//     `--lang ko` they are the Korean edition's (from notebooks/ko/), in the kit's notebooks/ko/:
//     a kernel started there speaks Korean (jupyter/.../launch.cjs), the notebooks' links to
//     ../../assets/ hold, and the kit's `npm start` opens that folder; the README is in Korean;
//   - assets/: the diagrams the notebooks show;
//   - src/: the library, with every hidden case taken out of the exercises (stripHiddenCases), so
//     neither a hidden case nor its expected value is in the kit; the build checks that none is left;
//   - package.json (the scripts and packages students need), tsconfig.build.json, the kernel
//     (jupyter/), the start-up tools (setup, start, jupyter) and a README for students.
// No master, no test, no grader. The teacher's checkout is only read.
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { EDITIONS, lessonFiles } from "./editions.mjs";
import { root } from "./jupyter.mjs";
import { cellSource, dlbb, masterParts, notebookJson, releaseNotebook } from "./notebook.mjs";

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

/** The editions a kit can hold: English (notebooks/), Korean (notebooks/ko/). */
export const KIT_LANGUAGES = EDITIONS;

/**
 * `--lang`'s value, checked.
 * @param {string | undefined} value
 * @returns {"en" | "ko"}
 */
export function kitLanguage(value) {
  const hit = KIT_LANGUAGES.find((l) => l === value);
  if (!hit) throw new Error(`--lang must be ${KIT_LANGUAGES.map((l) => `"${l}"`).join(" or ")} (the editions of the lessons), got ${value === undefined ? "nothing" : `"${value}"`}`);
  return hit;
}

/**
 * Where a kit's notebooks go, and where the masters of an edition are: notebooks/, or notebooks/ko/.
 * @param {"en" | "ko"} lang
 * @returns {string}
 */
export function notebookFolder(lang) {
  return lang === "en" ? "notebooks" : join("notebooks", lang);
}

const KIT_TOOLS = ["setup.mjs", "start.mjs", "jupyter.mjs"];
const KIT_SCRIPTS = ["prepare", "build", "start"];
const KIT_DEV = ["typescript", "wabt", "@types/node"];

/**
 * package.json of the kit: the library's packages, the scripts students use, nothing for tests or
 * grading. Its `npm start` opens the kit's edition (`start.mjs --lang`: notebooks/ or notebooks/ko/;
 * a kit has no index of both editions, which `npm start` opens in the teacher's checkout).
 * @param {{ scripts?: Record<string, string>, devDependencies?: Record<string, string>, [key: string]: unknown }} pkg
 * @param {"en" | "ko"} [lang]
 */
export function kitPackageJson(pkg, lang = "en") {
  /** @type {{ scripts: Record<string, string>, devDependencies: Record<string, string>, [key: string]: unknown }} */
  const out = { ...pkg, scripts: {}, devDependencies: {} };
  for (const k of KIT_SCRIPTS) if (pkg.scripts?.[k]) out.scripts[k] = pkg.scripts[k];
  for (const k of KIT_DEV) if (pkg.devDependencies?.[k]) out.devDependencies[k] = pkg.devDependencies[k];
  if (out.scripts.start && !/--lang\b/.test(out.scripts.start)) out.scripts.start += ` --lang ${lang}`;
  return out;
}

/**
 * A section of the teacher's README ("## title" up to the next "## "), or "".
 * @param {string} title
 * @returns {string}
 */
function readmeSection(title) {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const at = readme.indexOf(`## ${title}\n`);
  if (at < 0) return "";
  const next = readme.indexOf("\n## ", at + 3);
  return readme.slice(at, next < 0 ? undefined : next).trim() + "\n";
}

/** The students' part of the README in Korean, unless the teacher's README has it (under the same heading). */
const KOREAN_EXERCISES = `## 연습 문제: 학생용

각 레슨 노트북(선생님께 받은 사본)의 끝에는 연습 문제가 있습니다. 연습 문제마다 풀이 셀이 하나 있고, 그 아래에
확인 셀이 있습니다.

1. 노트북의 셀을 위에서부터 실행합니다(적어도 설정 셀, 즉 import 셀과 \`await ready()\`는 실행해야 합니다).
2. 풀이 셀에서 \`// YOUR CODE HERE\`와 \`throw new Error("not implemented yet: …")\` 줄을 여러분의 코드로
   바꿉니다. 함수 이름과 매개변수는 그대로 둡니다.
3. 풀이 셀을 실행한 다음 확인 셀을 실행합니다. 확인 셀은 케이스마다 ✓(통과) 또는 ✗(실패), 기댓값과 여러분의
   함수가 반환한 값, 힌트를 보여 주고, 마지막에 점수를 보여 줍니다. 예: \`공개된 케이스 3개 중 2개 통과, 1개 실패 —
   1.33 / 2점\`. 아직 풀지 않은 연습 문제에는 "아직 구현하지 않았습니다"가 표시되고, 확인에 실패해도 그 아래 셀은
   그대로 실행됩니다. 코드를 고쳐 가며 두 셀을 몇 번이든 다시 실행해도 됩니다.
4. 노트북을 저장하고 \`.ipynb\` 파일을 제출합니다.

선생님이 채점할 때 기준:
- **풀이 셀만** 채점합니다. 풀이 셀은 노트북의 설정 셀과 함께 하나씩 따로 실행되므로, 연습 문제에 필요한 모든
  것(도우미 함수까지)을 그 풀이 셀에 넣으세요. 다른 셀, 출력, 확인 셀을 고친 내용은 무시됩니다.
- 채점기는 메타데이터로 풀이 셀을 찾습니다. 풀이 셀을 지우고 새 셀에 답을 쓰지 마세요. 이미 그랬다면 코드를
  원래 셀에 다시 붙여 넣으세요(또는 새 사본을 받으세요).
- 채점할 때는 자가 확인에서 보이지 않는 **숨겨진 케이스**도 실행합니다. 눈에 보이는 케이스만이 아니라 어떤
  입력에도 맞는 함수를 작성하세요.
- 셀마다 60초가 주어집니다. 무한 루프, 비정상 종료, \`process.exit()\`, 3GB가 넘는 메모리 사용은 그 연습 문제의
  점수를 잃게 합니다(다른 연습 문제는 그대로 채점합니다).
- 여러분의 코드는 샌드박스에서 실행됩니다: 네트워크를 쓸 수 없고, 자기 폴더에만 쓸 수 있으며, 코드가 시작한
  프로세스는 모두 함께 끝납니다.
- 채점 결과 페이지도 한국어로 작성됩니다(제출한 노트북의 메타데이터 \`dlbb.lang\`이 \`"ko"\`이면).
`;

/**
 * The kit's README, in the kit's language.
 * @param {string[]} lessons
 * @param {"en" | "ko"} [lang]
 * @returns {string}
 */
function studentReadme(lessons, lang = "en") {
  if (lang === "ko") {
    return `# dl-building-blocks — 학생용 레슨 (한국어판)

신경망의 수학적 구성 요소를 다루는 TypeScript 레슨입니다. Jupyter 노트북으로 실행합니다.

\`\`\`sh
npm install && npm start     # Jupyter에서 레슨을 엽니다 (토큰이 들어 있는 URL을 출력합니다)
\`\`\`

레슨은 \`notebooks/ko/\`에 있습니다. \`npm start\`가 이 폴더를 열고, 이 폴더에서 시작한 커널은 확인 결과와 힌트를
한국어로 보여 줍니다. VS Code 같은 다른 프런트엔드에서 열 때도 노트북을 \`notebooks/ko/\`에 둔 채로 여세요.

요구 사항: npm이 포함된 Node.js 20 이상, Jupyter Notebook과 nbclient(Python). 빠져 있으면 \`npm start\`가 설치
방법을 알려 줍니다. 레슨: ${lessons.join(", ")}.

${readmeSection("연습 문제: 학생용") || KOREAN_EXERCISES}`;
  }
  return `# dl-building-blocks — lessons for students

TypeScript lessons on the mathematical building blocks of neural networks, run as Jupyter notebooks.

\`\`\`sh
npm install && npm start     # opens the lessons in Jupyter (prints the URL with its token)
\`\`\`

Requirements: Node.js ≥ 20 with npm, and Jupyter Notebook + nbclient (Python): \`npm start\` says how to
install them when they are missing. The lessons: ${lessons.join(", ")}.

${readmeSection("Exercises: for students")}`;
}

/**
 * The files under the teacher's assets/ that a notebook's markdown links to (images), as paths
 * relative to the repository: the kit gets them at the same place, so the links hold there too.
 * @param {import("./grading/types.mjs").Notebook} nb
 * @param {string} folder the notebook's folder in the repository
 * @returns {string[]}
 */
export function linkedAssets(nb, folder) {
  const assets = join(root, "assets");
  /** @type {Set<string>} */
  const found = new Set();
  for (const cell of nb.cells ?? []) {
    if (cell?.cell_type !== "markdown") continue;
    for (const m of cellSource(cell).matchAll(/(?:\]\(|src=["'])([^)"'\s]+)/g)) {
      if (/^[a-z]+:/i.test(m[1]) || m[1].startsWith("/")) continue;
      let link = m[1].split("#")[0];
      try {
        link = decodeURI(link);
      } catch {
        /* not %-encoded after all */
      }
      const target = resolve(folder, link);
      if (target.startsWith(assets + sep) && existsSync(target)) found.add(relative(root, target));
    }
  }
  return [...found].sort();
}

/**
 * Writes the student kit for `chosen` master files (in `from`) to `out`; returns { problems }.
 * `lang` is the kit's edition: "ko" takes Korean masters (metadata dlbb.lang "ko", e.g. from
 * notebooks/ko/) and writes them to the kit's notebooks/ko/, with a Korean README.
 * @param {string} from
 * @param {string[]} chosen
 * @param {string} out
 * @param {(line: string) => void} [log]
 * @param {{ lang?: "en" | "ko" }} [options]
 * @returns {{ problems: string[], removed: number }}
 */
export function writeKit(from, chosen, out, log = console.log, options = {}) {
  const lang = kitLanguage(options.lang ?? "en");
  if (existsSync(out)) {
    const st = lstatSync(out);
    if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`${out} is not a folder; choose another --out`);
    const entries = readdirSync(out);
    if (entries.length && !entries.includes(".dlbb-kit")) throw new Error(`${out} is not empty and is not a kit written before; choose another --out`);
    rmSync(out, { recursive: true, force: true });
  }
  const kitNotebooks = join(out, notebookFolder(lang));
  mkdirSync(kitNotebooks, { recursive: true });
  writeFileSync(join(out, ".dlbb-kit"), "a student kit written by `npm run release`; `npm run release` replaces this folder\n");
  /** @type {string[]} */
  const problems = [];
  /** @type {Set<string>} */
  const assets = new Set();
  for (const f of chosen) {
    const path = join(from, f);
    const nb = /** @type {import("./grading/types.mjs").Notebook} */ (JSON.parse(readFileSync(path, "utf8")));
    const student = releaseNotebook(nb, path);
    const parts = masterParts(nb, path);
    problems.push(...crossCheck(parts, path));
    const edition = dlbb(nb).lang ?? "en";
    if (edition !== lang) problems.push(`${path}: its metadata dlbb.lang is ${JSON.stringify(edition)}, but this is the ${lang === "ko" ? "Korean" : "English"} kit (--lang ${lang})`);
    writeFileSync(join(kitNotebooks, f), notebookJson(student));
    for (const a of linkedAssets(nb, dirname(path))) assets.add(a);
    const exs = parts.exercises.map((e) => `${e.id} (${e.points})`).join(", ");
    log(`released ${f}${exs ? `: exercises ${exs}` : ""}`);
  }
  for (const a of assets) {
    mkdirSync(dirname(join(out, a)), { recursive: true });
    cpSync(join(root, a), join(out, a));
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
  writeFileSync(join(out, "package.json"), JSON.stringify(kitPackageJson(pkg, lang), null, 2) + "\n");
  writeFileSync(join(out, "README.md"), studentReadme(chosen.map((f) => f.replace(/\.ipynb$/, "")), lang));
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
  let masters = join(root, "notebooks");
  /** @type {"en" | "ko"} */
  let lang = "en";
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = resolve(argv[++i]);
    else if (argv[i] === "--masters") masters = resolve(argv[++i]);
    else if (argv[i] === "--lang") lang = kitLanguage(argv[++i]);
    else if (argv[i].startsWith("--lang=")) lang = kitLanguage(argv[i].slice("--lang=".length));
    else if (argv[i].startsWith("-")) throw new Error(`unknown option ${argv[i]} (use --out DIR, --masters DIR, --lang en|ko, LESSON…)`);
    else names.push(argv[i]);
  }
  // the English masters are in MASTERS (notebooks/), the Korean edition's in MASTERS/ko
  const from = lang === "en" ? masters : join(masters, lang);
  if (!existsSync(from)) throw new Error(`${from}: no such folder (the ${lang === "ko" ? "Korean" : "English"} masters)`);
  if (resolve(out) === resolve(from) || resolve(out) === resolve(masters) || resolve(out) === root || root.startsWith(resolve(out) + "/")) {
    throw new Error("--out must be a folder of its own: the release never overwrites the masters or the checkout");
  }
  const files = lessonFiles(from); // the lessons, not notebooks/index.ipynb
  if (files.length === 0) throw new Error(`no notebooks in ${from}`);
  const chosen = names.length === 0 ? files : names.map((n) => {
    const stem = basename(n).replace(/\.ipynb$/, "");
    const hit = files.find((f) => f === `${stem}.ipynb`) ?? files.find((f) => f.startsWith(stem));
    if (!hit) throw new Error(`no notebook matches "${n}" in ${from}`);
    return hit;
  });
  const { problems } = writeKit(from, chosen, out, console.log, { lang });
  problems.push(...verifyKit(out));
  if (problems.length) {
    console.error(problems.join("\n"));
    return 1;
  }
  console.log(`the ${lang === "ko" ? "Korean " : ""}student kit (${chosen.length} notebook(s)) is in ${out}: hand out that folder; students run \`npm install && npm start\` in it`);
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
