// @ts-check
// `npm run lessons [-- NAME…] [--lang en|ko] [--out DIR] [--timeout SECONDS]`
// Executes lesson notebooks headless into an output folder (default build/lessons, build/lessons/ko for
// the Korean edition; the committed notebooks are never written), and prints per notebook: ok/failed and
// seconds. Exits 1 if any failed. Each runs in its own folder (notebooks/ or notebooks/ko/), as Jupyter
// runs it, so the Korean edition's kernel speaks Korean.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { editionDir, lessonFiles } from "./editions.mjs";
import { ensureJupyter, jupyterEnv, root } from "./jupyter.mjs";

export const notebooksDir = join(root, "notebooks");

/**
 * One notebook's outcome, as tools/nbrun.py prints it.
 * @typedef {{ notebook: string, output: string, ok: boolean, seconds: number, cell: number | null, error: string | null, rerun?: RerunReport }} NotebookResult
 */

/**
 * With `rerun`: the cells re-run after the top-to-bottom run (tools/rerun.py), and memory after each round.
 * @typedef {{ chosen: Array<{ index: number, seconds: number, added: number, trains: boolean }>, limitSeconds: number, rounds: Array<{ round: number, rss: number, tensorBytes: number | null }>, error: string | null }} RerunReport
 */

/**
 * Lesson notebooks (NN-name.ipynb) of an edition in order; `names` may be "01", "01-first-look", or file names.
 * @param {string[]} [names]
 * @param {string} [lang]
 */
export function selectNotebooks(names = [], lang = "en") {
  const dir = editionDir(lang);
  const all = lessonFiles(dir);
  if (names.length === 0) return all.map((f) => join(dir, f));
  return names.map((name) => {
    const n = basename(name).replace(/\.ipynb$/, "");
    const hit = all.find((f) => f === `${n}.ipynb`) ?? all.filter((f) => f.startsWith(n))[0];
    if (!hit) throw new Error(`no lesson notebook matches "${name}" in ${dir} (have: ${all.join(", ")})`);
    return join(dir, hit);
  });
}

/**
 * Runs notebooks with tools/nbrun.py; resolves to its per-notebook results
 * ({ notebook, output, ok, seconds, cell, error }). `onResult` is called as each one finishes.
 * Each notebook's kernel starts in `cwd`, by default the notebook's own folder. With `rerun`, each
 * notebook that ran cleanly then has its biggest cells re-run `rounds` times in the same kernel.
 * @param {string[]} paths
 * @param {{ out: string, timeout?: number, cwd?: string, onResult?: (result: NotebookResult) => void, rerun?: { rounds: number, top: number, maxSeconds: number, fraction: number } }} options
 * @returns {Promise<NotebookResult[]>}
 */
export function runNotebooks(paths, { out, timeout = 600, cwd, onResult = () => {}, rerun }) {
  const python = ensureJupyter();
  const args = [
    join(root, "tools", "nbrun.py"), "--out", out, "--timeout", String(timeout), ...(cwd ? ["--cwd", cwd] : []),
    ...(rerun ? ["--rerun", [rerun.rounds, rerun.top, rerun.maxSeconds, rerun.fraction].join(",")] : []),
    ...paths,
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, args, { env: jupyterEnv(), stdio: ["ignore", "pipe", "pipe"] });
    /** @type {NotebookResult[]} */
    const results = [];
    let buffered = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.startsWith("{")) continue;
        const result = JSON.parse(line);
        results.push(result);
        onResult(result);
      }
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (results.length === paths.length) resolvePromise(results);
      else reject(new Error(`nbrun.py exited with ${code} after ${results.length}/${paths.length} notebooks:\n${stderr.slice(-4000)}`));
    });
  });
}

/** @param {NotebookResult} result */
export function describe(result) {
  const name = basename(result.notebook);
  if (result.ok) return `ok      ${name}  ${result.seconds.toFixed(1)} s`;
  const where = result.cell == null ? "" : ` (cell ${result.cell})`;
  const firstLines = String(result.error).split("\n").slice(0, 8).join("\n          ");
  return `FAILED  ${name}  ${result.seconds.toFixed(1)} s${where}\n          ${firstLines}`;
}

/** @param {string[]} argv */
async function main(argv) {
  const names = [];
  /** @type {string | undefined} */
  let out;
  let timeout = 600;
  let lang = "en";
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = resolve(argv[++i]);
    else if (argv[i] === "--lang") lang = argv[++i] ?? "";
    else if (argv[i] === "--timeout") timeout = Number(argv[++i]);
    else if (argv[i].startsWith("-")) throw new Error(`unknown option ${argv[i]}`);
    else names.push(argv[i]);
  }
  if (!Number.isFinite(timeout) || timeout <= 0) throw new Error("--timeout needs a positive number of seconds");
  const paths = selectNotebooks(names, lang);
  out ??= lang === "en" ? join(root, "build", "lessons") : join(root, "build", "lessons", lang);
  if (resolve(out) === notebooksDir || resolve(out).startsWith(notebooksDir + sep)) throw new Error("--out must not be in notebooks/: executed copies never overwrite the lessons");
  if (!existsSync(join(root, "dist", "index.js"))) throw new Error("dist/ is missing: run `npm install` first");
  console.log(`Executing ${paths.length} notebook(s) into ${out} (per-cell timeout ${timeout} s)`);
  const results = await runNotebooks(paths, { out, timeout, onResult: (r) => console.log(describe(r)) });
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed ? `${failed} of ${results.length} failed` : `all ${results.length} ok`);
  return failed ? 1 : 0;
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
