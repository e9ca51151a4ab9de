// Finds a Python with Jupyter Notebook + nbclient, installs Debian's packages when it can, and builds
// the environment every Jupyter process of the kit runs in (project-local kernel, nothing written to
// the user's global Jupyter folders). Used by `npm start`, `npm test`, `npm run lessons`, `npm run grade`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MODULES = ["notebook", "nbclient", "nbformat", "nbconvert"];
const APT_PACKAGES = ["jupyter-notebook", "python3-nbclient", "jupyter-nbconvert"];
// Debian's Jupyter lives in /usr/bin/python3; the python3 first on PATH may be another interpreter.
const CANDIDATES = ["/usr/bin/python3", "python3"];

function hasModules(python) {
  const r = spawnSync(python, ["-c", `import ${MODULES.join(", ")}`], { stdio: "ignore" });
  return r.status === 0;
}

/** The first candidate Python that can import Jupyter Notebook and nbclient, or null. */
export function findPython() {
  for (const python of CANDIDATES) {
    if (python.startsWith("/") && !existsSync(python)) continue;
    if (hasModules(python)) return python;
  }
  return null;
}

function canApt() {
  return process.platform === "linux" && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
}

/** Returns a Python with Jupyter, installing Debian's packages first when we are root with apt-get. */
export function ensureJupyter({ quiet = false } = {}) {
  let python = findPython();
  if (python) return python;
  if (canApt()) {
    console.log(`Jupyter Notebook + nbclient are missing: installing Debian's ${APT_PACKAGES.join(" ")} …`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    const install =
      update.status === 0 &&
      spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...APT_PACKAGES], { stdio: "inherit", env });
    python = findPython();
    if (python) return python;
    console.error("apt-get could not install Jupyter (see its messages above).");
  }
  if (!quiet) {
    console.error(
      [
        "dl-building-blocks needs Jupyter Notebook and nbclient (Python packages; they are not on npm).",
        "Install them, then run the command again:",
        `  on Debian/Ubuntu:  sudo apt-get install ${APT_PACKAGES.join(" ")}`,
        "  elsewhere:         pip install --user notebook nbclient nbconvert",
      ].join("\n"),
    );
  }
  process.exit(1);
}

/**
 * Environment for Jupyter processes: the kit's kernel comes from <repo>/jupyter/kernels through
 * JUPYTER_PATH; config, data (notebook signatures) and runtime files go to the git-ignored
 * <repo>/.jupyter instead of the user's home.
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
  const python = ensureJupyter();
  console.log(`Jupyter: ${python}`);
}
