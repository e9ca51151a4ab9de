// `npm start [-- --port N]`: serves notebooks/ with Jupyter Notebook on 127.0.0.1 with the kit's
// TypeScript kernel, prints the URL with its token, opens a browser only where there is a display.
// Ctrl-C stops the server (and its kernels) at once, without Jupyter's "Shutdown? (y/n)" prompt.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ensureJupyter, jupyterEnv, root } from "./jupyter.mjs";

function parseArgs(argv) {
  let port = process.env.PORT ? Number(process.env.PORT) : undefined;
  let browser;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port") port = Number(argv[++i]);
    else if (a.startsWith("--port=")) port = Number(a.slice(7));
    else if (a === "--no-browser") browser = false;
    else if (a === "--browser") browser = true;
    else {
      console.error(`unknown option ${a}\nusage: npm start [-- --port N] [--no-browser|--browser]`);
      process.exit(2);
    }
  }
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`--port needs a number from 1 to 65535, got ${port}`);
    process.exit(2);
  }
  // A browser only where one can appear: a desktop session on Linux, always on macOS/Windows.
  if (browser === undefined) {
    browser = process.platform !== "linux" || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  }
  return { port, browser };
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

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

const { port, browser } = parseArgs(process.argv.slice(2));
const python = ensureJupyter();
if (!existsSync(join(root, "dist", "index.js")) || !existsSync(join(root, "node_modules", "dl-building-blocks"))) {
  console.error("The kit is not built: run `npm install` first.");
  process.exit(1);
}
const chosen = await choosePort(port);
const token = randomBytes(24).toString("hex");
const url = `http://127.0.0.1:${chosen}/tree?token=${token}`;
const args = [
  "-m", "notebook",
  `--notebook-dir=${join(root, "notebooks")}`,
  "--ip=127.0.0.1",
  `--port=${chosen}`,
  "--port-retries=0",
  `--NotebookApp.token=${token}`,
  "--NotebookApp.open_browser=" + (browser ? "True" : "False"),
  "--MappingKernelManager.default_kernel_name=dl-building-blocks",
  // Jupyter refuses to start as root (containers, CI machines) unless told.
  ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
];
// stdin is not a terminal for Jupyter, so SIGINT/SIGTERM stop it without asking.
const child = spawn(python, args, { env: jupyterEnv(), stdio: ["ignore", "inherit", "inherit"] });
child.once("spawn", () => console.log(`\nThe lessons: ${url}\n(Ctrl-C stops the server)\n`));

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping Jupyter …");
  child.kill("SIGTERM");
  setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code, signal) => {
  if (stopping) console.log("Jupyter stopped.");
  process.exit(stopping ? 0 : code ?? (signal ? 1 : 0));
});
