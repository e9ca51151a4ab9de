// `npm run grade -- [--out DIR] [--jobs N] [--timeout SECONDS] [--notebook-timeout SECONDS]
//                   [--masters DIR] [--keep] FILE_OR_DIR…`
// Grades submitted lesson notebooks. For each submission only the student's solution cells (matched
// by exercise id) are grafted into a fresh copy of the master (setup cells + solution + the master's
// check cells), run headless in a kernel of its own (tools/grade.py) in a temporary folder with a
// minimal environment; the points come from the results `check` appends to the grader's own file.
// Writes DIR/grades.csv, DIR/grades.json and DIR/feedback/STUDENT.html (default DIR: grades/), and
// prints a summary table. Submission files are only read (each is copied first).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureJupyter, jupyterEnv, root } from "./jupyter.mjs";
import { cellSource, crossCheck, dlbb, loadKitExercises, loadMasters, notebookJson, sourceLines } from "./release.mjs";

export const DEFAULTS = { out: join(root, "grades"), timeout: 60, notebookTimeout: 600, masters: join(root, "notebooks") };
const STATUS_ORDER = ["error", "timeout", "kernel-died", "missing", "no-result", "skipped", "grader-error"];

/** Submitted .ipynb files among `args` (files, or folders searched recursively, skipping hidden ones). */
export function collectSubmissions(args) {
  const files = [];
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

/** Parses a submission; returns { nb } or { status, reason } for invalid JSON / not a notebook. */
export function parseSubmission(text) {
  let nb;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    return { status: "invalid-json", reason: `not valid JSON: ${e.message}` };
  }
  if (nb === null || typeof nb !== "object" || Array.isArray(nb) || !Array.isArray(nb.cells)) {
    return { status: "not-a-notebook", reason: "valid JSON, but not a notebook (no list of cells)" };
  }
  if (nb.nbformat !== 4) return { status: "not-a-notebook", reason: `nbformat ${JSON.stringify(nb.nbformat)} is not supported (need 4)` };
  if (nb.cells.some((c) => c === null || typeof c !== "object")) return { status: "not-a-notebook", reason: "a cell is not an object" };
  return { nb };
}

/** The lesson of a submission: its dlbb.lesson metadata, else the master whose exercise ids its cells carry. */
export function identifyLesson(nb, masters) {
  const lesson = dlbb(nb).lesson;
  if (typeof lesson === "string" && lesson) {
    if (masters.has(lesson)) return { lesson };
    return { status: "unknown-lesson", reason: `lesson "${lesson}" has no master notebook (known: ${[...masters.keys()].join(", ") || "none"})` };
  }
  const ids = new Set(nb.cells.map((c) => dlbb(c).exercise).filter((x) => typeof x === "string"));
  const hits = [...masters.values()].filter((m) => m.parts.exercises.some((e) => ids.has(e.id)));
  if (hits.length === 1) return { lesson: hits[0].parts.lesson };
  return { status: "unknown-lesson", reason: "the notebook names no lesson (metadata dlbb.lesson) and its cells match no single master" };
}

/** The student's name: metadata dlbb.student, else the file name (the folder's, if the file kept the lesson's name). */
export function studentName(nb, file, masters) {
  const meta = nb ? dlbb(nb).student : undefined;
  if (typeof meta === "string" && meta.trim()) return meta.trim();
  const stem = basename(file).replace(/\.ipynb$/, "");
  const lessonFiles = new Set([...masters.values()].map((m) => basename(m.path).replace(/\.ipynb$/, "")));
  return lessonFiles.has(stem) ? basename(dirname(file)) : stem;
}

/**
 * The notebook that is executed for a submission: the master's setup cells, then for each exercise
 * the student's solution cell (found by exercise id; the last one if there are several) and the
 * master's check cell(s). Everything else of the submission is ignored. Returns { nb, exercises }
 * where exercises[i] = { id, points, solution (source or null), note, checks }.
 */
export function graft(master, submission) {
  const exercises = master.parts.exercises.map((ex) => {
    const mine = submission.cells.filter((c) => c.cell_type === "code" && dlbb(c).exercise === ex.id);
    const solution = mine.length ? cellSource(mine[mine.length - 1]) : null;
    const note =
      mine.length === 0
        ? `no solution cell for "${ex.id}" in the submission (the cell's metadata {"dlbb": {"exercise": "${ex.id}"}} must stay)`
        : mine.length > 1
          ? `${mine.length} cells carry exercise id "${ex.id}"; the last one was graded`
          : null;
    return { id: ex.id, points: ex.points, solution, note, checks: ex.checks };
  });
  const cell = (id, source, meta) => ({ cell_type: "code", execution_count: null, id, metadata: { dlbb: meta }, outputs: [], source: sourceLines(source) });
  const cells = master.parts.setup.map((s, i) => cell(`setup-${i + 1}`, s, { role: "setup" }));
  for (const ex of exercises) {
    if (ex.solution !== null) cells.push(cell(`${ex.id}-solution`, ex.solution, { exercise: ex.id, points: ex.points }));
    ex.checks.forEach((s, i) => cells.push(cell(`${ex.id}-check${i ? "-" + (i + 1) : ""}`, s, { check: ex.id })));
  }
  const nb = { cells, metadata: { ...structuredClone(master.nb.metadata) }, nbformat: 4, nbformat_minor: 5 };
  return { nb, exercises };
}

/** Points for one exercise from the check's report: the master's points × passed / total. */
export function pointsFor(points, result) {
  if (!result || !(result.total > 0) || !Number.isFinite(result.passed)) return 0;
  const passed = Math.max(0, Math.min(result.passed, result.total));
  return Math.round((100 * points * passed) / result.total) / 100;
}

/** The environment a submission's kernel gets: nothing of the teacher's but a PATH to node. */
export function kernelEnv(work, gradeFile, token) {
  return {
    PATH: [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: work,
    TMPDIR: work,
    LANG: "C.UTF-8",
    NODE_OPTIONS: "--max-old-space-size=2048",
    DLBB_GRADE_FILE: gradeFile,
    DLBB_GRADE_TOKEN: token,
  };
}

/**
 * A kernelspec (in `dir`/kernels) for grading with the kit's kernel `name`: the same launcher, with
 * V8's background threads off, so each kernel keeps to one core and the parallel jobs do not steal
 * each other's (about 10% less CPU per submission). Returns its name, or `name` if it has no spec.
 */
export function gradingKernelspec(dir, name) {
  const specDir = join(root, "jupyter", "kernels", name);
  if (!existsSync(join(specDir, "kernel.json"))) return name;
  const spec = JSON.parse(readFileSync(join(specDir, "kernel.json"), "utf8"));
  const argv = spec.argv.map((a) => a.replaceAll("{resource_dir}", specDir));
  if (basename(argv[0]) === "node") argv.splice(1, 0, "--single-threaded");
  const graded = `${name}-grading`;
  mkdirSync(join(dir, "kernels", graded), { recursive: true });
  writeFileSync(join(dir, "kernels", graded, "kernel.json"), JSON.stringify({ ...spec, argv, display_name: `${spec.display_name} (grading)` }, null, 1));
  return graded;
}

/** A pool of tools/grade.py processes, each running one submission at a time. */
class Pool {
  constructor(size, python, watchdogMs, jupyterPath) {
    this.size = size;
    this.python = python;
    this.watchdogMs = watchdogMs;
    this.jupyterPath = jupyterPath;
  }

  spawnWorker() {
    const env = jupyterEnv({ JUPYTER_PATH: this.jupyterPath });
    const child = spawn(this.python, [join(root, "tools", "grade.py")], { env, stdio: ["pipe", "pipe", "pipe"] });
    const worker = { child, pending: null, buffered: "", stderr: "", dead: false };
    child.stdout.on("data", (chunk) => {
      worker.buffered += chunk;
      let nl;
      while ((nl = worker.buffered.indexOf("\n")) >= 0) {
        const line = worker.buffered.slice(0, nl);
        worker.buffered = worker.buffered.slice(nl + 1);
        if (!line.startsWith("{") || !worker.pending) continue;
        const { done } = worker.pending;
        worker.pending = null;
        try {
          done(JSON.parse(line));
        } catch (e) {
          done({ error: `grader: unreadable worker answer: ${e.message}`, exercises: {} });
        }
      }
    });
    child.stderr.on("data", (chunk) => (worker.stderr = (worker.stderr + chunk).slice(-4000)));
    child.stdin.on("error", () => {});
    const die = (why) => {
      worker.dead = true;
      if (worker.pending) {
        const { done } = worker.pending;
        worker.pending = null;
        done({ error: `grader: the worker stopped (${why}): ${worker.stderr.trim().slice(-1000)}`, exercises: {} });
      }
    };
    child.on("error", (e) => die(e.message));
    child.on("exit", (code, signal) => die(signal ?? `exit code ${code}`));
    return worker;
  }

  runOne(worker, job) {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        worker.child.kill("SIGTERM");
        setTimeout(() => worker.child.kill("SIGKILL"), 5000).unref();
      }, this.watchdogMs);
      worker.pending = {
        done: (r) => {
          clearTimeout(timer);
          done(r);
        },
      };
      worker.child.stdin.write(JSON.stringify(job) + "\n");
    });
  }

  /** Runs every job; `onResult(job, result)` as each finishes. */
  async run(jobs, onResult) {
    const queue = [...jobs];
    const lane = async () => {
      let worker = null;
      while (queue.length) {
        const job = queue.shift();
        if (!worker || worker.dead) worker = this.spawnWorker();
        onResult(job, await this.runOne(worker, job));
      }
      if (worker && !worker.dead) {
        worker.child.stdin.end();
        await new Promise((r) => (worker.dead ? r() : worker.child.once("exit", r)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.size, jobs.length) }, lane));
  }
}

function submissionStatus(exercises) {
  const bad = new Set(Object.values(exercises).map((e) => e.status).filter((s) => s !== "checked"));
  return bad.size === 0 ? "ok" : STATUS_ORDER.filter((s) => bad.has(s)).join("+");
}

/**
 * Grades `files`; resolves to { records, seconds, out }. Never throws for a bad submission: each gets
 * a record with a status and a reason. Options: out, jobs, timeout, notebookTimeout, masters, keep, log.
 */
export async function grade(files, options = {}) {
  const o = { ...DEFAULTS, jobs: cpus().length, keep: false, log: console.log, ...options };
  const started = Date.now();
  const masters = loadMasters(o.masters);
  if (masters.size === 0) throw new Error(`no master notebooks with a dlbb.lesson id in ${o.masters}`);
  const kit = loadKitExercises();
  const problems = [...masters.values()].flatMap((m) => crossCheck(m.parts, m.path));
  if (problems.length) throw new Error(`the masters and src/exercises disagree:\n${problems.join("\n")}`);
  const temp = mkdtempSync(join(tmpdir(), "dlbb-grade-"));
  const onInterrupt = () => {
    // the workers got the same Ctrl-C and kill their kernels; remove the copies, then stop
    rmSync(temp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", onInterrupt);
  const records = [];
  const jobs = [];
  const names = new Map();
  const specs = new Map();
  const kernelName = (name) => {
    if (!specs.has(name)) specs.set(name, gradingKernelspec(temp, name));
    return specs.get(name);
  };
  files.forEach((file, i) => {
    const dir = join(temp, `s${String(i + 1).padStart(3, "0")}`);
    const work = join(dir, "work");
    mkdirSync(work, { recursive: true });
    const copy = join(dir, "submission.ipynb");
    copyFileSync(file, copy);
    const parsed = parseSubmission(readFileSync(copy, "utf8"));
    const record = { student: studentName(parsed.nb, file, masters), file, lesson: "", status: "", reason: null, total: 0, max: 0, seconds: 0, exercises: {} };
    const n = (names.get(record.student) ?? 0) + 1;
    names.set(record.student, n);
    if (n > 1) record.student += ` (${n})`;
    records.push(record);
    if (!parsed.nb) return Object.assign(record, { status: parsed.status, reason: parsed.reason });
    const who = identifyLesson(parsed.nb, masters);
    if (!who.lesson) return Object.assign(record, { status: who.status, reason: who.reason });
    const master = masters.get(who.lesson);
    record.lesson = who.lesson;
    record.max = master.parts.exercises.reduce((s, e) => s + e.points, 0);
    const { nb, exercises } = graft(master, parsed.nb);
    writeFileSync(join(dir, "graded.ipynb"), notebookJson(nb));
    symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");
    const gradeFile = join(dir, `results-${randomBytes(8).toString("hex")}.jsonl`);
    writeFileSync(gradeFile, "");
    const token = randomBytes(16).toString("hex");
    const cells = (role) => nb.cells.filter((c) => dlbb(c)[role] !== undefined);
    jobs.push({
      record,
      master,
      notes: Object.fromEntries(exercises.map((e) => [e.id, e.note])),
      job: {
        id: i,
        kernel: kernelName(nb.metadata.kernelspec?.name ?? "dl-building-blocks"),
        cwd: work,
        env: kernelEnv(work, gradeFile, token),
        grade_file: gradeFile,
        token,
        timeout: o.timeout,
        notebook_timeout: o.notebookTimeout,
        setup: cells("role").map(cellSource),
        exercises: exercises.map((e) => ({
          id: e.id,
          solution: e.solution,
          note: e.note,
          checks: cells("check").filter((c) => dlbb(c).check === e.id).map(cellSource),
        })),
      },
    });
  });
  for (const r of records) if (r.status) o.log(`${r.student}: ${r.status} — ${r.reason}`);
  if (jobs.length) {
    o.log(`Grading ${jobs.length} notebook(s) with ${Math.min(o.jobs, jobs.length)} kernel(s) in parallel (per-cell timeout ${o.timeout} s) …`);
    const pool = new Pool(o.jobs, ensureJupyter(), (o.notebookTimeout + 120) * 1000, [temp, join(root, "jupyter")].join(":"));
    const byId = new Map(jobs.map((j) => [j.job.id, j]));
    await pool.run(
      jobs.map((j) => j.job),
      (job, result) => {
        const { record, master, notes } = byId.get(job.id);
        record.seconds = result.seconds ?? 0;
        if (result.restarts) record.restarts = result.restarts;
        for (const ex of master.parts.exercises) {
          const r = result.exercises?.[ex.id] ?? { status: "grader-error", reason: result.error ?? "no result from the grader", result: null };
          const reason = [...new Set([r.reason, notes[ex.id]].filter(Boolean))].join("; ") || null;
          let res = r.result && r.result.exercise === ex.id ? r.result : null;
          let status = res ? "checked" : r.status === "checked" ? "no-result" : r.status;
          let why = reason;
          const cases = kit.findExercise(ex.id)?.cases.length;
          if (res && res.total !== cases) {
            // the kit's registry was tampered with in the kernel (cases removed or added)
            [res, status, why] = [null, "no-result", `the check ran ${res.total} cases, but the exercise has ${cases}`];
          }
          const points = res ? pointsFor(ex.points, res) : 0;
          record.exercises[ex.id] = { points, max: ex.points, status, reason: why, result: res };
        }
        record.total = Math.round(100 * Object.values(record.exercises).reduce((s, e) => s + e.points, 0)) / 100;
        record.status = result.error && Object.values(record.exercises).every((e) => e.status === "grader-error") ? "grader-error" : submissionStatus(record.exercises);
        if (record.status === "grader-error") record.reason = result.error;
        o.log(`${record.student}: ${record.total} / ${record.max}  ${record.status}  (${record.seconds.toFixed(1)} s)`);
      },
    );
  }
  const seconds = (Date.now() - started) / 1000;
  writeOutputs(records, o.out, kit, { seconds, timeout: o.timeout, notebookTimeout: o.notebookTimeout });
  process.removeListener("SIGINT", onInterrupt);
  if (o.keep) o.log(`kept the graded copies in ${temp}`);
  else rmSync(temp, { recursive: true, force: true });
  return { records, seconds, out: o.out, temp: o.keep ? temp : null };
}

function csvField(v) {
  const s = String(v ?? "");
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function exerciseColumns(records) {
  const ids = [];
  for (const r of records) for (const id of Object.keys(r.exercises)) if (!ids.includes(id)) ids.push(id);
  return ids;
}

export function gradesCsv(records) {
  const ids = exerciseColumns(records);
  const rows = [["student", "lesson", ...ids, "total", "max", "status"]];
  for (const r of records) rows.push([r.student, r.lesson, ...ids.map((id) => r.exercises[id]?.points ?? ""), r.total, r.max, r.status]);
  return rows.map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** One student's feedback page: per exercise, the check's own HTML (what the self-check shows) or the reason. */
export function feedbackHtml(record, kit) {
  const parts = [];
  if (record.reason && Object.keys(record.exercises).length === 0) parts.push(`<p class="bad">${esc(record.reason)}</p>`);
  for (const [id, e] of Object.entries(record.exercises)) {
    parts.push(`<section><h2>${esc(id)} — ${e.points} / ${e.max} point${e.max === 1 ? "" : "s"}</h2>`);
    if (e.reason) parts.push(`<p class="${e.result ? "note" : "bad"}">${esc(e.reason)}</p>`);
    if (e.result) parts.push(kit.renderHtml(e.result));
    parts.push(`</section>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(record.student)} — ${esc(record.lesson || "submission")}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
td{padding:2px 8px;vertical-align:top}.bad{color:#cf222e;white-space:pre-wrap}.note{color:#57606a;white-space:pre-wrap}</style></head>
<body><h1>${esc(record.student)}</h1>
<p>Lesson <b>${esc(record.lesson || "?")}</b> · ${record.total} / ${record.max} points · status <b>${esc(record.status)}</b></p>
${parts.join("\n")}
</body></html>
`;
}

function fileSafe(name) {
  return name.replace(/[^\p{L}\p{N}._ -]+/gu, "_").replace(/^\.+/, "_").slice(0, 100) || "student";
}

function writeOutputs(records, out, kit, info) {
  mkdirSync(join(out, "feedback"), { recursive: true });
  writeFileSync(join(out, "grades.csv"), gradesCsv(records));
  const used = new Set();
  for (const r of records) {
    let name = fileSafe(r.student);
    while (used.has(name.toLowerCase())) name += "_";
    used.add(name.toLowerCase());
    r.feedback = join(out, "feedback", `${name}.html`);
    writeFileSync(r.feedback, feedbackHtml(r, kit));
  }
  writeFileSync(join(out, "grades.json"), JSON.stringify({ ...info, submissions: records }, null, 2) + "\n");
}

/** The console summary: one row per submission. */
export function summaryTable(records) {
  const ids = exerciseColumns(records);
  const rows = [["student", "lesson", ...ids, "total", "status"]];
  for (const r of records) rows.push([r.student, r.lesson, ...ids.map((id) => String(r.exercises[id]?.points ?? "")), `${r.total} / ${r.max}`, r.status]);
  const widths = rows[0].map((_, c) => Math.min(40, Math.max(...rows.map((row) => String(row[c]).length))));
  return rows.map((row) => row.map((v, c) => String(v).slice(0, 40).padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

function parseArgs(argv) {
  const o = { ...DEFAULTS, jobs: cpus().length, keep: false, paths: [] };
  const num = (flag, v, min) => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < min) throw new Error(`${flag} needs a number ≥ ${min}, got ${v}`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") o.out = resolve(argv[++i]);
    else if (a === "--jobs") o.jobs = Math.floor(num(a, argv[++i], 1));
    else if (a === "--timeout") o.timeout = num(a, argv[++i], 1);
    else if (a === "--notebook-timeout") o.notebookTimeout = num(a, argv[++i], 1);
    else if (a === "--masters") o.masters = resolve(argv[++i]);
    else if (a === "--keep") o.keep = true;
    else if (a === "--help" || a === "-h") o.help = true;
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
    else o.paths.push(a);
  }
  if (o.paths.length === 0 && !o.help) throw new Error(USAGE);
  return o;
}

const USAGE = `usage: npm run grade -- [--out DIR] [--jobs N] [--timeout SECONDS] [--notebook-timeout SECONDS]
                         [--masters DIR] [--keep] FILE_OR_DIR…
  --out DIR                 where grades.csv, grades.json and feedback/ go (default: grades/)
  --jobs N                  kernels in parallel (default: the number of cores)
  --timeout SECONDS         per cell (default: ${DEFAULTS.timeout})
  --notebook-timeout SECONDS  per submission (default: ${DEFAULTS.notebookTimeout})
  --masters DIR             the master notebooks (default: notebooks/)
  --keep                    keep the temporary folders with the graded copies`;

async function main(argv) {
  const o = parseArgs(argv);
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  const files = collectSubmissions(o.paths);
  if (files.length === 0) throw new Error(`no .ipynb files in ${o.paths.join(", ")}`);
  const { records, seconds, out } = await grade(files, o);
  console.log("\n" + summaryTable(records));
  console.log(`\n${records.length} submission(s) graded in ${seconds.toFixed(1)} s → ${join(out, "grades.csv")}, grades.json, feedback/`);
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
