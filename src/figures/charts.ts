/**
 * Figures for every lesson: typed builders that return a {@link Figure}, and `showFigure` to put
 * one in the notebook. Lessons never write Plotly JSON themselves.
 *
 * Introduced in lesson 01 (digits, class probabilities, loss curves); used again in 04
 * (activation histograms), 05/07 (contours of f with gradient arrows and descent paths),
 * 02/03 (2-D point sets before and after a transform), 06 (train vs validation loss).
 *
 * How a figure reaches the reader (details and trade-offs in plotly.ts):
 * - one display_data per figure with `application/vnd.plotly.v1+json` (drawn by the Plotly
 *   renderers of JupyterLab 4, Notebook 7 and VS Code), `text/html` (a static picture as a
 *   data-URI image + a small script that swaps in an interactive Plotly chart where scripts run),
 *   `image/svg+xml` (the same static picture) and `text/plain` (a one-line description with the
 *   key numbers, e.g. "loss: 5 points, 0.26 → 0.04");
 * - plotly.js itself (from node_modules/plotly.js-dist, never a CDN) is sent once per kernel
 *   session, gzip-compressed, by `setupPlots()` or before the first figure — only where the
 *   frontend is not known to have a Plotly renderer (`plotlyLoaderNeeded`).
 *
 * The figure model is deliberately small: a figure is a grid of panels, a panel holds traces
 * of four kinds — lines/markers, bars, a grid of values (image, heatmap, contour), arrows.
 * Both renderers (Plotly spec, static SVG) read only this model.
 */
import { kernelWriter, showBundle, type MimeBundle } from "./display";
import { plotlyBundle, loaderBundle, plotlyLoaderNeeded } from "./plotly";
import { COLORSCALES, PALETTE, figureSvg, fmt } from "./svg";
import type { ColorscaleName } from "./figure";

export type { ColorscaleName } from "./figure";

export type { XYTrace, BarTrace, GridTrace, ArrowTrace, Trace, Panel, Figure } from "./figure";
import type { Figure, Panel, Trace, XYTrace, BarTrace, GridTrace, ArrowTrace } from "./figure";

export { PALETTE, fmt } from "./svg";

// ---------------------------------------------------------------------------------------------
// small helpers

function fail(fn: string, msg: string): never {
  throw new Error(`plot.ts ${fn}: ${msg}`);
}

function numbers(fn: string, what: string, v: ArrayLike<number>): number[] {
  if (v == null || typeof v.length !== "number") fail(fn, `${what} must be an array of numbers`);
  const out = Array.from(v, Number);
  if (out.length === 0) fail(fn, `${what} is empty`);
  return out;
}

function span(v: number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const x of v) if (Number.isFinite(x)) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return [lo, hi];
}

// ---------------------------------------------------------------------------------------------
// line charts

export interface LineSeries { name: string; y: ArrayLike<number>; x?: ArrayLike<number>; dash?: boolean }
export interface LineChartOptions {
  /** Named series: `[{ name: "loss", y: [...] }]` or simply `{ loss: [...], val_loss: [...] }`. */
  series: LineSeries[] | Record<string, ArrayLike<number>>;
  /** Shared x values; default 1, 2, …, n (epochs and steps count from 1). */
  x?: ArrayLike<number>;
  title?: string; xTitle?: string; yTitle?: string;
  logY?: boolean; markers?: boolean; height?: number;
}

/** Several named series against x, e.g. loss and validation loss per epoch. */
export function lineChart(opts: LineChartOptions): Figure {
  const fn = "lineChart";
  const list: LineSeries[] = Array.isArray(opts?.series) ? opts.series
    : Object.entries(opts?.series ?? {}).map(([name, y]) => ({ name, y }));
  if (list.length === 0) fail(fn, "series is empty: give at least one { name, y }");
  const traces: XYTrace[] = list.map((s, i) => {
    const y = numbers(fn, `series "${s.name}" y`, s.y);
    const xs = s.x ?? opts.x;
    const x = xs ? numbers(fn, `series "${s.name}" x`, xs) : y.map((_, k) => k + 1);
    if (x.length !== y.length) fail(fn, `series "${s.name}" has ${y.length} y values but ${x.length} x values`);
    if (opts.logY) y.forEach((v, k) => { if (!(v > 0)) fail(fn, `logY needs positive values; series "${s.name}" has ${v} at index ${k}`); });
    return { kind: "xy", name: s.name, x, y, mode: opts.markers ? "lines+markers" : "lines", color: PALETTE[i % PALETTE.length], dash: s.dash };
  });
  const parts = traces.map((t) => `${t.name}: ${t.y.length} points, ${fmt(t.y[0])} → ${fmt(t.y[t.y.length - 1])} (min ${fmt(span(t.y)[0])})`);
  return {
    title: opts.title, columns: 1, height: opts.height ?? 360,
    panels: [{ traces, xTitle: opts.xTitle, yTitle: opts.yTitle, logY: opts.logY }],
    caption: `Figure: line chart${opts.title ? ` "${opts.title}"` : ""}${opts.logY ? " (log y)" : ""} — ${parts.join("; ")}`,
  };
}

// ---------------------------------------------------------------------------------------------
// bar charts

export interface BarChartOptions {
  values: ArrayLike<number>;
  /** One label per bar; default 0, 1, …, n-1 (class indices). */
  labels?: Array<string | number>;
  /** Index of a bar to draw in another colour (e.g. the true class). */
  highlight?: number;
  title?: string; xTitle?: string; yTitle?: string; height?: number;
}

/** One bar per value, e.g. the 10 class probabilities of a digit. */
export function barChart(opts: BarChartOptions): Figure {
  const fn = "barChart";
  const y = numbers(fn, "values", opts?.values);
  const labels = (opts.labels ?? y.map((_, i) => i)).map(String);
  if (labels.length !== y.length) fail(fn, `${y.length} values but ${labels.length} labels`);
  const h = opts.highlight;
  if (h !== undefined && !(Number.isInteger(h) && h >= 0 && h < y.length)) fail(fn, `highlight must be a bar index 0..${y.length - 1}, got ${h}`);
  const x = y.map((_, i) => i);
  const colors = h === undefined ? undefined : y.map((_, i) => (i === h ? PALETTE[1] : PALETTE[0]));
  let top = 0;
  y.forEach((v, i) => { if (v > y[top]) top = i; });
  return {
    title: opts.title, columns: 1, height: opts.height ?? 300,
    panels: [{ traces: [{ kind: "bars", x, y, color: PALETTE[0], colors }], xTitle: opts.xTitle, yTitle: opts.yTitle, xTicks: { values: x, labels } }],
    caption: `Figure: bar chart${opts.title ? ` "${opts.title}"` : ""} — ${y.length} bars; largest: ${labels[top]} = ${fmt(y[top])}` +
      (h !== undefined ? `; highlighted: ${labels[h]} = ${fmt(y[h])}` : ""),
  };
}

// ---------------------------------------------------------------------------------------------
// images and heatmaps

/** Pixels as a flat array (row by row) or as rows. */
export type Pixels = Uint8Array | Float32Array | ArrayLike<number> | number[][];

/** Turns pixels into rows; a flat array is square unless `width` is given (28×28 for MNIST). */
export function toRows(fn: string, pixels: Pixels, width?: number): number[][] {
  if (pixels == null || typeof (pixels as ArrayLike<unknown>).length !== "number") fail(fn, "pixels must be an array");
  const arr = pixels as ArrayLike<unknown>;
  if (arr.length > 0 && Array.isArray(arr[0])) {
    const rows = (pixels as number[][]).map((r) => Array.from(r, Number));
    if (rows.some((r) => r.length !== rows[0].length)) fail(fn, "rows of pixels have different lengths");
    return rows;
  }
  const flat = numbers(fn, "pixels", pixels as ArrayLike<number>);
  const w = width ?? Math.round(Math.sqrt(flat.length));
  if (w <= 0 || flat.length % w !== 0) fail(fn, `${flat.length} pixels do not make rows of width ${w} (give width)`);
  const rows: number[][] = [];
  for (let i = 0; i < flat.length; i += w) rows.push(flat.slice(i, i + w));
  return rows;
}

function imagePanel(z: number[][], title: string | undefined, max: number, colorscale: ColorscaleName): Panel {
  return { image: true, title, traces: [{ kind: "grid", z, x0: 0, dx: 1, y0: 0, dy: 1, colorscale, zmin: 0, zmax: max }] };
}

function inkMax(rows: number[][]): number {
  return rows.some((r) => r.some((v) => v > 1)) ? 255 : 1;
}

export interface DigitOptions { title?: string; width?: number; max?: number; height?: number }

/** A grayscale digit (0 = white paper, max = black ink), e.g. 784 bytes of an MNIST image. */
export function digitImage(pixels: Pixels, opts: DigitOptions = {}): Figure {
  const z = toRows("digitImage", pixels, opts.width);
  const max = opts.max ?? inkMax(z);
  const ink = z.reduce((n, r) => n + r.filter((v) => v > max / 2).length, 0);
  return {
    title: opts.title, columns: 1, height: opts.height ?? 260, panels: [imagePanel(z, undefined, max, "binary")],
    caption: `Figure: ${z[0].length}×${z.length} grayscale image${opts.title ? ` "${opts.title}"` : ""} — ${ink} of ${z.length * z[0].length} pixels darker than half`,
  };
}

export interface DigitGridOptions { titles?: string[]; columns?: number; title?: string; width?: number; max?: number }

/** Several digits side by side, each with its own title (e.g. "label 5"). */
export function digitGrid(images: Pixels[], opts: DigitGridOptions = {}): Figure {
  const fn = "digitGrid";
  if (!Array.isArray(images) || images.length === 0) fail(fn, "images must be a non-empty array");
  if (opts.titles && opts.titles.length !== images.length) fail(fn, `${images.length} images but ${opts.titles.length} titles`);
  const columns = Math.max(1, Math.min(opts.columns ?? 10, images.length));
  const rows = Math.ceil(images.length / columns);
  const panels = images.map((p, i) => {
    const z = toRows(fn, p, opts.width);
    return imagePanel(z, opts.titles?.[i], opts.max ?? inkMax(z), "binary");
  });
  return {
    title: opts.title, columns, height: (opts.title ? 50 : 25) + rows * Math.round(640 / columns + 24) + 10, panels,
    caption: `Figure: ${images.length} grayscale images${opts.title ? ` "${opts.title}"` : ""}` + (opts.titles ? ` — ${opts.titles.join(", ")}` : ""),
  };
}

export interface HeatmapOptions { title?: string; xTitle?: string; yTitle?: string; colorscale?: ColorscaleName; zmin?: number; zmax?: number; height?: number }

/** A matrix as coloured cells, row 0 at the top (e.g. a weight matrix or a confusion matrix). */
export function heatmap(z: number[][], opts: HeatmapOptions = {}): Figure {
  const rows = toRows("heatmap", z);
  const all = rows.flat();
  const [lo, hi] = span(all);
  const zmin = opts.zmin ?? lo, zmax = opts.zmax ?? (hi > lo ? hi : lo + 1);
  const colorscale = opts.colorscale ?? "viridis";
  if (!(colorscale in COLORSCALES)) fail("heatmap", `unknown colorscale "${colorscale}" (use ${Object.keys(COLORSCALES).join(", ")})`);
  return {
    title: opts.title, columns: 1, height: opts.height ?? 360,
    panels: [{ image: true, xTitle: opts.xTitle, yTitle: opts.yTitle, traces: [{ kind: "grid", z: rows, x0: 0, dx: 1, y0: 0, dy: 1, colorscale, zmin, zmax, showScale: true }] }],
    caption: `Figure: heatmap${opts.title ? ` "${opts.title}"` : ""} — ${rows.length}×${rows[0].length} values in [${fmt(lo)}, ${fmt(hi)}]`,
  };
}

export { histogramFigure as histograms, histogram, contourPlot, vectorField, scatterPlot } from "./fields";
export type { HistogramSet, HistogramOptions, ContourOptions, PathSpec, ScatterSet, ScatterOptions } from "./fields";

// ---------------------------------------------------------------------------------------------
// showing

const SESSION = Symbol.for("dl-building-blocks.plotly-injected");
type SessionState = { [SESSION]?: boolean };

/**
 * Prepares the page for interactive figures. Where the frontend draws figures with its own Plotly
 * renderer (Notebook 7 / JupyterLab 4 started by `npm start`, VS Code) it only says so in one line.
 * Elsewhere it sends plotly.js (gzip + base64, ~2.6 MB once): call it in the first cell of a
 * lesson, so the library lives in that cell's saved output and a reopened (trusted) notebook finds
 * it again. Each call sends it again (needed when that cell is re-run, which replaces its old
 * output); figures send it themselves only if nothing was sent yet in this kernel session.
 * `{ loader: true }` sends it whatever the frontend.
 */
export function setupPlots(opts: { loader?: boolean } = {}): void {
  if (kernelWriter() === null) {
    showBundle({ "text/plain": "(plots: not in a notebook, figures are described in text)" });
    return;
  }
  (globalThis as SessionState)[SESSION] = true;
  const { needed, why } = plotlyLoaderNeeded();
  if (needed || opts.loader) showBundle(loaderBundle());
  else showBundle({ "text/plain": `(plots: interactive; ${why}, so plotly.js is not sent)` });
}

/** The MIME bundle of a figure (HTML + Plotly JSON + SVG + caption), e.g. for `Display.update`. */
export function figureBundle(fig: Figure): MimeBundle {
  if (fig == null || !Array.isArray(fig.panels) || fig.panels.length === 0) fail("showFigure", "expected a Figure from lineChart, barChart, digitImage, … (it has no panels)");
  return plotlyBundle(fig, figureSvg(fig));
}

/**
 * Shows a figure: interactive in the notebook, a static SVG picture and a caption elsewhere.
 * Returns nothing, so a cell ending in `showFigure(…)` prints no value. To redraw a figure in
 * place: `const d = showBundle(figureBundle(a)); … d.update(figureBundle(b));`.
 */
export function showFigure(fig: Figure): void {
  const bundle = figureBundle(fig);
  if (!(globalThis as SessionState)[SESSION] && kernelWriter() !== null) setupPlots();
  showBundle(bundle);
}
