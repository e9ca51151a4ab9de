// @ts-check
// `npm run grade -- [--out DIR] [--jobs N] [--timeout SECONDS] [--notebook-timeout SECONDS]
//                   [--masters DIR] [--memory MB] [--keep] [--no-sandbox] FILE_OR_DIR…`
// Grades submitted lesson notebooks. For each submission only the student's solution cells (matched
// by exercise id) are grafted into a fresh copy of the master (grading/graft.mjs), run in a kernel of
// its own inside a sandbox (grading/sandbox.mjs) by a worker (grade.py, driven by
// grading/kernel-pool.mjs). The kernel only reports what the student's functions return; the
// comparison with the expected values happens here, in the grader's process (grading/judge.mjs).
// Writes DIR/grades.csv, DIR/grades.json and DIR/feedback/STUDENT.html (grading/reports.mjs; default
// DIR: grades/), and prints a summary table. Submission files are only read (each is copied first).
//
// Either edition grades (grading/messages.mjs): a submission's language is its metadata dlbb.lang
// ("ko", else English). It is grafted onto the master of its edition (MASTERS/ko/NN-name.ipynb for
// Korean: the same exercise ids, points, setup and check cells), its kernel runs with DLBB_LANG set
// to it, and its feedback page is written in it; the teacher's grades.csv and grades.json stay in
// English (grades.json names each submission's `lang`).
import { chmodSync, lchownSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureJupyter, root } from "./jupyter.mjs";
import { cellSource, dlbb, loadMasters, notebookJson, parseNotebook } from "./notebook.mjs";
import { crossCheck, loadKitExercises } from "./release.mjs";
import { collectSubmissions, graft, identifyLesson, studentName } from "./grading/graft.mjs";
import { judgeExercise, pointsFor, submissionStatus, validateAnswer } from "./grading/judge.mjs";
import { submissionLanguage } from "./grading/messages.mjs";
import { Pool } from "./grading/kernel-pool.mjs";
import { feedbackHtml, gradesCsv, summaryTable, writeOutputs } from "./grading/reports.mjs";
import { digest, LIMITS, laneUser, linkFarm, othersCanReach, sandboxArgv, sandboxProblem, snapshotKit } from "./grading/sandbox.mjs";

export { collectSubmissions, graft, identifyLesson, studentName, pointsFor, feedbackHtml, gradesCsv, summaryTable };
export { parseNotebook as parseSubmission };

export const DEFAULTS = { out: join(root, "grades"), timeout: 60, notebookTimeout: 600, masters: join(root, "notebooks") };
export const NO_SANDBOX_WARNING =
  "WARNING: graded WITHOUT a sandbox (--no-sandbox): student code ran with your user's rights, could read and write your files, use the network and leave processes behind.";

/**
 * What grade() runs with (parseArgs fills them in from the command line).
 * @typedef {{ out: string, timeout: number, notebookTimeout: number, masters: string, jobs: number, keep: boolean, noSandbox: boolean, memoryMb: number, log: (line: string) => void }} GradeOptions
 */

/**
 * The environment a submission's kernel gets: nothing of the teacher's; DLBB_LANG is the language
 * of the submission's edition (what its kernel says, e.g. the messages its functions' errors get).
 * @param {string} work
 * @param {"en" | "ko"} [lang]
 * @returns {Record<string, string>}
 */
export function kernelEnv(work, lang = "en") {
  const nodeDir = dirname(process.execPath);
  return {
    PATH: [...new Set([nodeDir, "/usr/bin", "/bin"])].join(":"),
    HOME: work,
    TMPDIR: work,
    LANG: "C.UTF-8",
    NODE_OPTIONS: `--max-old-space-size=${LIMITS.heapMb}`,
    DLBB_GRADE: "probes",
    DLBB_LANG: lang,
  };
}

/**
 * The masters of both editions: English in `dir`, Korean in `dir`/ko (if there). Throws when the
 * masters disagree with src/exercises, or a Korean master with its English one in what grading
 * uses (exercise ids and points, setup and check cells): both editions must grade alike.
 * @param {string} dir
 * @returns {import("./grading/types.mjs").Editions}
 */
export function loadEditions(dir) {
  const en = loadMasters(dir);
  if (en.size === 0) throw new Error(`no master notebooks with a dlbb.lesson id in ${dir}`);
  const koDir = join(dir, "ko");
  const ko = existsSync(koDir) ? loadMasters(koDir) : new Map();
  const problems = [...en.values(), ...ko.values()].flatMap((m) => crossCheck(m.parts, m.path));
  for (const [lesson, k] of ko) {
    const e = en.get(lesson);
    if (!e) {
      problems.push(`${k.path}: lesson "${lesson}" has no English master in ${dir}`);
      continue;
    }
    /** @param {import("./grading/types.mjs").MasterParts} p */
    const graded = (p) => JSON.stringify([p.setup, p.exercises.map((x) => [x.id, x.points, x.checks])]);
    if (graded(k.parts) !== graded(e.parts)) problems.push(`${k.path}: its exercises, points, setup or check cells differ from ${e.path} (run \`npm run editions\`)`);
  }
  if (problems.length) throw new Error(`the masters and src/exercises disagree:\n${problems.join("\n")}`);
  return { en, ko };
}

/**
 * The command of the kit's kernel in snapshot `kit`, with V8's background threads off (one core per kernel).
 * @param {string} kit
 * @returns {string[]}
 */
export function kernelArgv(kit) {
  return [process.execPath, "--single-threaded", join(kit, "jupyter", "kernels", "dl-building-blocks", "launch.cjs"), "{connection_file}"];
}

/**
 * @param {string} p
 * @param {{ uid: number, gid: number } | null} user
 */
function chownTree(p, user) {
  if (!user) return;
  lchownSync(p, user.uid, user.gid);
  if (lstatSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(join(p, e), user);
}

/** @param {string} p */
function unlockTree(p) {
  try {
    const st = lstatSync(p);
    if (st.isDirectory() && !st.isSymbolicLink()) {
      chmodSync(p, 0o755);
      for (const e of readdirSync(p)) unlockTree(join(p, e));
    }
  } catch {
    /* gone already */
  }
}

/**
 * Grades `files`; resolves to { records, seconds, out, warnings }. Never throws for a bad submission:
 * each gets a record with a status and a reason. Options: out, jobs, timeout, notebookTimeout,
 * masters, keep, noSandbox, log.
 * @param {string[]} files
 * @param {Partial<GradeOptions>} [options]
 * @returns {Promise<{ records: import("./grading/types.mjs").GradeRecord[], seconds: number, out: string, temp: string | null, warnings: string[] }>}
 */
export async function grade(files, options = {}) {
  /** @type {GradeOptions} */
  const o = { ...DEFAULTS, jobs: cpus().length, keep: false, noSandbox: false, memoryMb: LIMITS.memoryMb, log: console.log, ...options };
  const started = Date.now();
  /** @type {string[]} */
  const warnings = [];
  // Everything trusted is read now, before any student code runs: the masters, the teacher's cases.
  const editions = loadEditions(o.masters);
  const masters = editions.en;
  const mastersDigest = digest(o.masters);
  const kit = loadKitExercises();
  /** Lessons with Korean submissions but no Korean master (warned once each). */
  const noKorean = new Set();
  const temp = mkdtempSync(join(tmpdir(), "dlbb-grade-"));
  chmodSync(temp, 0o711); // each lane's user may pass through to its own folders, list nothing
  const cleanup = () => {
    unlockTree(join(temp, "kit"));
    unlockTree(join(temp, "node_modules"));
    rmSync(temp, { recursive: true, force: true });
  };
  const onInterrupt = () => {
    cleanup(); // the workers got the same Ctrl-C and kill their kernels
    process.exit(130);
  };
  process.once("SIGINT", onInterrupt);
  try {
    // the read-only snapshot of the kit that every kernel sees
    const kitDir = join(temp, "kit");
    snapshotKit(root, kitDir);
    let nodeModules = join(root, "node_modules");
    if (o.noSandbox) {
      unlockTree(kitDir);
      rmSync(join(kitDir, "node_modules"), { recursive: true });
      symlinkSync(nodeModules, join(kitDir, "node_modules"), "dir");
      warnings.push(NO_SANDBOX_WARNING);
      o.log(NO_SANDBOX_WARNING);
    } else {
      // the lanes' users cannot pass through a private home folder to the checkout's node_modules
      if (laneUser(0) && !othersCanReach(nodeModules)) nodeModules = linkFarm(nodeModules, join(temp, "node_modules"));
      const probe = join(temp, "probe");
      mkdirSync(join(probe, "work"), { recursive: true });
      mkdirSync(join(probe, "sock"));
      chownTree(probe, laneUser(0));
      const why = sandboxProblem(kitDir, nodeModules, join(probe, "work"), join(probe, "sock"));
      if (why) throw new Error(`grade: no sandbox for student code (${why}); install bubblewrap, or pass --no-sandbox to grade without one (only for code you trust)`);
      rmSync(probe, { recursive: true, force: true });
    }
    const kitDigest = digest(kitDir);

    /** @type {import("./grading/types.mjs").GradeRecord[]} */
    const records = [];
    /** @type {{ record: import("./grading/types.mjs").GradeRecord, master: import("./grading/types.mjs").Master, notes: Record<string, string | null>, job: import("./grading/types.mjs").Job }[]} */
    const jobs = [];
    files.forEach((file, i) => {
      const dir = join(temp, `s${String(i + 1).padStart(3, "0")}`);
      const work = join(dir, "work");
      const sock = join(dir, "sock");
      mkdirSync(work, { recursive: true });
      mkdirSync(sock);
      chmodSync(dir, 0o711);
      chmodSync(work, 0o700);
      chmodSync(sock, 0o700);
      const copy = join(dir, "submission.ipynb");
      /** @type {import("./grading/types.mjs").GradeRecord} */
      const record = { student: "", file, lesson: "", status: "", reason: null, total: 0, max: 0, seconds: 0, exercises: {}, flags: [], lang: "en" };
      records.push(record);
      /** @type {import("./grading/types.mjs").Parsed} */
      let parsed;
      try {
        copyFileSync(file, copy);
        parsed = parseNotebook(readFileSync(copy, "utf8"));
      } catch (e) {
        parsed = { status: "not-a-notebook", reason: `could not be read: ${/** @type {Error | undefined} */ (e)?.message ?? e}` };
      }
      record.student = studentName(parsed.nb, file, masters);
      record.named = typeof dlbb(parsed.nb).student === "string" && /** @type {string} */ (dlbb(parsed.nb).student).trim() ? "metadata" : "file";
      if (!parsed.nb) return Object.assign(record, { status: parsed.status, reason: parsed.reason });
      const language = submissionLanguage(parsed.nb);
      record.lang = language.lang;
      if (language.note) record.flags.push(language.note);
      const who = identifyLesson(parsed.nb, masters);
      if (!who.lesson) return Object.assign(record, { status: who.status, reason: who.reason });
      // the master of the submission's edition (same exercises, setup and check cells: loadEditions)
      let master = /** @type {import("./grading/types.mjs").Master} */ (masters.get(who.lesson));
      if (record.lang === "ko") {
        const korean = editions.ko.get(who.lesson);
        if (korean) master = korean;
        else noKorean.add(who.lesson);
      }
      record.lesson = who.lesson;
      if (who.as && who.as !== who.lesson) record.flags.push(`handed in as lesson "${who.as}", graded with its master "${who.lesson}"`);
      record.max = master.parts.exercises.reduce((s, e) => s + e.points, 0);
      const { nb, exercises } = graft(master, parsed.nb);
      writeFileSync(join(dir, "graded.ipynb"), notebookJson(nb));
      symlinkSync(join(kitDir, "node_modules"), join(work, "node_modules"), "dir");
      /** @param {string} role */
      const cells = (role) => nb.cells.filter((/** @type {import("./grading/types.mjs").Cell} */ c) => dlbb(c)[role] !== undefined);
      jobs.push({
        record,
        master,
        notes: Object.fromEntries(exercises.map((e) => [e.id, e.note])),
        job: {
          id: i,
          cwd: work,
          sockdir: sock,
          log: join(dir, "kernel.log"),
          env: kernelEnv(work, record.lang),
          timeout: o.timeout,
          notebook_timeout: o.notebookTimeout,
          memory_mb: o.memoryMb,
          setup: cells("role").map(cellSource),
          exercises: exercises.map((e) => ({
            id: e.id,
            solution: e.solution,
            note: e.note,
            checks: cells("check").filter((/** @type {import("./grading/types.mjs").Cell} */ c) => dlbb(c).check === e.id).map(cellSource),
          })),
        },
      });
    });
    flagNameCollisions(records);
    for (const lesson of noKorean) {
      warnings.push(`no Korean master of lesson "${lesson}" in ${join(o.masters, "ko")}: its Korean submissions were grafted onto the English master (the same code cells); their feedback is in Korean`);
    }
    for (const r of records) if (r.status) o.log(`${r.student}: ${r.status} — ${r.reason}`);

    if (jobs.length) {
      o.log(`Grading ${jobs.length} notebook(s) with ${Math.min(o.jobs, jobs.length)} kernel(s) in parallel (per-cell timeout ${o.timeout} s, ${o.noSandbox ? "NO sandbox" : "sandboxed"}) …`);
      /** @type {(job: import("./grading/types.mjs").Job, lane: number) => import("./grading/types.mjs").Job} */
      const prepare = (job, lane) => {
        const user = o.noSandbox ? null : laneUser(lane);
        chownTree(job.cwd, user);
        chownTree(job.sockdir, user);
        const argv = kernelArgv(kitDir);
        return { ...job, argv: o.noSandbox ? argv : sandboxArgv({ kit: kitDir, nodeModules, work: job.cwd, sock: job.sockdir, user, kernelArgv: argv }) };
      };
      const pool = new Pool(o.jobs, ensureJupyter(), (o.notebookTimeout + 120) * 1000, prepare);
      const byId = new Map(jobs.map((j) => [j.job.id, j]));
      await pool.run(
        jobs.map((j) => j.job),
        (job, /** @type {import("./grading/types.mjs").WorkerReply} */ raw) => {
          const { record, master, notes } = /** @type {(typeof jobs)[number]} */ (byId.get(job.id));
          try {
            const ids = master.parts.exercises.map((e) => e.id);
            /** @type {import("./grading/types.mjs").Answer} */
            const answer = raw?.died || raw?.unreadable ? { seconds: 0, restarts: 0, error: raw.died ?? raw.unreadable, exercises: {} } : validateAnswer(raw, job.id, ids);
            record.seconds = answer.seconds;
            if (answer.restarts) record.restarts = answer.restarts;
            for (const ex of master.parts.exercises) record.exercises[ex.id] = judgeExercise(kit, ex, answer.exercises[ex.id], notes[ex.id], answer.error, record.lang);
            record.total = Math.round(100 * Object.values(record.exercises).reduce((s, e) => s + e.points, 0)) / 100;
            record.status = answer.error && Object.values(record.exercises).every((e) => e.status === "grader-error") ? "grader-error" : submissionStatus(record.exercises);
            if (record.status === "grader-error") record.reason = answer.error;
          } catch (e) {
            Object.assign(record, { status: "grader-error", reason: `grader: ${/** @type {Error | undefined} */ (e)?.message ?? e}`, total: 0 });
          }
          o.log(`${record.student}: ${record.total} / ${record.max}  ${record.status}  (${Number(record.seconds).toFixed(1)} s)`);
        },
      );
    }
    // the snapshot and the masters must be as they were at the start
    if (digest(kitDir) !== kitDigest) warnings.push("INTEGRITY: the kit snapshot changed during grading; do not trust these grades");
    if (digest(o.masters) !== mastersDigest) warnings.push("INTEGRITY: the master notebooks changed during grading (by something else than the grader)");
    for (const w of warnings.slice(o.noSandbox ? 1 : 0)) o.log(w);
    const seconds = (Date.now() - started) / 1000;
    const writeProblems = writeOutputs(records, o.out, kit, { seconds, timeout: o.timeout, notebookTimeout: o.notebookTimeout, sandbox: !o.noSandbox, warnings });
    for (const p of writeProblems) o.log(`could not write ${p}`);
    if (o.noSandbox) o.log(NO_SANDBOX_WARNING);
    return { records, seconds, out: o.out, temp: o.keep ? temp : null, warnings };
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    if (o.keep) o.log(`kept the graded copies in ${temp}`);
    else cleanup();
  }
}

/**
 * Two submissions under one name: both keep a row (the second gets " (2)"), and both are flagged.
 * @param {import("./grading/types.mjs").GradeRecord[]} records
 */
function flagNameCollisions(records) {
  /** @type {Map<string, import("./grading/types.mjs").GradeRecord[]>} */
  const byName = new Map();
  for (const r of records) {
    const key = r.student.toLowerCase();
    if (!byName.has(key)) byName.set(key, []);
    /** @type {import("./grading/types.mjs").GradeRecord[]} */ (byName.get(key)).push(r);
  }
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a.named === "file" ? 0 : 1) - (b.named === "file" ? 0 : 1)); // a file's own name first
    group.forEach((r, i) => {
      const others = group.filter((x) => x !== r).map((x) => x.file).join(", ");
      r.flags.push(`name "${r.student}" is also used by ${others}${r.named === "metadata" ? " (this notebook's metadata dlbb.student names it)" : ""}`);
      if (i > 0) r.student += ` (${i + 1})`;
    });
  }
}

/**
 * @param {string[]} argv
 * @returns {Omit<GradeOptions, "log"> & { paths: string[], help?: boolean }}
 */
function parseArgs(argv) {
  /** @type {Omit<GradeOptions, "log"> & { paths: string[], help?: boolean }} */
  const o = { ...DEFAULTS, jobs: cpus().length, keep: false, noSandbox: false, memoryMb: LIMITS.memoryMb, paths: [] };
  /** @type {(flag: string, v: string, min: number) => number} */
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
    else if (a === "--memory") o.memoryMb = num(a, argv[++i], 256);
    else if (a === "--no-sandbox") o.noSandbox = true;
    else if (a === "--help" || a === "-h") o.help = true;
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
    else o.paths.push(a);
  }
  if (o.paths.length === 0 && !o.help) throw new Error(USAGE);
  return o;
}

const USAGE = `usage: npm run grade -- [--out DIR] [--jobs N] [--timeout SECONDS] [--notebook-timeout SECONDS]
                         [--masters DIR] [--memory MB] [--keep] [--no-sandbox] FILE_OR_DIR…
  --out DIR                 where grades.csv, grades.json and feedback/ go (default: grades/)
  --jobs N                  kernels in parallel (default: the number of cores)
  --timeout SECONDS         per cell (default: ${DEFAULTS.timeout})
  --notebook-timeout SECONDS  per submission (default: ${DEFAULTS.notebookTimeout})
  --masters DIR             the master notebooks (default: notebooks/; the Korean edition's in DIR/ko/)
  --memory MB               resident memory of one sandbox before its kernel is stopped (default: ${LIMITS.memoryMb})
  --keep                    keep the temporary folders with the graded copies
  --no-sandbox              grade without bubblewrap (student code runs with your rights; warned)`;

/**
 * @param {string[]} argv
 * @returns {Promise<number>}
 */
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
