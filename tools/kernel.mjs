// @ts-check
// `npm run kernel -- install|remove|status`: registers the kit's TypeScript kernel in YOUR Jupyter
// kernels folder, so that VS Code, a JupyterLab you installed yourself, or any other Jupyter frontend
// can pick "TypeScript (dl-building-blocks)" for the lessons; `remove` takes it out again.
// `npm start` and the tests never need this: they find the kernel inside the repository.
//
// The registered kernel.json points to this repository's jupyter/kernels/dl-building-blocks/launch.cjs
// and to the Node.js running this command (absolute paths: a frontend may start kernels without
// your shell's PATH). Move the repository or change Node.js → run `install` again.
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { root } from "./jupyter.mjs";

export const KERNEL_NAME = "dl-building-blocks";
const MARK = "dl-building-blocks";

/**
 * The user's Jupyter data folder, as Jupyter computes it: $JUPYTER_DATA_DIR, else
 * ~/.local/share/jupyter (Linux, or $XDG_DATA_HOME/jupyter), ~/Library/Jupyter (macOS),
 * %APPDATA%\jupyter (Windows).
 * @param {NodeJS.ProcessEnv} env
 */
export function userDataDir(env = process.env, platform = process.platform, home = homedir()) {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (platform === "darwin") return join(home, "Library", "Jupyter");
  if (platform === "win32") return join(env.APPDATA || join(home, "AppData", "Roaming"), "jupyter");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "jupyter");
}

/** The kernel.json written for the user's Jupyter. */
export function userKernelSpec(node = process.execPath) {
  const spec = JSON.parse(readFileSync(join(root, "jupyter", "kernels", KERNEL_NAME, "kernel.json"), "utf8"));
  return {
    ...spec,
    argv: [node, join(root, "jupyter", "kernels", KERNEL_NAME, "launch.cjs"), "{connection_file}"],
    metadata: { ...(spec.metadata ?? {}), [MARK]: { repository: root } },
  };
}

/** @param {string} file */
function ours(file) {
  try {
    return Boolean(JSON.parse(readFileSync(file, "utf8")).metadata?.[MARK]);
  } catch {
    return false;
  }
}

/**
 * @param {"install" | "remove" | "status"} action
 * @param {{ dataDir?: string; log?: (s: string) => void }} [o]
 * @returns {number} exit code
 */
export function kernelCommand(action, { dataDir = userDataDir(), log = console.log } = {}) {
  const dir = join(dataDir, "kernels", KERNEL_NAME);
  const file = join(dir, "kernel.json");
  if (action === "install") {
    if (existsSync(file) && !ours(file)) {
      log(`${file} exists and was not written by dl-building-blocks: not touched. Remove it yourself if you want this kit's kernel there.`);
      return 1;
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(userKernelSpec(), null, 2) + "\n");
    log(`Registered the kernel "TypeScript (dl-building-blocks)" in ${dir}\n(it runs ${join(root, "jupyter", "kernels", KERNEL_NAME, "launch.cjs")} with ${process.execPath}; remove it with: npm run kernel -- remove)`);
    return 0;
  }
  if (action === "remove") {
    if (!existsSync(file)) {
      log(`No dl-building-blocks kernel in ${dir}: nothing to remove.`);
      return 0;
    }
    if (!ours(file)) {
      log(`${file} was not written by dl-building-blocks: not removed.`);
      return 1;
    }
    rmSync(file);
    try {
      rmdirSync(dir); // only if empty: never remove files we did not write
    } catch { /* a folder with other files stays */ }
    log(`Removed the dl-building-blocks kernel from ${dir}.`);
    return 0;
  }
  if (action === "status") {
    if (!existsSync(file)) log(`not registered (${dir})`);
    else if (!ours(file)) log(`${file} exists but was not written by dl-building-blocks`);
    else log(`registered: ${file} → ${JSON.parse(readFileSync(file, "utf8")).argv.slice(0, 2).join(" ")}`);
    return 0;
  }
  log(`unknown action "${action}"\nusage: npm run kernel -- install|remove|status`);
  return 2;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const action = /** @type {"install" | "remove" | "status"} */ (process.argv[2] ?? "");
  process.exit(kernelCommand(action));
}
