// @ts-check
// `npm start [-- --lang en|ko] [--lab] [--port N] [--no-browser|--browser]`: opens the lessons in Jupyter Notebook 7
// (JupyterLab 4 with --lab) from the project's .venv (tools/jupyter.mjs sets it up the first time),
// or in Debian's Notebook 6.4 where that cannot be set up. The server listens on 127.0.0.1 with a
// random token, serves the repository root (so a lesson in notebooks/ reaches ../assets/) and opens
// notebooks/index.ipynb, the list of every lesson in both editions (`--lang ko`: the Korean lessons in
// notebooks/ko/, `--lang en`: the English ones); it opens a browser only where there is a display. One Ctrl-C stops the
// server and its kernels, without Jupyter's "Shutdown? (y/n)" prompt.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { jupyterEnv, root, setupJupyter } from "./jupyter.mjs";

const USAGE = "usage: npm start [-- --lang en|ko] [--lab] [--port N] [--no-browser|--browser] [--folder notebooks]";

/** What the server opens: the index of both editions, or one edition's lessons (`--lang`). */
const OPEN = { index: "notebooks/index.ipynb", en: "notebooks", ko: "notebooks/ko" };

/** @param {string[]} argv */
function parseArgs(argv) {
  let port = process.env.PORT ? Number(process.env.PORT) : undefined;
  /** @type {boolean | undefined} */
  let browser;
  let lab = false;
  let folder = OPEN.index;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port") port = Number(argv[++i]);
    else if (a.startsWith("--port=")) port = Number(a.slice(7));
    else if (a === "--lab") lab = true;
    else if (a === "--no-browser") browser = false;
    else if (a === "--browser") browser = true;
    else if (a === "--folder") folder = argv[++i] ?? "";
    else if (a === "--lang" || a.startsWith("--lang=")) {
      const lang = a === "--lang" ? argv[++i] ?? "" : a.slice(7);
      if (lang !== "en" && lang !== "ko") {
        console.error(`--lang must be en or ko, got "${lang}"\n${USAGE}`);
        process.exit(2);
      }
      folder = OPEN[lang];
    }
    else if (a === "-h" || a === "--help") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown option ${a}\n${USAGE}`);
      process.exit(2);
    }
  }
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`--port needs a number from 1 to 65535, got ${port}`);
    process.exit(2);
  }
  // The folder (or notebook) opened at start, inside the repository.
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(folder) || folder.split("/").includes("..") || !existsSync(join(root, folder))) {
    console.error(`--folder must name a folder or notebook inside ${root}, got "${folder}"`);
    process.exit(2);
  }
  // A browser only where one can appear: a desktop session on Linux, always on macOS/Windows.
  if (browser === undefined) {
    browser = process.platform !== "linux" || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  }
  return { port, browser, lab, folder };
}

/** @param {number} port @returns {Promise<boolean>} */
function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** @param {number | undefined} requested */
async function choosePort(requested) {
  if (requested !== undefined) {
    if (await portIsFree(requested)) return requested;
    console.error(`Port ${requested} on 127.0.0.1 is in use; choose another with: npm start -- --port N`);
    process.exit(1);
  }
  for (let port = 8888; port < 8938; port++) if (await portIsFree(port)) return port;
  console.error("No free port in 8888–8937 on 127.0.0.1; choose one with: npm start -- --port N");
  process.exit(1);
}

/**
 * JupyterLab / Notebook 7 page settings in the project's config folder (never the user's):
 * the announcements plugin would ask about fetching news from the internet on every first start.
 * Keeps whatever else is there (e.g. plugins a teacher disabled).
 * @param {string} configDir
 */
function writePageConfig(configDir) {
  const file = join(configDir, "labconfig", "page_config.json");
  /** @type {{ disabledExtensions?: Record<string, boolean> }} */
  let config = {};
  try {
    config = JSON.parse(readFileSync(file, "utf8"));
  } catch { /* none yet, or unreadable: write a fresh one */ }
  config.disabledExtensions = { "@jupyterlab/apputils-extension:announcements": true, ...config.disabledExtensions };
  mkdirSync(join(configDir, "labconfig"), { recursive: true });
  writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
}

/**
 * The command line for the Jupyter server: Notebook 7 / JupyterLab 4 (jupyter_server's options) or
 * the classic Notebook 6 (NotebookApp's). Exported for the browser test, which starts the same server.
 * @param {{ python: string; notebookMajor: number; lab: boolean }} jupyter
 * @param {{ app: "notebook" | "lab"; dir: string; port: number; token: string; browser: boolean; openPath: string }} o
 */
export function serverCommand(jupyter, o) {
  const asRoot = process.getuid?.() === 0 ? ["--allow-root"] : []; // Jupyter refuses root (containers, CI) unless told
  if (jupyter.notebookMajor < 7) {
    if (o.app === "lab") throw new Error("JupyterLab needs the .venv (Notebook 7 + JupyterLab 4); Debian's Notebook 6.4 has no --lab");
    return {
      args: ["-m", "notebook", `--notebook-dir=${o.dir}`, "--ip=127.0.0.1", `--port=${o.port}`, "--port-retries=0",
        `--NotebookApp.token=${o.token}`, `--NotebookApp.open_browser=${o.browser ? "True" : "False"}`,
        `--NotebookApp.default_url=/tree/${o.openPath}`, "--MappingKernelManager.default_kernel_name=dl-building-blocks", ...asRoot],
      url: (/** @type {string} */ base) => `${base}/tree/${o.openPath}?token=${o.token}`,
    };
  }
  const lab = o.app === "lab";
  return {
    args: ["-m", lab ? "jupyterlab" : "notebook", `--ServerApp.root_dir=${o.dir}`, "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${o.port}`,
      "--ServerApp.port_retries=0", `--IdentityProvider.token=${o.token}`, `--ServerApp.open_browser=${o.browser ? "True" : "False"}`,
      `--ServerApp.default_url=${lab ? "/lab/tree" : "/tree"}/${o.openPath}`, "--MappingKernelManager.default_kernel_name=dl-building-blocks",
      // the URL with its token is printed by start.mjs; keep Jupyter's startup chatter out
      "--ServerApp.log_level=WARN", "--LabApp.log_level=WARN", ...asRoot],
    url: (/** @type {string} */ base) => `${base}/${lab ? "lab/tree" : "tree"}/${o.openPath}?token=${o.token}`,
  };
}

/**
 * Kernel and server lines that say nothing to a student: tslab's warning for JupyterLab's
 * history_request (tslab 1.0.22 has no handler for it; the frontend just gets no history), and the
 * EBADF / "Socket is closed" traces of kernels that are still starting when Ctrl-C stops the server.
 */
const NOISE = [/unknown msg_type: history_request/];

/**
 * Copies a stream to `out` line by line, leaving out NOISE (and, after Ctrl-C, the shutdown traces).
 * @param {import("node:stream").Readable} from
 * @param {NodeJS.WriteStream} out
 * @param {() => boolean} stopping
 */
function filtered(from, out, stopping) {
  let buf = "";
  from.setEncoding("utf8");
  from.on("data", (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl + 1);
      buf = buf.slice(nl + 1);
      if (NOISE.some((re) => re.test(line))) continue;
      if (stopping()) continue; // what kernels and Jupyter print while being stopped is shutdown noise
      out.write(line);
    }
  });
  from.on("end", () => { if (buf && !stopping()) out.write(buf); });
}

async function main() {
  const { port, browser, lab, folder } = parseArgs(process.argv.slice(2));
  const jupyter = await setupJupyter();
  if (!existsSync(join(root, "dist", "index.js")) || !existsSync(join(root, "node_modules", "dl-building-blocks"))) {
    console.error("The kit is not built: run `npm install` first.");
    process.exit(1);
  }
  let app = /** @type {"notebook" | "lab"} */ (lab ? "lab" : "notebook");
  if (lab && !jupyter.lab) {
    console.log("Jupyter: JupyterLab is not available here (Debian's Notebook 6.4): opening the classic Notebook instead.");
    app = "notebook";
  }
  const chosen = await choosePort(port);
  const token = randomBytes(24).toString("hex");
  // Tells the kit in each kernel whether the page needs plotly.js (src/figures/plotly.ts): the venv's
  // Notebook 7 / JupyterLab have the plotly package's renderer; Debian's Notebook 6.4 has none.
  const env = jupyterEnv({ DLBB_PLOTLY: jupyter.kind === "venv" ? "renderer" : "loader" });
  writePageConfig(env.JUPYTER_CONFIG_DIR);
  const { args, url } = serverCommand(jupyter, { app, dir: root, port: chosen, token, browser, openPath: folder });
  const name = app === "lab" ? "JupyterLab" : `Notebook ${jupyter.notebookMajor}`;
  // stdin is not a terminal for Jupyter, so SIGINT/SIGTERM stop it without asking. Its own process
  // group: Ctrl-C reaches only this script, which then stops Jupyter, which stops its kernels in order.
  const child = spawn(jupyter.python, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stopping = false;
  filtered(/** @type {import("node:stream").Readable} */ (child.stdout), process.stdout, () => stopping);
  filtered(/** @type {import("node:stream").Readable} */ (child.stderr), process.stderr, () => stopping);
  const started = Date.now();
  const base = `http://127.0.0.1:${chosen}`;
  child.once("spawn", async () => {
    // Say where the lessons are once the server answers (Notebook 7 takes a few seconds to start).
    while (!stopping && Date.now() - started < 120_000) {
      try {
        const r = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` } });
        if (r.ok) break;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!stopping) console.log(`\nThe lessons in ${name}: ${url(base)}\n(Ctrl-C stops the server)\n`);
  });

  function stop() {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping Jupyter …");
    child.kill("SIGTERM");
    setTimeout(() => { try { process.kill(-(/** @type {number} */ (child.pid)), "SIGKILL"); } catch { /* gone */ } }, 10_000).unref();
  }
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  child.on("exit", (code, signal) => {
    if (stopping) console.log("Jupyter stopped.");
    process.exit(stopping ? 0 : code ?? (signal ? 1 : 0));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
