/**
 * The lessons in a real browser (test/browser.test.ts): a Jupyter Notebook server on loopback
 * serving a COPY of notebooks/ (build/browser-nb/, so autosave can never touch the committed
 * lessons), Debian's Chromium driven by playwright-core, and a report of what each notebook
 * showed after "Run All": errors, figures (Plotly containers with their SVG), output text.
 *
 * Everything started here is stopped by its own handle (`server.stop()`, `browser.close()`),
 * never by name; kernels are shut down through the server's REST API before the server.
 */
import { spawn, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const root = join(__dirname, "..", "..");
/** Debian's Chromium; DLBB_CHROMIUM overrides the path (e.g. to check the "missing" message). */
export const CHROMIUM = process.env.DLBB_CHROMIUM || "/usr/bin/chromium";
/** Flags that work in CI containers (root, no GPU, no network besides loopback). */
export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
  "--disable-component-update", "--disable-sync", "--disable-quic",
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Lesson notebooks (NN-name.ipynb) in notebooks/, sorted; `only` keeps those whose name starts with one of its entries. */
export function lessonNotebooks(only?: string[]): string[] {
  const all = readdirSync(join(root, "notebooks")).filter((f) => /^\d\d-.+\.ipynb$/.test(f)).sort();
  return only && only.length ? all.filter((f) => only.some((o) => f.startsWith(o))) : all;
}

/** Copies notebooks/ (without checkpoints) into a fresh `dir`, which the server then serves. */
export function copyNotebooks(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "notebooks"), dir, { recursive: true, filter: (src) => !src.includes(".ipynb_checkpoints") });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface JupyterServer {
  base: string;
  token: string;
  child: ChildProcess;
  /** Server log (stdout + stderr), for failure messages. */
  log(): string;
  /** Shuts down the server's kernels (all of them, or the one of notebook `path`). */
  shutdownKernels(path?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Jupyter Notebook on 127.0.0.1 (a free port, a random token) serving `dir`. */
export async function startJupyter(dir: string, timeoutMs = 90_000): Promise<JupyterServer> {
  const jupyter = await import(join(root, "tools", "jupyter.mjs"));
  const python: string | null = jupyter.findPython();
  if (!python) throw new Error("No Python with Jupyter Notebook + nbclient: run `node tools/jupyter.mjs` (it installs Debian's packages) first");
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const base = `http://127.0.0.1:${port}`;
  const args = [
    "-m", "notebook", `--notebook-dir=${dir}`, "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--NotebookApp.token=${token}`, "--no-browser", "--MappingKernelManager.default_kernel_name=dl-building-blocks",
  ];
  if (process.getuid?.() === 0) args.push("--allow-root"); // CI containers run as root
  const child = spawn(python, args, { cwd: dir, env: jupyter.jupyterEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (b: Buffer) => { log = (log + b.toString()).slice(-20_000); };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => { exited = true; resolve(); }));
  // If the test process ends without stop() (killed by a CI timeout), SIGTERM still lets Jupyter shut its kernels down.
  const killOnExit = () => { if (!exited) child.kill("SIGTERM"); };
  process.once("exit", killOnExit);

  const api = (path: string, init?: RequestInit) => fetch(`${base}${path}`, { ...init, headers: { Authorization: `token ${token}` } });
  const server: JupyterServer = {
    base, token, child,
    log: () => log,
    async shutdownKernels(path?: string) {
      const sessions = (await (await api("/api/sessions")).json()) as Array<{ id: string; path: string }>;
      await Promise.all(sessions.filter((s) => path === undefined || s.path === path).map((s) => api(`/api/sessions/${s.id}`, { method: "DELETE" })));
      if (path !== undefined) return;
      const kernels = (await (await api("/api/kernels")).json()) as Array<{ id: string }>;
      await Promise.all(kernels.map((k) => api(`/api/kernels/${k.id}`, { method: "DELETE" })));
    },
    async stop() {
      process.removeListener("exit", killOnExit);
      if (exited) return;
      try {
        await server.shutdownKernels();
      } catch { /* the server may already be gone; SIGTERM below still cleans up its kernels */ }
      child.kill("SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exit;
      clearTimeout(killed);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Jupyter exited before it served ${base}:\n${log}`);
    try {
      if ((await api("/api/status")).ok) return server;
    } catch { /* not listening yet */ }
    await sleep(250);
  }
  await server.stop();
  throw new Error(`Jupyter did not answer on ${base} within ${timeoutMs / 1000} s:\n${log}`);
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Debian's Chromium headless with a fresh profile (a temp dir, removed by `close`). */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's Chromium (apt-get install chromium); playwright never downloads one here`);
  }
  const profile = mkdtempSync(join(tmpdir(), "dlbb-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 1000 }, timeout: 60_000,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    async close() {
      await Promise.race([context.close().catch(() => {}), sleep(30_000)]);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface FigureReport {
  /** Plotly drew into the figure: a .js-plotly-plot with svg.main-svg. */
  plotly: boolean;
  svgs: number;
  /** Drawn traces in the plot area: scatter, bar and contour traces (g.trace), heatmaps and images (g.hm). */
  traces: number;
  /** The figure's note (e.g. "(static picture: plotly.js is not loaded …)"). */
  note: string;
}
export interface CellReport {
  index: number;
  type: string;
  source: string;
  /** The execution count, null if the cell did not run (or has no code). */
  count: number | null;
  errors: string[];
  text: string;
  figures: FigureReport[];
}
export interface BrowserRun {
  name: string;
  seconds: number;
  cells: CellReport[];
  /** Plotly containers anywhere on the page, each with its count of svg.main-svg. */
  plotlyContainers: number[];
  pageErrors: string[];
  screenshot: string;
}

async function notebookState(page: Page): Promise<{ running: number; busy: boolean; runningCell: string; trouble?: string }> {
  return page.evaluate(() => {
    const J = (window as any).Jupyter;
    const cells = J.notebook.get_cells();
    const running = cells.filter((c: any) => c.element.hasClass("running"));
    return { running: running.length, busy: Boolean(J.notebook.kernel_busy), runningCell: running.length ? running[0].get_text().slice(0, 120) : "", trouble: (window as any).__dlbbKernelTrouble };
  });
}

function report(page: Page): Promise<{ cells: CellReport[]; plotlyContainers: number[] }> {
  return page.evaluate(() => {
    const J = (window as any).Jupyter;
    const cells = J.notebook.get_cells().map((c: any, index: number) => {
      const el: HTMLElement = c.element[0];
      const errors = [...el.querySelectorAll(".output_error, .output_stderr")].map((e) => (e as HTMLElement).innerText.trim());
      const figures = [...el.querySelectorAll(".dlbb-figure")].map((f) => {
        const plot = f.querySelector(".js-plotly-plot");
        return {
          plotly: Boolean(plot && plot.querySelector("svg.main-svg")),
          svgs: plot ? plot.querySelectorAll("svg.main-svg").length : 0,
          traces: plot ? plot.querySelectorAll(".overplot .trace, .overplot .hm").length : 0,
          note: (f.querySelector(".dlbb-note") as HTMLElement | null)?.innerText ?? "",
        };
      });
      const area = el.querySelector(".output_area") ? [...el.querySelectorAll(".output_subarea")].map((o) => (o as HTMLElement).innerText).join("\n") : "";
      const count = c.cell_type === "code" && typeof c.input_prompt_number === "number" ? c.input_prompt_number : null;
      return { index, type: c.cell_type, source: c.get_text(), count, errors, text: area, figures };
    });
    const plotlyContainers = [...document.querySelectorAll(".js-plotly-plot")].map((p) => p.querySelectorAll("svg.main-svg").length);
    return { cells, plotlyContainers };
  });
}

/**
 * Opens `name` from the server, runs all cells (Cell → Run All), waits until no cell runs and the
 * kernel is idle, then until every figure is drawn by Plotly (or `figureWaitMs` passed), saves a
 * full-page screenshot to `shotDir/<name>.png` and reports the page.
 */
export async function runInBrowser(
  context: BrowserContext, server: JupyterServer, name: string,
  opts: { timeoutMs: number; shotDir: string; figureWaitMs?: number },
): Promise<BrowserRun> {
  const start = Date.now();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  try {
    await page.goto(`${server.base}/notebooks/${encodeURIComponent(name)}?token=${server.token}`, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => {
      const J = (window as any).Jupyter;
      return Boolean(J && J.notebook && J.notebook._fully_loaded && J.notebook.kernel && J.notebook.kernel.is_connected() && !J.notebook.kernel_busy);
    }, undefined, { timeout: 120_000, polling: 250 }).catch((e) => {
      throw new Error(`${name}: the notebook page or its kernel did not get ready within 120 s (${e}); server log:\n${server.log().slice(-3000)}`);
    });
    await page.evaluate(() => {
      const J = (window as any).Jupyter, nb = J.notebook;
      // A dead or restarted kernel never finishes its queued cells: note it so the wait can stop at once.
      J.notebook.events.on("kernel_dead.Kernel kernel_restarting.Kernel kernel_autorestarting.Kernel kernel_connection_failed.Kernel",
        (e: { type: string }) => { (window as any).__dlbbKernelTrouble ??= e.type; });
      nb.set_autosave_interval(0); // the served folder is a copy anyway; no writes at all is better still
      nb.clear_all_output();
      nb.execute_all_cells();
    });
    const deadline = start + opts.timeoutMs;
    let idle = 0;
    for (;;) {
      const s = await notebookState(page);
      if (s.trouble) throw new Error(`${name}: the kernel stopped (${s.trouble}) while running ${JSON.stringify(s.runningCell)}; server log:\n${server.log().slice(-3000)}`);
      idle = s.running === 0 && !s.busy ? idle + 1 : 0;
      if (idle >= 3) break;
      if (Date.now() > deadline) {
        throw new Error(`${name}: not finished after ${opts.timeoutMs / 1000} s (${s.running} cells still running, kernel ${s.busy ? "busy" : "idle"}; running: ${JSON.stringify(s.runningCell)})`);
      }
      await sleep(500);
    }
    // Figures queue until plotly.js is unpacked on the page, then draw asynchronously.
    const figureWait = opts.figureWaitMs ?? 60_000;
    await page.waitForFunction(() => [...document.querySelectorAll(".dlbb-figure")].every((f) => f.querySelector(".js-plotly-plot svg.main-svg") && !f.querySelector(".dlbb-static:not([style*='none'])")),
      undefined, { timeout: figureWait, polling: 250 }).catch(() => { /* reported per figure below */ });
    const { cells, plotlyContainers } = await report(page);
    const seconds = (Date.now() - start) / 1000;
    mkdirSync(opts.shotDir, { recursive: true });
    const screenshot = join(opts.shotDir, name.replace(/\.ipynb$/, ".png"));
    // Notebook 6 scrolls inside #site; let the page grow so a full-page shot holds every cell.
    await page.evaluate(() => {
      document.body.style.overflow = "visible";
      document.body.style.height = "auto";
      const site = document.getElementById("site");
      if (site) { site.style.height = "auto"; site.style.overflow = "visible"; }
    });
    await page.screenshot({ path: screenshot, fullPage: true, timeout: 60_000 });
    // One picture per figure as well (build/screenshots/<lesson>/figure-NN.png), easier to look at.
    const figDir = join(opts.shotDir, name.replace(/\.ipynb$/, ""));
    rmSync(figDir, { recursive: true, force: true });
    mkdirSync(figDir, { recursive: true });
    const figures = page.locator(".dlbb-figure");
    for (let i = 0, n = await figures.count(); i < n; i++) {
      await figures.nth(i).screenshot({ path: join(figDir, `figure-${String(i + 1).padStart(2, "0")}.png`), timeout: 30_000 });
    }
    return { name, seconds, cells, plotlyContainers, pageErrors, screenshot };
  } finally {
    await page.close().catch(() => {});
    await server.shutdownKernels(name).catch(() => {}); // free the kernel's memory before the next lesson
  }
}

/** "cell 12 (In [9]) `const x = …`" for messages. */
export function describeCell(c: CellReport): string {
  const first = c.source.split("\n").find((l) => l.trim()) ?? "";
  return `cell ${c.index}${c.count !== null ? ` (In [${c.count}])` : ""} \`${first.slice(0, 100)}\``;
}
