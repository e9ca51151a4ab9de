// @ts-check
// The sandbox each submission's kernel runs in (bubblewrap), and the read-only snapshot of the kit it
// sees. Used by tools/grade.mjs.
//
// What a kernel gets (see the README, "What isolation there is"):
//   - a read-only view of the system (/usr, /etc and the root's links to /usr) and of the kit
//     snapshot (package.json, dist/, jupyter/ copied at the start of the batch; the kit's
//     node_modules bound read-only at its place) — never the masters, never the teacher's home;
//   - one writable folder, the submission's own work folder (also its HOME and TMPDIR), plus the
//     folder of its kernel's ipc sockets; every other path is read-only or absent;
//   - no network (its own empty network namespace: only a loopback nobody else uses), its own PID
//     namespace (killing the kernel ends every process it started), its own IPC and UTS namespaces;
//   - when the grader runs as root, an unprivileged user of its own per kernel lane (uid 64000 + lane);
//   - limits: RLIMIT_NPROC (processes and threads), RLIMIT_FSIZE (largest file), no core files,
//     the V8 heap flag, and the worker's watchdog on the resident memory of the whole sandbox
//     (RLIMIT_AS would break V8 and wasm; this machine's cgroups are v1 and not delegated).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const LIMITS = {
  /** processes + threads of one lane's user (a kernel uses ~20) */
  nproc: 256,
  /** largest file a kernel may write, in bytes */
  fsize: 256 * 2 ** 20,
  /** V8 heap, MB */
  heapMb: 2048,
  /** resident memory of a whole sandbox before the worker kills it, MB */
  memoryMb: 3072,
};

/**
 * The uid/gid a lane's kernels run as when the grader is root (none when it is not).
 * @param {number} lane
 * @returns {{ uid: number, gid: number } | null}
 */
export function laneUser(lane) {
  return typeof process.getuid === "function" && process.getuid() === 0 ? { uid: 64000 + lane, gid: 64000 + lane } : null;
}

/**
 * The command that starts one kernel in the sandbox; `{connection_file}` stays in it for the worker.
 * `kit` is the snapshot folder, `nodeModules` the kit's node_modules (bound read-only into it),
 * `work` and `sock` the only writable folders.
 * @param {{ kit: string, nodeModules: string, work: string, sock: string, user: { uid: number, gid: number } | null, kernelArgv: string[] }} o
 */
export function sandboxArgv(o) {
  const argv = ["prlimit", `--nproc=${LIMITS.nproc}`, `--fsize=${LIMITS.fsize}`, "--core=0", "--"];
  if (o.user) argv.push("setpriv", `--reuid=${o.user.uid}`, `--regid=${o.user.gid}`, "--clear-groups", "--inh-caps=-all", "--");
  argv.push("bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL");
  for (const top of ["usr", "etc"]) argv.push("--ro-bind", `/${top}`, `/${top}`);
  for (const link of ["bin", "lib", "lib64", "lib32", "sbin"]) {
    const p = `/${link}`;
    if (!existsSync(p)) continue;
    if (lstatSync(p).isSymbolicLink()) argv.push("--symlink", readlinkSync(p), p);
    else argv.push("--ro-bind", p, p);
  }
  const nodeDir = dirname(process.execPath);
  if (!nodeDir.startsWith("/usr/")) argv.push("--ro-bind", nodeDir, nodeDir);
  argv.push("--proc", "/proc", "--dev", "/dev");
  argv.push("--ro-bind", o.kit, o.kit, "--ro-bind", o.nodeModules, join(o.kit, "node_modules"));
  argv.push("--bind", o.work, o.work, "--bind", o.sock, o.sock, "--chdir", o.work, "--remount-ro", "/", "--");
  argv.push(...o.kernelArgv);
  return argv;
}

/**
 * Does the sandbox work here? Runs `true` in it (as lane 0's user) and returns null, or a one-line
 * reason it does not (bwrap missing, user namespaces off, …).
 * @param {string} kit
 * @param {string} nodeModules
 * @param {string} work
 * @param {string} sock
 * @returns {string | null}
 */
export function sandboxProblem(kit, nodeModules, work, sock) {
  for (const tool of ["bwrap", "prlimit", ...(laneUser(0) ? ["setpriv"] : [])]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) {
      return `${tool} is not installed (Debian: apt-get install bubblewrap util-linux)`;
    }
  }
  const argv = sandboxArgv({ kit, nodeModules, work, sock, user: laneUser(0), kernelArgv: [process.execPath, "-e", "require('fs').writeFileSync('probe', 'ok')"] });
  const r = spawnSync(argv[0], argv.slice(1), { cwd: "/", encoding: "utf8", timeout: 30_000, env: { PATH: "/usr/bin:/bin" } });
  if (r.status !== 0) return `bwrap failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.error?.message || "").trim().split("\n")[0]}`;
  return null;
}

/**
 * Can the lanes' users, who are "others" to the teacher's checkout, reach `path`? Only if every folder
 * from `/` down to it lets others pass (o+x). A checkout in a private home folder (0700, 0750) does not.
 * @param {string} path
 * @returns {boolean}
 */
export function othersCanReach(path) {
  for (let p = path; ; p = dirname(p)) {
    const st = statSync(p);
    if (st.isDirectory() && (st.mode & 0o001) === 0) return false;
    if (p === dirname(p)) return true;
  }
}

/**
 * The kit's node_modules where the lanes' users can reach it: `dest`, a tree of hard links to `src`'s
 * files (copies where `dest` is on another file system), its own symlinks and folders, the folders
 * read-only (the files are the checkout's own and keep their modes; the sandbox binds them read-only).
 * Returns `dest`.
 * @param {string} src
 * @param {string} dest
 * @returns {string}
 */
export function linkFarm(src, dest) {
  mkdirSync(dest);
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, e.name);
    const to = join(dest, e.name);
    if (e.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (e.isDirectory()) linkFarm(from, to);
    else {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
  chmodSync(dest, 0o555);
  return dest;
}

/**
 * Takes the answers of the hidden cases out of the compiled exercise modules in `exercisesDir` (the
 * snapshot's dist/exercises): in every case built with `{ hidden: true }` by the library's own case
 * builders, whose signatures put the answer right before the options — `call(fn, args, EXPECTED,
 * options)`, `implCase(call, id, fns, name, run, EXPECTED, options)` and `throwsCase(call, fn, args,
 * MENTIONS, options)` — that argument is replaced by `undefined` (`[]` for MENTIONS). The kernel needs
 * only the call: in a kernel the grader started, no hidden case keeps an expected value anyway
 * (src/exercises/cases.ts), and the grader compares with its own copy. Cases built by a lesson's own
 * helpers compute their answer from the inputs with the kit's reference code, which students have too.
 * Returns how many answers were taken out.
 * @param {string} exercisesDir
 * @returns {number}
 */
export function blankHiddenAnswers(exercisesDir) {
  let blanked = 0;
  for (const name of readdirSync(exercisesDir).filter((f) => f.endsWith(".js"))) {
    const file = join(exercisesDir, name);
    const text = readFileSync(file, "utf8");
    const answers = hiddenAnswers(text, name);
    if (answers.length === 0) continue;
    let out = text;
    for (const a of answers.sort((x, y) => y.start - x.start)) out = out.slice(0, a.start) + (a.callee === "throwsCase" ? "[]" : "undefined") + out.slice(a.end);
    writeFileSync(file, out);
    blanked += answers.length;
  }
  return blanked;
}

/**
 * Where the answers of the hidden cases are in a compiled exercise module: for every call of `call`,
 * `implCase` or `throwsCase` whose last argument is an object literal with `hidden: true`, the argument
 * right before it (its text and place).
 * @param {string} text
 * @param {string} [name]
 * @returns {Array<{ callee: string, text: string, start: number, end: number }>}
 */
export function hiddenAnswers(text, name = "module.js") {
  const ts = /** @type {typeof import("typescript")} */ (createRequire(import.meta.url)("typescript"));
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  /** @type {Array<{ callee: string, text: string, start: number, end: number }>} */
  const found = [];
  /** @param {import("typescript").Node} n */
  const visit = (n) => {
    if (ts.isCallExpression(n)) {
      const args = n.arguments;
      const options = args[args.length - 1];
      const hidden =
        options !== undefined && ts.isObjectLiteralExpression(options) &&
        options.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText(sf) === "hidden" && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
      // `call(…)`, or `(0, module_1.implCase)(…)` as tsc compiles an imported function's call
      const callee = n.expression.getText(sf).replace(/^\(0, [\w$]+\.(\w+)\)$/, "$1");
      const answer = args.length >= 2 ? args[args.length - 2] : undefined;
      if (hidden && answer && !ts.isSpreadElement(answer) && ["call", "implCase", "throwsCase"].includes(callee)) {
        found.push({ callee, text: answer.getText(sf), start: answer.getStart(sf), end: answer.end });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/**
 * Copies what a kernel needs of the kit (package.json, dist/, jupyter/) to `dir`, read-only for
 * everyone, with an empty node_modules/ as the mount point of the kit's own; the hidden cases'
 * answers taken out of its exercise modules (blankHiddenAnswers). Returns `dir`.
 * @param {string} root
 * @param {string} dir
 * @returns {string}
 */
export function snapshotKit(root, dir) {
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "package.json"), join(dir, "package.json"));
  for (const sub of ["dist", "jupyter"]) cpSync(join(root, sub), join(dir, sub), { recursive: true, dereference: false });
  blankHiddenAnswers(join(dir, "dist", "exercises"));
  mkdirSync(join(dir, "node_modules"));
  /** @param {string} p */
  const lock = (p) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) lock(join(p, e));
      chmodSync(p, 0o555);
    } else chmodSync(p, 0o444);
  };
  lock(dir);
  return dir;
}

/**
 * sha256 over every file (path and content) under `dir` or of a file: to see that nothing changed.
 * @param {string} path
 * @returns {string}
 */
export function digest(path) {
  const h = createHash("sha256");
  /** @param {string} p */
  const walk = (p) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) h.update(`link ${p}\n`);
    else if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
    else h.update(`file ${p} ${st.size}\n`).update(readFileSync(p));
  };
  if (existsSync(path)) walk(path);
  return h.digest("hex");
}

/**
 * Whether `p` is a directory (following no link).
 * @param {string} p
 * @returns {boolean}
 */
export function isRealDir(p) {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}
