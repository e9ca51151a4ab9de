// @ts-check
// The Python/Jupyter environment every Jupyter process of the kit runs in (`npm start`, `npm test`,
// `npm run lessons`, `npm run grade`), and the environment variables that keep it project-local.
//
// 1. Preferred: a project-local virtual environment, <repo>/.venv (git-ignored), with current
//    Notebook 7, JupyterLab 4, nbclient, nbconvert and `plotly` (its JupyterLab/Notebook 7 renderer),
//    installed by pip the first time it is needed (~30 s), quietly, with one progress line.
//    pip runs with `--retries 0` so that an unreachable index fails in seconds, not in 12 minutes.
// 2. Fallback, where venv or pip is missing or the install fails: Debian's Jupyter Notebook 6.4 in
//    /usr/bin/python3 (installed with apt-get when we are root), announced in one line.
// DLBB_JUPYTER=venv|debian forces one of the two (the browser test uses it to try Notebook 6.4).
//
// `node tools/jupyter.mjs` sets the environment up (with progress) and prints which Jupyter is used.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const venvDir = join(root, ".venv");
const venvPython = join(venvDir, process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
/** Written last by a complete install: what was installed, so a changed list installs again. */
const READY = join(venvDir, "dlbb-ready.json");
/** A failed venv install, so that implicit callers (every lesson test) do not retry it each time. */
const FAILED = join(root, ".jupyter", "venv-failed.json");

/** What the venv gets from pip: current Notebook 7 and JupyterLab 4, the headless runner, plotly's renderer. */
export const VENV_PACKAGES = ["notebook>=7,<8", "jupyterlab>=4,<5", "nbclient", "nbconvert", "nbformat", "plotly"];
// --no-compile: no .pyc for the ~10,000 files up front (Python compiles what it imports): half the CPU time.
const PIP_OPTIONS = ["--retries", "0", "--timeout", "20", "--disable-pip-version-check", "--no-input", "--progress-bar", "off", "--no-compile"];

const MODULES = ["notebook", "nbclient", "nbformat", "nbconvert"];
const APT_PACKAGES = ["jupyter-notebook", "python3-nbclient", "jupyter-nbconvert"];
// Debian's Jupyter lives in /usr/bin/python3; the python3 first on PATH may be another interpreter.
const DEBIAN_CANDIDATES = ["/usr/bin/python3", "python3"];

/**
 * @typedef {object} JupyterInfo
 * @property {string} python  the interpreter to run `-m notebook`, `-m jupyterlab`, nbrun.py, grade.py with
 * @property {"venv" | "debian"} kind  the project's .venv, or a system Jupyter (Debian's Notebook 6.4)
 * @property {number} notebookMajor  6 (classic Notebook) or 7
 * @property {boolean} lab  JupyterLab is available (`--lab`)
 */

/** @param {string} python @param {string} code */
function pythonSays(python, code) {
  const r = spawnSync(python, ["-c", code], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Answers of describePython in this process (each costs a Python start importing Jupyter: seconds on a busy machine). */
const described = new Map();

/** @param {string} python @returns {JupyterInfo | null} */
function describePython(python, /** @type {"venv" | "debian"} */ kind) {
  const key = `${kind} ${python}`;
  if (!described.has(key)) described.set(key, describeNow(python, kind));
  return described.get(key);
}

/** @param {string} python @returns {JupyterInfo | null} */
function describeNow(python, /** @type {"venv" | "debian"} */ kind) {
  const out = pythonSays(python, `import ${MODULES.join(", ")}, importlib.util as u; print(notebook.__version__, bool(u.find_spec("jupyterlab")))`);
  if (!out) return null;
  const [version, lab] = out.split(" ");
  return { python, kind, notebookMajor: Number.parseInt(version, 10), lab: lab === "True" };
}

function venvReady() {
  try {
    const ready = JSON.parse(readFileSync(READY, "utf8"));
    return JSON.stringify(ready.packages) === JSON.stringify(VENV_PACKAGES) && existsSync(venvPython);
  } catch {
    return false;
  }
}

/**
 * The kit's Jupyter if it is ready now (no installing), or null.
 * @param {string | undefined} [want] "venv" or "debian" to look only there (default: $DLBB_JUPYTER)
 */
export function findJupyter(want = process.env.DLBB_JUPYTER) {
  if (want !== "debian" && venvReady()) {
    const info = describePython(venvPython, "venv");
    if (info) return info;
  }
  if (want === "venv") return null;
  for (const python of DEBIAN_CANDIDATES) {
    if (python.startsWith("/") && !existsSync(python)) continue;
    const info = describePython(python, "debian");
    if (info) return info;
  }
  return null;
}

/** The first Python that has Jupyter Notebook + nbclient now (no installing), or null. */
export function findPython() {
  return findJupyter()?.python ?? null;
}

// ---------------------------------------------------------------------------------------------
// the venv

/**
 * A base interpreter that can make a venv, and how pip gets into it: with its own pip ≥ 22.3 the
 * venv is made without pip and that pip installs into it (`pip --python`, ~20 s faster on a busy
 * machine than ensurepip); otherwise the venv gets its own pip from ensurepip. Null if none can.
 * @returns {{ python: string; ownPip: boolean } | null}
 */
function baseForVenv() {
  for (const python of ["python3", "/usr/bin/python3"]) {
    const says = pythonSays(python, [
      "import sys, venv, importlib.util as u",
      "pip = u.find_spec('pip') and __import__('pip').__version__",
      "ok = pip and tuple(int(x) for x in pip.split('.')[:2]) >= (22, 3)",
      "print(sys.version_info >= (3, 9), bool(ok), bool(u.find_spec('ensurepip')))",
    ].join("; "));
    if (!says) continue;
    const [recent, ownPip, ensurepip] = says.split(" ").map((w) => w === "True");
    if (recent && (ownPip || ensurepip)) return { python, ownPip };
  }
  return null;
}

/**
 * pip's error output without the noise this machine's index configuration adds.
 * @param {string} text
 */
function summarisePipError(text) {
  const lines = text.split("\n").map((l) => l.trimEnd()).filter((l) => l && !/^WARNING: Location '.*' is ignored/.test(l) && !/^\s*WARNING: Retrying/.test(l));
  const errors = lines.filter((l) => /^ERROR:|error:|No matching distribution|Could not find/i.test(l));
  return (errors.length ? errors : lines).slice(-6).join("\n");
}

/**
 * Runs a command, calling `onLine` for each stdout line.
 * @param {string} cmd
 * @param {string[]} args
 * @param {(line: string) => void} [onLine]
 * @returns {Promise<{ code: number; stderr: string }>}
 */
function run(cmd, args, onLine = () => {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PIP_NO_INPUT: "1" } });
    let out = "", err = "";
    child.stdout.on("data", (b) => {
      out += b;
      let nl;
      while ((nl = out.indexOf("\n")) >= 0) { onLine(out.slice(0, nl)); out = out.slice(nl + 1); }
    });
    child.stderr.on("data", (b) => { err = (err + b).slice(-20_000); });
    child.on("error", (e) => resolve({ code: -1, stderr: String(e) }));
    child.on("close", (code) => resolve({ code: code ?? -1, stderr: err }));
  });
}

/** One line that rewrites itself on a terminal (and prints only its final state elsewhere). */
function progressLine() {
  const tty = Boolean(process.stdout.isTTY);
  let last = "";
  return {
    /** @param {string} text */
    set(text) {
      if (!tty || text === last) return;
      last = text;
      process.stdout.write("\r\x1b[K" + text.slice(0, (process.stdout.columns || 100) - 1));
    },
    /** @param {string} text */
    done(text) {
      process.stdout.write((tty ? "\r\x1b[K" : "") + text + "\n");
    },
  };
}

/**
 * Creates <repo>/.venv and installs VENV_PACKAGES with pip (one progress line). Resolves to true
 * on success; on failure prints one line with pip's error, removes the half-made venv, resolves false.
 */
export async function installVenv() {
  // One install at a time (parallel test files may all find the venv missing): a lock folder.
  const lock = `${venvDir}.lock`;
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited === 0) console.log("Jupyter: another process is setting up .venv; waiting for it …");
      if (waited > 600_000) rmSync(lock, { recursive: true, force: true }); // stale: its owner died
      await new Promise((r) => setTimeout(r, 500));
      if (venvReady()) return true;
    }
  }
  try {
    return await installVenvLocked();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function installVenvLocked() {
  const base = baseForVenv();
  if (!base) {
    console.log("Jupyter: no Python here can create a virtual environment with pip (Debian: apt-get install python3-venv).");
    return false;
  }
  const line = progressLine();
  const start = Date.now();
  const secs = () => `${Math.round((Date.now() - start) / 1000)} s`;
  let step = "creating .venv";
  let packages = 0;
  line.set(`Jupyter: setting up Notebook 7 + JupyterLab 4 in .venv (pip, ~30 s): ${step}`);
  const timer = setInterval(() => line.set(`Jupyter: setting up Notebook 7 + JupyterLab 4 in .venv (pip, ~30 s): ${step} … ${secs()}`), 1000);
  const fail = (/** @type {string} */ why) => {
    clearInterval(timer);
    rmSync(venvDir, { recursive: true, force: true });
    mkdirSync(dirname(FAILED), { recursive: true });
    writeFileSync(FAILED, JSON.stringify({ at: new Date().toISOString(), why }, null, 1));
    line.done(`Jupyter: the .venv install failed after ${secs()}: ${why.split("\n").join("\n  ")}`);
    return false;
  };
  try {
    rmSync(venvDir, { recursive: true, force: true });
    let r = await run(base.python, ["-m", "venv", ...(base.ownPip ? ["--without-pip"] : []), venvDir]);
    if (r.code !== 0) return fail(`${base.python} -m venv: ${summarisePipError(r.stderr)}`);
    step = "pip install";
    const pip = base.ownPip ? [base.python, ["-m", "pip", "--python", venvPython]] : [venvPython, ["-m", "pip"]];
    r = await run(/** @type {string} */ (pip[0]), [.../** @type {string[]} */ (pip[1]), "install", ...PIP_OPTIONS, ...VENV_PACKAGES], (l) => {
      const m = /^(Collecting|Using cached|Processing|Downloading|Installing collected packages)\s*(\S*)/.exec(l);
      if (!m) return;
      if (m[1] === "Collecting" || m[1] === "Processing") packages++;
      step = m[1] === "Installing collected packages" ? `installing ${packages} packages` : `resolving (${packages} packages) ${m[2].split(/[<>=!~;]/)[0]}`;
    });
    if (r.code !== 0) return fail(`pip install: ${summarisePipError(r.stderr)}`);
    if (!describePython(venvPython, "venv")) return fail("pip finished, but the venv cannot import notebook + nbclient");
    writeFileSync(READY, JSON.stringify({ packages: VENV_PACKAGES, at: new Date().toISOString() }, null, 1) + "\n");
    rmSync(FAILED, { force: true });
    clearInterval(timer);
    line.done(`Jupyter: Notebook 7 + JupyterLab 4 ready in .venv (${secs()}).`);
    return true;
  } catch (e) {
    return fail(String(e));
  }
}

// ---------------------------------------------------------------------------------------------
// Debian's Notebook 6.4 (the fallback)

function canApt() {
  return process.platform === "linux" && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
}

/** Installs Debian's Jupyter quietly (apt's log only when it fails). */
function aptInstall() {
  console.log(`Jupyter: installing Debian's ${APT_PACKAGES.join(" ")} with apt-get (quietly, ~1 min) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  /** @type {import("node:child_process").SpawnSyncOptionsWithStringEncoding} */
  const opts = { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 };
  const update = spawnSync("apt-get", ["update", "-qq"], opts);
  const install = update.status === 0
    ? spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...APT_PACKAGES], opts)
    : update;
  if (install.status !== 0) {
    const log = `${install.stdout ?? ""}\n${install.stderr ?? ""}`.trim().split("\n").slice(-8).join("\n  ");
    console.error(`Jupyter: apt-get failed:\n  ${log}`);
  }
}

function explainMissing() {
  console.error(
    [
      "dl-building-blocks needs Jupyter (Python packages; they are not on npm), and could not set it up.",
      "Either make `python3 -m venv` and pip work (Debian: apt-get install python3-venv) and run the command again,",
      `or install Debian's Notebook 6.4:  sudo apt-get install ${APT_PACKAGES.join(" ")}`,
    ].join("\n"),
  );
}

/**
 * The kit's Jupyter, setting it up when needed: the .venv (pip) first, else Debian's Notebook 6.4
 * (apt-get when root). `retry: true` tries the venv again even after a recorded failure.
 * Exits the process with a clear message when there is no Jupyter at all.
 * @param {{ retry?: boolean }} [opts]
 * @returns {Promise<JupyterInfo>}
 */
export async function setupJupyter({ retry = false } = {}) {
  const want = process.env.DLBB_JUPYTER;
  if (want && want !== "venv" && want !== "debian") {
    console.error(`DLBB_JUPYTER must be "venv" or "debian", got "${want}"`);
    process.exit(2);
  }
  if (want !== "debian" && !venvReady() && (retry || !existsSync(FAILED))) await installVenv();
  let info = findJupyter();
  if (!info && want !== "venv" && canApt()) {
    aptInstall();
    info = findJupyter();
  }
  if (!info) {
    explainMissing();
    process.exit(1);
  }
  if (info.kind === "debian" && want !== "debian") {
    console.log(`Jupyter: using ${info.python}'s Notebook ${info.notebookMajor} (the .venv with Notebook 7 could not be set up; \`node tools/jupyter.mjs\` tries again).`);
  }
  return info;
}

/**
 * Synchronous form for the tools that need a Python at once (`npm run lessons`, the grader, tests):
 * the ready Jupyter, or — when nothing is ready — `node tools/jupyter.mjs` in a child process
 * (progress on this terminal), then the result. Returns the interpreter's path.
 * @param {{ quiet?: boolean }} [_opts]
 */
export function ensureJupyter(_opts = {}) {
  return ensureJupyterInfo().python;
}

/** Like ensureJupyter, with which Jupyter it is. @returns {JupyterInfo} */
export function ensureJupyterInfo() {
  const want = process.env.DLBB_JUPYTER;
  let info = findJupyter();
  const venvMissing = want !== "debian" && info?.kind !== "venv" && !existsSync(FAILED);
  if (info && !venvMissing) return info;
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--quiet-ok"], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) process.exit(r.status ?? 1);
  info = findJupyter();
  if (!info) throw new Error("tools/jupyter.mjs set up Jupyter, but no Jupyter is found afterwards");
  return info;
}

/**
 * Environment for Jupyter processes: the kit's kernel comes from <repo>/jupyter/kernels through
 * JUPYTER_PATH; config, data (notebook signatures) and runtime files go to the git-ignored
 * <repo>/.jupyter instead of the user's home.
 * @param {Record<string, string>} [extra]
 */
export function jupyterEnv(extra = {}) {
  const local = join(root, ".jupyter");
  const dirs = {
    JUPYTER_CONFIG_DIR: join(local, "config"),
    JUPYTER_DATA_DIR: join(local, "data"),
    JUPYTER_RUNTIME_DIR: join(local, "runtime"),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return {
    ...process.env,
    ...dirs,
    JUPYTER_PATH: join(root, "jupyter"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    ...extra,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quietOk = process.argv.includes("--quiet-ok");
  const info = await setupJupyter({ retry: !quietOk });
  if (!quietOk) {
    const what = info.kind === "venv" ? `Notebook ${info.notebookMajor}${info.lab ? " + JupyterLab" : ""} in .venv` : `Notebook ${info.notebookMajor} (system)`;
    console.log(`Jupyter: ${what}: ${info.python}`);
  }
}
