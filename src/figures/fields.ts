/**
 * More figure builders (re-exported by plot.ts): histograms (lesson 06: activations per layer),
 * contours of f(x, y) with gradient arrows and descent paths (lessons 04, 05 and 06), and 2-D point
 * sets (lessons 02/03: a shape before and after a linear transform).
 */
import type { ArrowTrace, Figure, Panel, Trace, XYTrace } from "./figure";
import { COLORSCALES, PALETTE, fmt, type ColorscaleName } from "./svg";

function fail(fn: string, msg: string): never {
  throw new Error(`plot.ts ${fn}: ${msg}`);
}

function finiteSpan(v: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) { const x = v[i]; if (Number.isFinite(x)) { if (x < lo) lo = x; if (x > hi) hi = x; } }
  return [lo, hi];
}

function checkRange(fn: string, what: string, r: [number, number]): void {
  if (!Array.isArray(r) || r.length !== 2 || !(r[0] < r[1])) fail(fn, `${what} must be [min, max] with min < max, got ${JSON.stringify(r)}`);
}

// ---------------------------------------------------------------------------------------------
// histograms

/**
 * Counts of `values` in `bins` equal bins over `range` (default: min..max of the finite values).
 * Bin i is [edges[i], edges[i+1]); the last bin also holds its upper edge. Values outside the
 * range and non-finite values are not counted.
 */
export function histogram(values: ArrayLike<number>, bins = 30, range?: [number, number]): { edges: number[]; counts: number[] } {
  if (!(Number.isInteger(bins) && bins > 0)) fail("histogram", `bins must be a positive integer, got ${bins}`);
  let [lo, hi] = range ?? finiteSpan(values);
  if (!Number.isFinite(lo)) fail("histogram", "values has no finite number");
  if (range) checkRange("histogram", "range", range);
  if (hi === lo) { lo -= 0.5; hi += 0.5; }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { edges, counts };
}

export interface HistogramSet { name: string; values: ArrayLike<number> }
export interface HistogramOptions { bins?: number; range?: [number, number]; title?: string; xTitle?: string; columns?: number; height?: number }

/** One histogram per set, side by side (e.g. the activations of each layer). */
export function histogramFigure(sets: HistogramSet[] | Record<string, ArrayLike<number>>, opts: HistogramOptions = {}): Figure {
  const fn = "histograms";
  const list: HistogramSet[] = Array.isArray(sets) ? sets : Object.entries(sets ?? {}).map(([name, values]) => ({ name, values }));
  if (list.length === 0) fail(fn, "no sets given: use [{ name, values }] or { name: values }");
  const bins = opts.bins ?? 30;
  const parts: string[] = [];
  const panels: Panel[] = list.map((s, i) => {
    if (s.values == null || s.values.length === 0) fail(fn, `set "${s.name}" has no values`);
    const { edges, counts } = histogram(s.values, bins, opts.range);
    const w = edges[1] - edges[0];
    let sum = 0, sq = 0, n = 0;
    for (let k = 0; k < s.values.length; k++) { const v = s.values[k]; if (Number.isFinite(v)) { sum += v; sq += v * v; n++; } }
    const mean = sum / n, std = Math.sqrt(Math.max(0, sq / n - mean * mean));
    const [lo, hi] = finiteSpan(s.values);
    parts.push(`${s.name}: ${s.values.length} values in [${fmt(lo)}, ${fmt(hi)}], mean ${fmt(mean)}, std ${fmt(std)}`);
    const trace: Trace = { kind: "bars", name: s.name, x: counts.map((_, k) => edges[k] + w / 2), y: counts, width: w, color: PALETTE[i % PALETTE.length] };
    return { title: s.name, traces: [trace], xTitle: opts.xTitle, yTitle: i === 0 ? "count" : undefined };
  });
  const columns = Math.max(1, Math.min(opts.columns ?? list.length, list.length));
  return {
    title: opts.title, columns, panels, height: opts.height ?? 60 + Math.ceil(list.length / columns) * 240,
    caption: `Figure: ${list.length} histogram${list.length > 1 ? "s" : ""}${opts.title ? ` "${opts.title}"` : ""} (${bins} bins) — ${parts.join("; ")}`,
  };
}

// ---------------------------------------------------------------------------------------------
// contours, gradient arrows, descent paths

/** A path through the plane: a list of [x, y] points, or separate x and y arrays. */
export interface PathSpec { name: string; points: Array<[number, number]> | { x: ArrayLike<number>; y: ArrayLike<number> } }

export interface ContourOptions {
  /** The function drawn as filled contours (optional for a bare vector field). */
  f?: (x: number, y: number) => number;
  x: [number, number];
  y: [number, number];
  /** Grid points per side for the contour (default 41). */
  resolution?: number;
  /** Arrows of this field (e.g. the gradient of f) on an arrows × arrows grid. */
  gradient?: (x: number, y: number) => ArrayLike<number>;
  arrows?: number;
  /** Draw −gradient (the direction gradient descent moves). Default false. */
  descent?: boolean;
  /** What the arrows show, for legend and caption (default "gradient" / "−gradient"). */
  arrowsLabel?: string;
  paths?: PathSpec[];
  title?: string; xTitle?: string; yTitle?: string; colorscale?: ColorscaleName; height?: number;
}

function pathXY(fn: string, p: PathSpec): { x: number[]; y: number[] } {
  const pts = p.points;
  if (Array.isArray(pts)) return { x: pts.map((q) => Number(q[0])), y: pts.map((q) => Number(q[1])) };
  if (pts && pts.x && pts.y && pts.x.length === pts.y.length) return { x: Array.from(pts.x, Number), y: Array.from(pts.y, Number) };
  return fail(fn, `path "${p?.name}" needs points: [[x, y], …] or { x: [...], y: [...] } of equal length`);
}

/** Filled contours of f over a rectangle, with optional gradient arrows and paths on top. */
export function contourPlot(opts: ContourOptions): Figure {
  const fn = "contourPlot";
  checkRange(fn, "x", opts?.x);
  checkRange(fn, "y", opts.y);
  const [x0, x1] = opts.x, [y0, y1] = opts.y;
  const traces: Trace[] = [];
  const parts: string[] = [];
  if (opts.f) {
    const n = opts.resolution ?? 41;
    if (!(Number.isInteger(n) && n >= 2)) fail(fn, `resolution must be an integer ≥ 2, got ${n}`);
    const dx = (x1 - x0) / (n - 1), dy = (y1 - y0) / (n - 1);
    const z = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => opts.f!(x0 + c * dx, y0 + r * dy)));
    const [lo, hi] = finiteSpan(z.flat());
    if (!Number.isFinite(lo)) fail(fn, "f gave no finite value on the grid");
    const colorscale = opts.colorscale ?? "viridis";
    if (!(colorscale in COLORSCALES)) fail(fn, `unknown colorscale "${colorscale}"`);
    traces.push({ kind: "grid", z, x0, dx, y0, dy, colorscale, zmin: lo, zmax: hi > lo ? hi : lo + 1, contour: true, showScale: true });
    parts.push(`contour of f over x ∈ [${fmt(x0)}, ${fmt(x1)}], y ∈ [${fmt(y0)}, ${fmt(y1)}], f from ${fmt(lo)} to ${fmt(hi)}`);
  }
  if (opts.gradient) {
    const n = opts.arrows ?? 11;
    if (!(Number.isInteger(n) && n >= 2)) fail(fn, `arrows must be an integer ≥ 2, got ${n}`);
    const gx: number[] = [], gy: number[] = [], u: number[] = [], v: number[] = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      const px = x0 + (c * (x1 - x0)) / (n - 1), py = y0 + (r * (y1 - y0)) / (n - 1);
      const g = opts.gradient(px, py);
      if (g == null || g.length !== 2) fail(fn, `gradient(${fmt(px)}, ${fmt(py)}) must return [d/dx, d/dy]`);
      const s = opts.descent ? -1 : 1;
      gx.push(px); gy.push(py); u.push(s * g[0]); v.push(s * g[1]);
    }
    const longest = Math.max(...u.map((a, i) => Math.hypot(a, v[i])).filter(Number.isFinite), 0);
    const cell = Math.min(x1 - x0, y1 - y0) / (n - 1);
    const k = longest > 0 ? (0.9 * cell) / longest : 0;
    const label = opts.arrowsLabel ?? (opts.descent ? "−gradient" : "gradient");
    const arrows: ArrowTrace = { kind: "arrows", name: label, x0: gx, y0: gy, x1: gx.map((a, i) => a + k * u[i]), y1: gy.map((b, i) => b + k * v[i]), color: "#ffffff" };
    if (!opts.f) arrows.color = "#333333";
    traces.push(arrows);
    parts.push(`${n * n} arrows of ${label}, longest ${fmt(longest)} (lengths scaled to fit)`);
  }
  (opts.paths ?? []).forEach((p, i) => {
    const { x, y } = pathXY(fn, p);
    if (x.length === 0) fail(fn, `path "${p.name}" is empty`);
    const t: XYTrace = { kind: "xy", name: p.name, x, y, mode: "lines+markers", color: PALETTE[(i + 1) % PALETTE.length] };
    traces.push(t);
    const last = x.length - 1;
    parts.push(`path "${p.name}": ${x.length} points from (${fmt(x[0])}, ${fmt(y[0])}) to (${fmt(x[last])}, ${fmt(y[last])})`);
  });
  if (traces.length === 0) fail(fn, "nothing to draw: give f, gradient or paths");
  return {
    title: opts.title, columns: 1, height: opts.height ?? 460,
    panels: [{ traces, xTitle: opts.xTitle ?? "x", yTitle: opts.yTitle ?? "y", equalAxes: true }],
    caption: `Figure: field plot${opts.title ? ` "${opts.title}"` : ""} — ${parts.join("; ")}`,
  };
}

/** Arrows of a 2-D field (e.g. ∇f) on a grid, optionally over the contours of f and with paths. */
export function vectorField(opts: Omit<ContourOptions, "gradient"> & { field: (x: number, y: number) => ArrayLike<number> }): Figure {
  if (typeof opts?.field !== "function") fail("vectorField", "field must be a function (x, y) => [u, v]");
  return contourPlot({ arrowsLabel: "the field", ...opts, gradient: opts.field });
}

// ---------------------------------------------------------------------------------------------
// 2-D point sets

export interface ScatterSet { name: string; points: PathSpec["points"]; closed?: boolean; lines?: boolean }
export interface ScatterOptions { equalAxes?: boolean; title?: string; xTitle?: string; yTitle?: string; height?: number }

/** Point sets in the plane; `closed: true` joins them into a polygon (a shape to transform). */
export function scatterPlot(sets: ScatterSet[], opts: ScatterOptions = {}): Figure {
  const fn = "scatterPlot";
  if (!Array.isArray(sets) || sets.length === 0) fail(fn, "sets must be a non-empty array of { name, points }");
  const parts: string[] = [];
  const traces: XYTrace[] = sets.map((s, i) => {
    const { x, y } = pathXY(fn, s);
    if (x.length === 0) fail(fn, `set "${s.name}" has no points`);
    const [xl, xh] = finiteSpan(x), [yl, yh] = finiteSpan(y);
    parts.push(`${s.name}: ${x.length} points, x ∈ [${fmt(xl)}, ${fmt(xh)}], y ∈ [${fmt(yl)}, ${fmt(yh)}]`);
    if (s.closed) { x.push(x[0]); y.push(y[0]); }
    return { kind: "xy", name: s.name, x, y, mode: s.closed || s.lines ? "lines+markers" : "markers", color: PALETTE[i % PALETTE.length] };
  });
  return {
    title: opts.title, columns: 1, height: opts.height ?? 420,
    panels: [{ traces, xTitle: opts.xTitle ?? "x", yTitle: opts.yTitle ?? "y", equalAxes: opts.equalAxes ?? true }],
    caption: `Figure: ${sets.length} point set${sets.length > 1 ? "s" : ""}${opts.title ? ` "${opts.title}"` : ""} — ${parts.join("; ")}`,
  };
}
