/**
 * The lessons in a real browser: Jupyter Notebook (loopback, a free port, a token) serves a copy
 * of notebooks/ in build/browser-nb/, Debian's Chromium (/usr/bin/chromium, via playwright-core)
 * opens each lesson, runs all cells and waits for the kernel to go idle. Then: no error output,
 * every figure drawn by Plotly (SVG in each Plotly container), training progress complete.
 * Screenshots: build/screenshots/<lesson>.png (whole page) and <lesson>/figure-NN.png (each figure).
 *
 * DLBB_BROWSER_LESSONS=01,03 runs only those lessons (default: all of notebooks/NN-*.ipynb).
 */
import { readFileSync } from "fs";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  copyNotebooks, describeCell, launchChromium, lessonNotebooks, root, runInBrowser, startJupyter,
  type BrowserRun, type Chromium, type JupyterServer,
} from "./helpers/browser";

const only = process.env.DLBB_BROWSER_LESSONS?.split(",").map((s) => s.trim()).filter(Boolean);
const lessons = lessonNotebooks(only);
const served = join(root, "build", "browser-nb");
const shots = join(root, "build", "screenshots");
/** Per lesson: a lesson runs ~1.5 min (01 trains MNIST); generous for 2 shared cores. */
const LESSON_TIMEOUT_MS = 12 * 60_000;

/** What a lesson's progress output must show at the end, beyond the generic checks. */
const PROGRESS: Record<string, (text: string) => void> = {
  "01": (text) => {
    expect(text, "01: progress reaches the 5th epoch").toMatch(/Epoch 5\/5/);
    expect(text.match(/469\/469 \[={30}\]/g)?.length, "01: five finished epochs of 469 steps").toBe(5);
  },
};

let server: JupyterServer | undefined;
let browser: Chromium | undefined;
const runs = new Map<string, BrowserRun>();

beforeAll(async () => {
  copyNotebooks(served);
  browser = await launchChromium(); // fails with a clear message if /usr/bin/chromium is missing
  server = await startJupyter(served);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (runs.size) {
    console.log("browser runs: " + [...runs.values()].map((r) => `${r.name} ${r.seconds.toFixed(0)} s`).join(", "));
  }
}, 120_000);

describe("the lessons in a real browser (Chromium + Jupyter Notebook)", () => {
  it("finds lesson notebooks", () => {
    expect(lessons.length, `no notebooks/NN-*.ipynb${only ? ` matching ${only}` : ""}`).toBeGreaterThan(0);
  });

  for (const name of lessons) {
    const lesson = name.slice(0, 2);
    it(`${name}: runs all cells without an error, draws every figure, shows progress`, async () => {
      const run = await runInBrowser(browser!.context, server!, name, { timeoutMs: LESSON_TIMEOUT_MS, shotDir: shots });
      runs.set(name, run);
      const code = run.cells.filter((c) => c.type === "code" && c.source.trim());

      // 1. No error output; the first failing cell is named (tslab then aborts the cells after it).
      const failing = code.find((c) => c.errors.length);
      if (failing) throw new Error(`${name} ${describeCell(failing)} failed:\n${failing.errors.join("\n").slice(0, 2000)}`);
      const skipped = code.find((c) => c.count === null);
      if (skipped) throw new Error(`${name} ${describeCell(skipped)} did not run`);
      expect(run.pageErrors, `${name}: JavaScript errors on the page`).toEqual([]);

      // 2. Every figure drawn: each kit figure became a Plotly chart with SVG and traces in it.
      const figures = run.cells.flatMap((c) => c.figures.map((f) => ({ c, f })));
      const calls = code.filter((c) => /\bshowFigure\(/.test(c.source)).length;
      if (calls) expect(figures.length, `${name}: ${calls} cells call showFigure but no figure is on the page`).toBeGreaterThanOrEqual(calls);
      for (const { c, f } of figures) {
        expect(f.plotly, `${name} ${describeCell(c)}: figure not drawn by Plotly ${f.note}`).toBe(true);
        expect(f.traces, `${name} ${describeCell(c)}: Plotly chart has no traces`).toBeGreaterThan(0);
      }
      for (const svgs of run.plotlyContainers) expect(svgs, `${name}: a Plotly container without svg.main-svg`).toBeGreaterThan(0);
      expect(run.plotlyContainers.length).toBeGreaterThanOrEqual(figures.length);

      // 3. Progress output: where a lesson trains with the kit's progress, its final text is complete.
      const text = run.cells.map((c) => c.text).join("\n");
      const trains = code.some((c) => /\bfitProgress\(|\bnew Progress\(/.test(c.source));
      if (trains) {
        const progress = run.cells.filter((c) => /^Epoch \d+/m.test(c.text)).map((c) => c.text).join("\n");
        expect(progress, `${name}: no progress output on the page`).not.toBe("");
        // Final state: the last epoch reached (its last batch may be partial, as in lesson 05) with its summary line.
        expect(progress, `${name}: progress never reaches its last epoch`).toMatch(/^Epoch (\d+)\/\1\n\s*\d+\/\d+ \[[=>.]+\] - \d+s \S+\/step/m);
        expect(progress, `${name}: progress output still shows an ETA (not updated to its final state)`).not.toMatch(/ETA:/);
      }
      PROGRESS[lesson]?.(text);

      // The copy was served, so the committed lesson is untouched by autosave and outputs.
      const committed = JSON.parse(readFileSync(join(root, "notebooks", name), "utf8"));
      expect(committed.cells.every((c: { outputs?: unknown[] }) => !c.outputs || c.outputs.length === 0)).toBe(true);
    }, LESSON_TIMEOUT_MS + 120_000);
  }
});
