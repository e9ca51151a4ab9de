/**
 * The lessons in a real browser (test/browser.test.ts): a Jupyter server on loopback — Notebook 7,
 * JupyterLab 4 (both from the project's .venv) or Debian's Notebook 6.4 — serving a COPY of the
 * lessons (build/browser/, so autosave can never touch the committed notebooks), Debian's Chromium
 * driven by playwright-core, and a report of what each notebook showed after "Run All": errors,
 * figures (Plotly charts or static pictures), output text.
 *
 * Everything started here is stopped by its own handle (`server.stop()`, `browser.close()`),
 * never by name; kernels are shut down through the server's REST API before the server.
 */
import { spawn, spawnSync, type ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

// The functions given to page.evaluate run in the page; this file is type-checked without the DOM
// library, so the page's globals are declared loosely here.
declare const window: any;
declare const document: any;
type El = any;

export const root = join(__dirname, "..", "..");
/** Debian's Chromium; DLBB_CHROMIUM overrides the path (e.g. to check the "missing" message). */
export const CHROMIUM = process.env.DLBB_CHROMIUM || "/usr/bin/chromium";
/** Flags that work in CI containers (root, no GPU, no network besides loopback). */
export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
  "--disable-component-update", "--disable-sync", "--disable-quic",
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An uncaught page error as its message and its first stack frames (what the test filters on). */
function pageError(e: Error): string {
  const frames = (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 6).map((l) => l.trim());
  return [String(e), ...frames].join("\n");
}

/** Lesson notebooks (NN-name.ipynb) in notebooks/, sorted; `only` keeps those whose name starts with one of its entries. */
export function lessonNotebooks(only?: string[]): string[] {
  const all = readdirSync(join(root, "notebooks")).filter((f) => /^\d\d-.+\.ipynb$/.test(f)).sort();
  return only && only.length ? all.filter((f) => only.some((o) => f.startsWith(o))) : all;
}

/**
 * Copies notebooks/ (without checkpoints) into `dir`/notebooks, and assets/ (the diagrams lessons
 * show as ../assets/NAME.svg) into `dir`/assets; the server then serves `dir`.
 */
export function copyNotebooks(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const skip = (src: string) => !src.includes(".ipynb_checkpoints");
  cpSync(join(root, "notebooks"), join(dir, "notebooks"), { recursive: true, filter: skip });
  if (existsSync(join(root, "assets"))) cpSync(join(root, "assets"), join(dir, "assets"), { recursive: true });
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

/** The three frontends the lessons are tried in. */
export type Frontend = "notebook7" | "lab" | "notebook6";
export const FRONTEND_NAMES: Record<Frontend, string> = { notebook7: "Notebook 7", lab: "JupyterLab 4", notebook6: "Notebook 6.4" };

/**
 * Which lessons test/browser.test.ts runs where (its header says why). `npm test` runs "default"; .ci/run
 * then runs "rest" (DLBB_BROWSER_REST=1); the two together, and "all" alone (DLBB_BROWSER_ALL=1), run every
 * lesson fresh in every frontend and reopen every lesson untrusted in JupyterLab and in Notebook 7.
 */
export type BrowserMode = "default" | "rest" | "all";
/** The lessons `npm test` runs in JupyterLab 4 and Notebook 6.4 (and reopens in Notebook 7) besides Notebook 7's every lesson. */
export const NPM_TEST_SUBSET = ["05"];
export interface BrowserPlan {
  frontends: Frontend[];
  /** Runs every lesson of the plan: Notebook 7 when it is among the frontends, else the first. */
  primary: Frontend;
  /** Per frontend, the lessons run fresh. */
  fresh: Partial<Record<Frontend, string[]>>;
  /** Whose saved copies are reopened: the primary's, if it is a .venv frontend (6.4 saves none that are reopened). */
  reopenFrom: Frontend | null;
  reopen: { lab: string[]; notebook7: string[] };
}
export function browserPlan(lessons: string[], mode: BrowserMode, chosen?: Frontend[]): BrowserPlan {
  const inSubset = (name: string) => NPM_TEST_SUBSET.includes(name.slice(0, 2));
  const planned = mode === "rest" ? lessons.filter((n) => !inSubset(n)) : lessons;
  const subset = mode === "default" ? planned.filter(inSubset) : planned;
  const frontends: Frontend[] = chosen && chosen.length ? chosen : mode === "rest" ? ["lab", "notebook6"] : ["notebook7", "lab", "notebook6"];
  const primary: Frontend = frontends.includes("notebook7") ? "notebook7" : frontends[0];
  const fresh = Object.fromEntries(frontends.map((f) => [f, f === primary ? planned : subset]));
  const reopenFrom = primary === "notebook6" ? null : primary;
  return { frontends, primary, fresh, reopenFrom, reopen: reopenFrom ? { lab: planned, notebook7: subset } : { lab: [], notebook7: [] } };
}

export interface JupyterServer {
  frontend: Frontend;
  base: string;
  token: string;
  child: ChildProcess;
  /** Server log (stdout + stderr), for failure messages. */
  log(): string;
  /** The page that opens notebook `path` (relative to the served folder). */
  notebookUrl(path: string): string;
  /** Shuts down the server's kernels (all of them, or the one of notebook `path`). */
  shutdownKernels(path?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  timeoutMs?: number;
  /** Jupyter's config and data folders for this server (default: the project's .jupyter). A fresh
   * data folder has no notebook signatures: every saved notebook opens untrusted. */
  configDir?: string;
  dataDir?: string;
  /** JupyterLab / Notebook 7 plugins to switch off (page_config.json "disabledExtensions"). */
  disabledPlugins?: string[];
  /** Environment for the kernels (e.g. DLBB_PLOTLY). */
  env?: Record<string, string>;
}

/**
 * Which Jupyter a frontend needs, or why it is not available here: Notebook 7 and JupyterLab 4 come
 * from the project's .venv (`node tools/jupyter.mjs` sets it up), Notebook 6.4 from Debian.
 */
export async function jupyterFor(frontend: Frontend): Promise<{ python: string; notebookMajor: number; lab: boolean } | string> {
  const jupyter = await import(join(root, "tools", "jupyter.mjs"));
  if (frontend === "notebook6") {
    const info = jupyter.findJupyter("debian");
    if (info && info.notebookMajor === 6) return info;
    return "Debian's Notebook 6.4 is not installed (apt-get install jupyter-notebook python3-nbclient)";
  }
  const info = jupyter.findJupyter("venv");
  if (info) return info;
  return "the project's .venv with Notebook 7 + JupyterLab 4 is not set up (run `node tools/jupyter.mjs`)";
}

/** Starts Jupyter (`frontend`) on 127.0.0.1 (a free port, a random token) serving `dir`. */
export async function startJupyter(dir: string, frontend: Frontend, opts: ServerOptions = {}): Promise<JupyterServer> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const jupyter = await import(join(root, "tools", "jupyter.mjs"));
  const { serverCommand } = await import(join(root, "tools", "start.mjs"));
  const info = await jupyterFor(frontend);
  if (typeof info === "string") throw new Error(`${FRONTEND_NAMES[frontend]}: ${info}`);
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = jupyter.jupyterEnv(opts.env ?? {});
  if (opts.configDir) env.JUPYTER_CONFIG_DIR = opts.configDir;
  if (opts.dataDir) env.JUPYTER_DATA_DIR = opts.dataDir;
  for (const d of [env.JUPYTER_CONFIG_DIR, env.JUPYTER_DATA_DIR]) mkdirSync(d, { recursive: true });
  if (frontend !== "notebook6") {
    // No announcements pop-up; plugins switched off by id; every cell in the DOM (no windowing), so
    // the report sees the whole notebook.
    const disabled: Record<string, boolean> = { "@jupyterlab/apputils-extension:announcements": true };
    for (const id of opts.disabledPlugins ?? []) disabled[id] = true;
    mkdirSync(join(env.JUPYTER_CONFIG_DIR, "labconfig"), { recursive: true });
    writeFileSync(join(env.JUPYTER_CONFIG_DIR, "labconfig", "page_config.json"), JSON.stringify({ exposeAppInBrowser: true, disabledExtensions: disabled }, null, 2));
    const settings = join(env.JUPYTER_CONFIG_DIR, "lab", "user-settings", "@jupyterlab", "notebook-extension");
    mkdirSync(settings, { recursive: true });
    writeFileSync(join(settings, "tracker.jupyterlab-settings"), JSON.stringify({ windowingMode: "none" }));
  }
  const app = frontend === "lab" ? "lab" : "notebook";
  const { args } = serverCommand(info, { app, dir, port, token, browser: false, openPath: "notebooks" }) as { args: string[] };
  const child = spawn(info.python, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
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
    frontend, base, token, child,
    log: () => log,
    notebookUrl: (path) => {
      const p = path.split("/").map(encodeURIComponent).join("/");
      // ?reset: an empty workspace. Without it JupyterLab restores every notebook opened before on
      // this server (one more tab, and kernel, per lesson: the eighth lesson opened all eight).
      if (frontend === "lab") return `${base}/lab/tree/${p}?reset&token=${token}`;
      return `${base}/notebooks/${p}?token=${token}`;
    },
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

/**
 * Debian's Chromium for the browser test: there already, or installed with apt-get when we are root
 * (as the kit installs Jupyter), quietly. Returns null when it is there, else one line saying why the
 * browser test cannot run and how to enable it.
 */
export function ensureChromium(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const enable = `install Debian's Chromium (sudo apt-get install chromium fonts-nanum) or point DLBB_CHROMIUM at a Chromium to enable them`;
  if (process.env.DLBB_CHROMIUM) return `${CHROMIUM} (DLBB_CHROMIUM) does not exist: ${enable}`;
  const root = process.platform === "linux" && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!root) return `${CHROMIUM} is missing: ${enable}`;
  console.log("browser test: installing Debian's chromium and fonts-nanum with apt-get (quietly, ~1 min) …");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const apt = (args: string[]) => spawnSync("apt-get", args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  let r = apt(["update", "-qq"]);
  if (r.status === 0) r = apt(["install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-nanum"]);
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    return `${CHROMIUM} is missing and apt-get could not install it (${`${r.stderr}`.trim().split("\n").slice(-2).join(" ")}): ${enable}`;
  }
  return null;
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
  /** JupyterLab / Notebook 7's Plotly renderer shows its own PNG snapshot of the chart it drew (loaded). */
  rendererSnapshot?: boolean;
  /** A static picture is shown instead: a loaded data-URI <img> (JupyterLab / Notebook 7 reports). */
  picture?: boolean;
  /** Inline <svg> outside a Plotly chart (what sanitizers turn into loose text). */
  inlineSvg?: boolean;
  /** The output's visible text. */
  text?: string;
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
  /**
   * The text of each output of this cell that shows training progress ("Epoch N…"): one per progress
   * bar the cell ran (a cell may train several times), each in its final state when bars update in place.
   */
  progressOutputs?: string[];
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
    const J = window.Jupyter;
    const cells = J.notebook.get_cells();
    const running = cells.filter((c: any) => c.element.hasClass("running"));
    return { running: running.length, busy: Boolean(J.notebook.kernel_busy), runningCell: running.length ? running[0].get_text().slice(0, 120) : "", trouble: window.__dlbbKernelTrouble };
  });
}

function report(page: Page): Promise<{ cells: CellReport[]; plotlyContainers: number[] }> {
  return page.evaluate(() => {
    const J = window.Jupyter;
    const cells = J.notebook.get_cells().map((c: any, index: number) => {
      const el: El = c.element[0];
      const errors = [...el.querySelectorAll(".output_error, .output_stderr")].map((e) => (e as El).innerText.trim());
      const figures = [...el.querySelectorAll(".dlbb-figure")].map((f) => {
        const plot = f.querySelector(".js-plotly-plot");
        return {
          plotly: Boolean(plot && plot.querySelector("svg.main-svg")),
          svgs: plot ? plot.querySelectorAll("svg.main-svg").length : 0,
          traces: plot ? plot.querySelectorAll(".overplot .trace, .overplot .hm").length : 0,
          note: (f.querySelector(".dlbb-note") as El | null)?.innerText ?? "",
        };
      });
      const area = el.querySelector(".output_area") ? [...el.querySelectorAll(".output_subarea")].map((o) => (o as El).innerText).join("\n") : "";
      const count = c.cell_type === "code" && typeof c.input_prompt_number === "number" ? c.input_prompt_number : null;
      return { index, type: c.cell_type, source: c.get_text(), count, errors, text: area, figures };
    });
    const plotlyContainers = [...document.querySelectorAll(".js-plotly-plot")].map((p) => p.querySelectorAll("svg.main-svg").length);
    return { cells, plotlyContainers };
  });
}

/**
 * Called with the lesson's page after the run, its report and its screenshots, before the page closes
 * (test/browser-korean.test.ts looks at the executed page: its glossary table, diagrams, fonts).
 */
export type Inspect = (page: Page) => Promise<void>;

/**
 * Opens `name` from the server, runs all cells (Cell → Run All), waits until no cell runs and the
 * kernel is idle, then until every figure is drawn by Plotly (or `figureWaitMs` passed), saves a
 * full-page screenshot to `shotDir/<name>.png` and reports the page.
 */
export async function runInBrowser(
  context: BrowserContext, server: JupyterServer, name: string,
  opts: { timeoutMs: number; shotDir: string; figureWaitMs?: number; inspect?: Inspect },
): Promise<BrowserRun> {
  return server.frontend === "notebook6" ? runInClassic(context, server, name, opts) : runInLab(context, server, name, { ...opts, save: true });
}

async function runInClassic(
  context: BrowserContext, server: JupyterServer, name: string,
  opts: { timeoutMs: number; shotDir: string; figureWaitMs?: number; inspect?: Inspect },
): Promise<BrowserRun> {
  const start = Date.now();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(pageError(e)));
  try {
    await page.goto(server.notebookUrl(`notebooks/${name}`), { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => {
      const J = window.Jupyter;
      return Boolean(J && J.notebook && J.notebook._fully_loaded && J.notebook.kernel && J.notebook.kernel.is_connected() && !J.notebook.kernel_busy);
    }, undefined, { timeout: 120_000, polling: 250 }).catch((e) => {
      throw new Error(`${name}: the notebook page or its kernel did not get ready within 120 s (${e}); server log:\n${server.log().slice(-3000)}`);
    });
    await page.evaluate(() => {
      const J = window.Jupyter, nb = J.notebook;
      // A dead or restarted kernel never finishes its queued cells: note it so the wait can stop at once.
      J.notebook.events.on("kernel_dead.Kernel kernel_restarting.Kernel kernel_autorestarting.Kernel kernel_connection_failed.Kernel",
        (e: { type: string }) => { window.__dlbbKernelTrouble ??= e.type; });
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
    await opts.inspect?.(page);
    return { name, seconds, cells, plotlyContainers, pageErrors, screenshot };
  } finally {
    await page.close().catch(() => {});
    await server.shutdownKernels(`notebooks/${name}`).catch(() => {}); // free the kernel's memory before the next lesson
  }
}

// ---------------------------------------------------------------------------------------------
// JupyterLab 4 and Notebook 7: one application (window.jupyterapp, exposed by startJupyter's
// page_config "exposeAppInBrowser"), driven through its commands and models, not by clicking.

/** The notebook panel of `path` once its kernel is connected and idle. */
async function openLab(page: Page, server: JupyterServer, path: string, name: string, needKernel = true): Promise<void> {
  await page.goto(server.notebookUrl(path), { waitUntil: "domcontentloaded" });
  await page.waitForFunction(([p, needKernel]: [string, boolean]) => {
    const w = window.jupyterapp?.shell?.currentWidget;
    if (w?.context?.path !== p || !w.context.isReady || !(w.content.widgets.length > 0)) return false;
    if (!needKernel) return true;
    const kernel = w.sessionContext?.session?.kernel;
    return Boolean(kernel && kernel.connectionStatus === "connected" && kernel.status === "idle");
  }, [path, needKernel] as [string, boolean], { timeout: 120_000, polling: 250 }).catch((e) => {
    throw new Error(`${name}: the notebook page or its kernel did not get ready within 120 s (${e}); server log:\n${server.log().slice(-3000)}`);
  });
}

/** What a JupyterLab / Notebook 7 page shows, per cell, from the cells' models and output nodes. */
function labReport(page: Page): Promise<{ cells: CellReport[]; plotlyContainers: number[] }> {
  return page.evaluate(() => {
    const w = window.jupyterapp.shell.currentWidget;
    let figureNo = 0;
    const cells = w.content.widgets.map((cell: any, index: number) => {
      const model = cell.model;
      const code = model.type === "code";
      const errors: string[] = [], texts: string[] = [], figures: any[] = [];
      const progressOutputs: string[] = [];
      if (code) {
        const outputs = model.outputs;
        for (let i = 0; i < outputs.length; i++) {
          const out = outputs.get(i);
          const node: El = cell.outputArea.widgets[i]?.node.querySelector(".jp-OutputArea-output");
          const text: string = node ? node.innerText : "";
          if (out.type === "stream" && out.toJSON().name === "stderr") errors.push(text.trim());
          if (out.type === "error") errors.push(text.trim());
          if (/^Epoch \d+/m.test(text)) progressOutputs.push(text);
          texts.push(text);
          if (!out.data || !out.data["application/vnd.plotly.v1+json"] || !node) continue;
          // The renderer draws into the output node itself (it becomes the .js-plotly-plot).
          const plot = node.matches(".js-plotly-plot") ? node : node.querySelector(".js-plotly-plot");
          const img = node.querySelector("img");
          // The plotly package's renderer draws the chart, then stores Plotly.toImage's PNG of it in
          // the output ("image/png"), which re-renders the output as that snapshot (img.plot-img)
          // until the mouse enters it.
          // It puts an empty img.plot-img into every output at once, so only a loaded PNG counts.
          const shot = node.classList.contains("jp-RenderedPlotly") ? node.querySelector("img.plot-img") : null;
          const snapshot = shot && /^data:image\/png;base64,.{100}/.test(shot.getAttribute("src") ?? "") && shot.complete && shot.naturalWidth > 0 ? shot : null;
          node.setAttribute("data-dlbb-fig", String(++figureNo));
          figures.push({
            plotly: Boolean((plot && plot.querySelector("svg.main-svg")) || snapshot),
            rendererSnapshot: Boolean(snapshot && !(plot && plot.querySelector("svg.main-svg"))),
            svgs: plot ? plot.querySelectorAll("svg.main-svg").length : 0,
            traces: plot ? plot.querySelectorAll(".overplot .trace, .overplot .hm").length : 0,
            note: node.querySelector(".dlbb-note")?.innerText ?? `(output: ${node.outerHTML.replace(/(data:[^;,"]+[;,])[^"]{20,}/g, "$1…").slice(0, 300)})`,
            picture: Boolean(img && /^data:image\/(svg\+xml|png)/.test(img.getAttribute("src") ?? "") && img.complete && img.naturalWidth > 0),
            inlineSvg: [...node.querySelectorAll("svg")].some((s: El) => !s.closest(".js-plotly-plot")),
            text: text.trim(),
          });
        }
      }
      return {
        index, type: model.type, source: model.sharedModel.getSource(), count: code ? model.executionCount ?? null : null,
        errors, text: texts.join("\n"), figures, progressOutputs,
      };
    });
    const plotlyContainers = [...document.querySelectorAll(".jp-Notebook .js-plotly-plot")].map((p: El) => p.querySelectorAll("svg.main-svg").length);
    return { cells, plotlyContainers };
  });
}

/** One picture per figure (build/screenshots/<frontend>/<lesson>/figure-NN.png). */
async function figureShots(page: Page, dir: string, count: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= count; i++) {
    await page.locator(`[data-dlbb-fig="${i}"]`).screenshot({ path: join(dir, `figure-${String(i).padStart(2, "0")}.png`), timeout: 30_000 }).catch(() => {});
  }
}

/**
 * Opens notebooks/`name` in JupyterLab 4 or Notebook 7, runs all cells (notebook:run-all-cells),
 * waits until the kernel is idle with no cell running, then until every figure is drawn, saves
 * the executed notebook (when `save`) and reports the page; figure screenshots to `shotDir/<name>/`.
 */
export async function runInLab(
  context: BrowserContext, server: JupyterServer, name: string,
  opts: { timeoutMs: number; shotDir: string; figureWaitMs?: number; save?: boolean; inspect?: Inspect },
): Promise<BrowserRun> {
  const start = Date.now();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(pageError(e)));
  const path = `notebooks/${name}`;
  try {
    await openLab(page, server, path, name);
    await page.evaluate(async () => {
      const app = window.jupyterapp, w = app.shell.currentWidget;
      const kernel = () => w.sessionContext.session?.kernel;
      w.sessionContext.statusChanged.connect((_: unknown, status: string) => {
        if (["dead", "restarting", "autorestarting"].includes(status)) window.__dlbbKernelTrouble ??= status;
      });
      void kernel;
      await app.commands.execute("notebook:clear-all-cell-outputs");
      await app.commands.execute("notebook:run-all-cells");
    });
    const deadline = start + opts.timeoutMs;
    let idle = 0;
    for (;;) {
      const s = await page.evaluate(() => {
        const w = window.jupyterapp.shell.currentWidget;
        const running = w.content.widgets.filter((c: any) => c.model.type === "code" && (c.model.executionState === "running" || /\[\*\]/.test(c.node.querySelector(".jp-InputPrompt")?.innerText ?? "")));
        return { running: running.length, busy: w.sessionContext.session?.kernel?.status !== "idle", runningCell: running.length ? running[0].model.sharedModel.getSource().slice(0, 120) : "", trouble: window.__dlbbKernelTrouble as string | undefined };
      });
      if (s.trouble) throw new Error(`${name}: the kernel stopped (${s.trouble}) while running ${JSON.stringify(s.runningCell)}; server log:\n${server.log().slice(-3000)}`);
      idle = s.running === 0 && !s.busy ? idle + 1 : 0;
      if (idle >= 3) break;
      if (Date.now() > deadline) {
        throw new Error(`${name}: not finished after ${opts.timeoutMs / 1000} s (${s.running} cells still running, kernel ${s.busy ? "busy" : "idle"}; running: ${JSON.stringify(s.runningCell)})`);
      }
      await sleep(500);
    }
    // Figures are drawn by the Plotly renderer (or the kit's script) asynchronously, and only once
    // they are in view: bring each figure not drawn yet into view in turn.
    await page.waitForFunction(() => {
      const w = window.jupyterapp.shell.currentWidget;
      return w.content.widgets.every((cell: any) => {
        if (cell.model.type !== "code") return true;
        const outs = cell.model.outputs;
        for (let i = 0; i < outs.length; i++) {
          const o = outs.get(i), node = cell.outputArea.widgets[i]?.node;
          // Drawn: Plotly's SVG, or the renderer's PNG snapshot loaded. Not just img.plot-img: the
          // renderer puts that (empty) element into every output at once, before drawing anything.
          const shot = node?.querySelector(".jp-RenderedPlotly img.plot-img");
          const drawn = node?.querySelector(".js-plotly-plot svg.main-svg")
            || (shot && /^data:image\/png;base64,.{100}/.test(shot.getAttribute("src") ?? "") && shot.complete && shot.naturalWidth > 0);
          if (o.data && o.data["application/vnd.plotly.v1+json"] && !drawn) {
            node?.scrollIntoView();
            return false;
          }
        }
        return true;
      });
    }, undefined, { timeout: opts.figureWaitMs ?? 60_000, polling: 250 }).catch(() => { /* reported per figure below */ });
    const { cells, plotlyContainers } = await labReport(page);
    if (opts.save) await page.evaluate(() => window.jupyterapp.shell.currentWidget.context.save());
    mkdirSync(opts.shotDir, { recursive: true });
    const screenshot = join(opts.shotDir, name.replace(/\.ipynb$/, ".png"));
    await page.screenshot({ path: screenshot, timeout: 60_000 });
    await figureShots(page, join(opts.shotDir, name.replace(/\.ipynb$/, "")), cells.reduce((n, c) => n + c.figures.length, 0));
    await opts.inspect?.(page);
    return { name, seconds: (Date.now() - start) / 1000, cells, plotlyContainers, pageErrors, screenshot };
  } finally {
    await page.close().catch(() => {});
    await server.shutdownKernels(path).catch(() => {});
  }
}

/**
 * Opens an executed notebook (notebooks/`name` as saved on the server) WITHOUT running it, and
 * reports what its saved outputs look like: for a server with a fresh data folder the notebook is
 * untrusted; with the Plotly renderer plugin switched off, each figure falls back to its HTML.
 */
export async function reopenInLab(context: BrowserContext, server: JupyterServer, name: string, shotDir: string): Promise<BrowserRun> {
  const start = Date.now();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(pageError(e)));
  const path = `notebooks/${name}`;
  try {
    // the saved outputs are all there is to see: no need to wait for the kernel the page starts
    await openLab(page, server, path, name, false);
    // every figure's output rendered and each picture in it decoded (what is not, is reported below)
    await page.waitForFunction(() => {
      const w = window.jupyterapp.shell.currentWidget;
      return w.content.widgets.every((cell: any) => {
        if (cell.model.type !== "code") return true;
        const outs = cell.model.outputs;
        for (let i = 0; i < outs.length; i++) {
          if (!outs.get(i).data?.["application/vnd.plotly.v1+json"]) continue;
          const node = cell.outputArea.widgets[i]?.node;
          if (!node) return false;
          for (const img of node.querySelectorAll("img")) if (!img.complete) return false;
        }
        return true;
      });
    }, undefined, { timeout: 30_000, polling: 250 }).catch(() => { /* reported per figure below */ });
    await sleep(250);
    const { cells, plotlyContainers } = await labReport(page);
    mkdirSync(shotDir, { recursive: true });
    const screenshot = join(shotDir, name.replace(/\.ipynb$/, ".png"));
    await page.screenshot({ path: screenshot, timeout: 60_000 });
    await figureShots(page, join(shotDir, name.replace(/\.ipynb$/, "")), cells.reduce((n, c) => n + c.figures.length, 0));
    return { name, seconds: (Date.now() - start) / 1000, cells, plotlyContainers, pageErrors, screenshot };
  } finally {
    await page.close().catch(() => {});
    await server.shutdownKernels(path).catch(() => {});
  }
}

/** "cell 12 (In [9]) `const x = …`" for messages. */
export function describeCell(c: CellReport): string {
  const first = c.source.split("\n").find((l) => l.trim()) ?? "";
  return `cell ${c.index}${c.count !== null ? ` (In [${c.count}])` : ""} \`${first.slice(0, 100)}\``;
}

// ---------------------------------------------------------------------------------------------
// Hangul on a page (test/browser-korean.test.ts; reusable for any page with Korean text, e.g. the
// grader's feedback pages): no tofu boxes, no clipped text, SVG labels inside their boxes.

/** Hangul syllables and compatibility jamo (the fillers U+3164 and U+318F left out: they draw nothing). */
const HANGUL_RE = "[\\u3131-\\u3163\\u3165-\\u318e\\uac00-\\ud7a3]";

export interface HangulReport {
  /** Hangul characters in the selection's visible text (0: only the fonts in `families` were probed). */
  hangul: number;
  /** Per font in use (a CSS font shorthand: style, weight, family): the distinct Hangul characters drawn, and those drawn as tofu. */
  fonts: Array<{ font: string; tried: number; tofu: string[] }>;
  /** The fonts Chromium actually drew the Hangul-bearing elements with (CDP CSS.getPlatformFontsForNode), family → glyphs. */
  platformFonts: Record<string, number>;
  /** Empty when Hangul renders: no tofu, no block with Hangul text wider than its box. */
  problems: string[];
}

/**
 * Does the Hangul in `selector` (every match) really render? For each font the selection's Hangul text
 * uses (its computed font-family, weight and style) and each of `opts.families` (e.g. a figure's font
 * stack that has no Hangul on the page yet), it draws "가", "힣" and every distinct Hangul character
 * of the text into a canvas with exactly that font, and compares the pixels with characters no font
 * has (U+10FFFD, U+0378): a missing glyph is drawn as the same tofu box (.notdef) for all of them,
 * so a Hangul character that looks like them, draws no ink, or "가" that looks like "힣", is tofu.
 * Canvas text uses the page's own font matching and per-character fallback, so this is what the
 * page shows. It also reports every block (not inline, not SVG) with Hangul text whose content is
 * wider than its box (scrollWidth > clientWidth: cut off or spilling out).
 * Can it fail? Not by naming missing fonts: Chromium falls back per character to any installed font
 * that has the glyph, so "'No Such Font', 'DejaVu Sans'" still draws Hangul in NanumGothic. Only a
 * browser that finds no Hangul font draws tofu — launchChromiumWithoutHangul() starts one, and
 * test/browser-korean.test.ts checks that this function reports tofu there.
 */
export async function checkHangul(page: Page, selector: string, opts: { families?: string[]; maxChars?: number } = {}): Promise<HangulReport> {
  const found = await page.evaluate(async ({ selector, families, maxChars, hangulRe }) => {
    await document.fonts.ready;
    const HANGUL = new RegExp(hangulRe, "g");
    const problems: string[] = [];
    const roots: El[] = [...document.querySelectorAll(selector)];
    if (!roots.length) problems.push(`nothing on the page matches ${selector}`);
    const byFont = new Map<string, Set<string>>();
    const use = (font: string) => byFont.get(font) ?? byFont.set(font, new Set()).get(font)!;
    let hangul = 0, marked = 0;
    const clipped = new Set<El>();
    for (const root of roots) {
      const walker = document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const chars: string[] = t.data.match(HANGUL) ?? [];
        const el: El = t.parentElement;
        if (!chars.length || !el || el.getClientRects().length === 0) continue; // not rendered (display: none)
        const cs = window.getComputedStyle(el);
        if (cs.visibility !== "visible") continue;
        hangul += chars.length;
        const set = use(`${cs.fontStyle} ${cs.fontWeight} 40px ${cs.fontFamily}`);
        for (const c of chars) set.add(c);
        if (marked < 40 && !el.hasAttribute("data-dlbb-hangul")) { el.setAttribute("data-dlbb-hangul", ""); marked++; }
        if (el instanceof window.SVGElement) continue; // SVG text has no box of its own: see checkSvgLayout
        let block: El = el;
        while (block && block !== root && window.getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
        if (block && !clipped.has(block) && block.scrollWidth > block.clientWidth + 1) {
          clipped.add(block);
          problems.push(`text is wider than its <${block.tagName.toLowerCase()}> (${block.scrollWidth} px in ${block.clientWidth} px): "${block.textContent.trim().slice(0, 80)}"`);
        }
      }
    }
    for (const f of families) use(`normal 400 40px ${f}`);
    // One canvas; each character drawn alone, its alpha channel hashed.
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 56;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    const draw = (font: string, ch: string) => {
      ctx.clearRect(0, 0, 56, 56);
      ctx.font = font;
      ctx.textBaseline = "middle";
      ctx.fillText(ch, 4, 28);
      const d = ctx.getImageData(0, 0, 56, 56).data;
      let h = 2166136261, ink = 0;
      for (let i = 3; i < d.length; i += 4) { h = Math.imul(h ^ d[i], 16777619) >>> 0; if (d[i]) ink++; }
      return { h, ink };
    };
    const fonts: Array<{ font: string; tried: number; tofu: string[] }> = [];
    for (const [font, set] of byFont) {
      ctx.font = "10px serif";
      ctx.font = font;
      if (ctx.font === "10px serif") { problems.push(`the canvas does not understand the font "${font}"`); continue; }
      const missing = new Set(["\u{10FFFD}", "\u0378"].map((c) => draw(font, c).h));
      const chars = [...new Set(["가", "힣", ...set])].slice(0, maxChars);
      const tofu = chars.filter((c) => { const g = draw(font, c); return g.ink === 0 || missing.has(g.h); });
      if (!tofu.length && draw(font, "가").h === draw(font, "힣").h) tofu.push("가", "힣");
      fonts.push({ font, tried: chars.length, tofu });
      if (tofu.length) problems.push(`${font}: ${tofu.length} of ${chars.length} Hangul characters drawn as tofu boxes (${tofu.slice(0, 12).join(" ")})`);
    }
    return { hangul, fonts, problems };
  }, { selector, families: opts.families ?? [], maxChars: opts.maxChars ?? 400, hangulRe: HANGUL_RE });
  // Which fonts the page really drew the marked elements with (informative: a tofu page shows a font without Hangul here).
  const platformFonts: Record<string, number> = {};
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
    const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: "[data-dlbb-hangul]" });
    for (const nodeId of nodeIds) {
      const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
      for (const f of fonts) platformFonts[f.familyName] = (platformFonts[f.familyName] ?? 0) + f.glyphCount;
    }
  } finally {
    await cdp.detach().catch(() => {});
    await page.evaluate(() => { for (const e of document.querySelectorAll("[data-dlbb-hangul]")) e.removeAttribute("data-dlbb-hangul"); });
  }
  return { ...found, platformFonts };
}

export interface SvgLayoutReport {
  /** Per SVG (its `data-name`, else its position): texts checked, texts inside a box (a rect or circle), problems. */
  svgs: Array<{ name: string; texts: number; boxed: number }>;
  problems: string[];
}

/**
 * Text layout of every <svg> matching `selector`, measured with the fonts the page really uses
 * (getBBox): each non-empty <text> lies inside the viewBox; inside its box — the smallest <rect>
 * (other than a background covering the whole viewBox) or <circle> that holds the text's anchor
 * point (x, and y a third of the font size above the baseline), which is how tools/draw-assets.mjs
 * puts labels in boxes; and overlaps no other text. Horizontally the measure is the real advance
 * width; vertically the line box is cut to the em box (baseline − 1 em … baseline + 0.3 em), as a
 * font's line box (NanumGothic ~1.15 em, Noto CJK ~1.45 em) holds no ink above or below that.
 * Tolerance: 0.5 px. Texts with a transform are measured in the SVG's coordinates (their corners).
 */
export async function checkSvgLayout(page: Page, selector: string): Promise<SvgLayoutReport> {
  return page.evaluate((selector: string) => {
    const TOL = 0.5;
    const problems: string[] = [];
    const svgs: Array<{ name: string; texts: number; boxed: number }> = [];
    const all: El[] = [...document.querySelectorAll(selector)].filter((s: El) => s.tagName.toLowerCase() === "svg");
    if (!all.length) problems.push(`no <svg> on the page matches ${selector}`);
    all.forEach((svg: El, k: number) => {
      const name = svg.getAttribute("data-name") ?? svg.closest("[data-name]")?.getAttribute("data-name") ?? `svg ${k + 1}`;
      const vbv = svg.viewBox.baseVal;
      const vb = vbv && vbv.width ? { x: vbv.x, y: vbv.y, w: vbv.width, h: vbv.height } : { x: 0, y: 0, w: svg.width.baseVal.value, h: svg.height.baseVal.value };
      const toSvg = (el: El) => svg.getScreenCTM().inverse().multiply(el.getScreenCTM());
      // A box in the SVG's user space from a box in an element's own space (the corners, mapped).
      const mapBox = (el: El, b: { x: number; y: number; width: number; height: number }) => {
        const m = toSvg(el);
        const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
          .map(([x, y]) => ({ x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f }));
        const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
        return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
      };
      const mapPoint = (el: El, x: number, y: number) => { const m = toSvg(el); return { x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f }; };
      const rects = [...svg.querySelectorAll("rect")].map((r: El) => mapBox(r, r.getBBox()))
        .filter((b) => !(b.x0 <= vb.x + 1 && b.y0 <= vb.y + 1 && b.x1 >= vb.x + vb.w - 1 && b.y1 >= vb.y + vb.h - 1));
      const circles = [...svg.querySelectorAll("circle")].map((c: El) => {
        const b = mapBox(c, c.getBBox());
        return { cx: (b.x0 + b.x1) / 2, cy: (b.y0 + b.y1) / 2, r: (b.x1 - b.x0) / 2 };
      });
      const texts = [...svg.querySelectorAll("text")].filter((t: El) => t.textContent.trim() !== "" && t.getClientRects().length > 0);
      const boxes: Array<{ s: string; x0: number; x1: number; y0: number; y1: number }> = [];
      let boxed = 0;
      for (const t of texts as El[]) {
        const s = t.textContent.trim();
        const what = `${name}: "${s.slice(0, 60)}"`;
        const size = parseFloat(window.getComputedStyle(t).fontSize);
        const x = t.x.baseVal.numberOfItems ? t.x.baseVal.getItem(0).value : 0;
        const y = t.y.baseVal.numberOfItems ? t.y.baseVal.getItem(0).value : 0;
        const bb = t.getBBox();
        const top = Math.max(bb.y, y - size), bottom = Math.min(bb.y + bb.height, y + 0.3 * size);
        const b = mapBox(t, { x: bb.x, y: top, width: bb.width, height: Math.max(0, bottom - top) });
        const f = (v: number) => Math.round(v * 10) / 10;
        const at = `[${f(b.x0)}…${f(b.x1)}] × [${f(b.y0)}…${f(b.y1)}]`;
        if (b.x0 < vb.x - TOL || b.x1 > vb.x + vb.w + TOL || b.y0 < vb.y - TOL || b.y1 > vb.y + vb.h + TOL) {
          problems.push(`${what} at ${at} leaves the viewBox ${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
        }
        const a = mapPoint(t, x, y - size / 3);
        const rect = rects.filter((r) => a.x >= r.x0 && a.x <= r.x1 && a.y >= r.y0 && a.y <= r.y1)
          .sort((p, q) => (p.x1 - p.x0) * (p.y1 - p.y0) - (q.x1 - q.x0) * (q.y1 - q.y0))[0];
        const circle = circles.filter((c) => Math.hypot(a.x - c.cx, a.y - c.cy) <= c.r).sort((p, q) => p.r - q.r)[0];
        if (circle && (!rect || Math.PI * circle.r ** 2 < (rect.x1 - rect.x0) * (rect.y1 - rect.y0))) {
          boxed++;
          const far = Math.max(...[[b.x0, b.y0], [b.x1, b.y0], [b.x0, b.y1], [b.x1, b.y1]].map(([px, py]) => Math.hypot(px - circle.cx, py - circle.cy)));
          if (far > circle.r + TOL) problems.push(`${what} at ${at} sticks out of its circle (r ${f(circle.r)} at ${f(circle.cx)}, ${f(circle.cy)}) by ${f(far - circle.r)} px`);
        } else if (rect) {
          boxed++;
          const out = Math.max(rect.x0 - b.x0, b.x1 - rect.x1, rect.y0 - b.y0, b.y1 - rect.y1);
          if (out > TOL) problems.push(`${what} at ${at} sticks out of its box [${f(rect.x0)}…${f(rect.x1)}] × [${f(rect.y0)}…${f(rect.y1)}] by ${f(out)} px`);
        }
        for (const o of boxes) {
          const ox = Math.min(o.x1, b.x1) - Math.max(o.x0, b.x0), oy = Math.min(o.y1, b.y1) - Math.max(o.y0, b.y0);
          if (ox > TOL && oy > TOL) problems.push(`${what} overlaps "${o.s.slice(0, 60)}" (${f(ox)} × ${f(oy)} px)`);
        }
        boxes.push({ s, ...b });
      }
      svgs.push({ name, texts: texts.length, boxed });
    });
    return { svgs, problems };
  }, selector);
}

/**
 * A page holding each SVG inline (not as <img>), in a <div data-name="NAME"> each, on a white page:
 * what checkSvgLayout and checkHangul measure, and what a screenshot of `[data-name="NAME"] > svg` shows.
 */
export async function showSvgsInline(page: Page, svgs: Array<{ name: string; svg: string }>): Promise<void> {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const body = svgs.map(({ name, svg }) => `<div data-name="${esc(name)}" style="margin:8px 0">${svg.replace(/^<\?xml[^>]*>\s*/, "")}</div>`).join("\n");
  await page.setContent(`<!doctype html><html lang="ko"><head><meta charset="utf-8"><style>body{margin:8px;background:#fff}</style></head><body>${body}</body></html>`);
  await page.evaluate(() => document.fonts.ready);
}

/**
 * Chromium as launchChromium starts it, but seeing no font that has Hangul: a fontconfig file
 * (FONTCONFIG_FILE) includes the system's configuration and rejects every font file `fc-list` lists
 * with U+AC00 "가". There Hangul can only be tofu — what checkHangul must then report (its negative
 * control). Returns the reason instead when fontconfig's `fc-list` is missing.
 */
export async function launchChromiumWithoutHangul(): Promise<Chromium | string> {
  const list = spawnSync("fc-list", ["-f", "%{file}\\n", ":charset=ac00"], { encoding: "utf8" });
  if (list.status !== 0) return `fontconfig's fc-list is not available (${list.error?.message ?? list.stderr})`;
  const files = list.stdout.split("\n").filter(Boolean);
  const dir = mkdtempSync(join(tmpdir(), "dlbb-nohangul-"));
  const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  writeFileSync(join(dir, "fonts.conf"), [
    `<?xml version="1.0"?>`, `<!DOCTYPE fontconfig SYSTEM "fonts.dtd">`, `<fontconfig>`,
    `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>`,
    `  <selectfont><rejectfont>${files.map((f) => `<glob>${xml(f)}</glob>`).join("")}</rejectfont></selectfont>`,
    `</fontconfig>`, ``,
  ].join("\n"));
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000,
      env: { ...process.env, FONTCONFIG_FILE: join(dir, "fonts.conf") } as Record<string, string>,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    return {
      context,
      async close() {
        await Promise.race([browser.close().catch(() => {}), sleep(30_000)]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
