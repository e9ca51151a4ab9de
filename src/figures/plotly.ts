/**
 * Interactive figures with plotly.js, taken from node_modules/plotly.js-dist (no CDN, no network).
 * Used by charts.ts for every figure (lesson 01 on).
 *
 * One figure is one display_data with four MIME types; each frontend picks what it can show:
 * - `application/vnd.plotly.v1+json` — JupyterLab 4 and Notebook 7 with the `plotly` Python package
 *   (its renderer, `@jupyterlab/plotly-extension:factory`; `npm start` installs it in .venv) and
 *   VS Code draw the chart with their own plotly.js. Nothing else is needed.
 * - `text/html` — the classic Notebook 6.4, and JupyterLab / Notebook 7 without that renderer: a
 *   static picture as `<img src="data:image/svg+xml;base64,…">` with a caption, and a script that
 *   draws the Plotly chart into the figure's own div and then hides the picture. The picture is an
 *   image, not inline `<svg>`: the HTML sanitizer of an untrusted notebook (a saved lesson opened in
 *   a new session) strips inline SVG but keeps its text, which read as a jumble of numbers; a
 *   data-URI image survives every sanitizer (Notebook 6.4, Notebook 7, JupyterLab 4, GitHub).
 * - `image/svg+xml` — the same picture for converters (nbconvert to PDF); `text/plain` — the caption.
 *
 * plotly.js itself (11 MB) reaches a page only where a script will use it — see
 * {@link plotlyLoaderNeeded} for what the kernel can know about its frontend. It is sent ONCE per
 * kernel session, gzip-9 + base64 (~2.6 MB), in a `text/html` output whose script unpacks it with
 * DecompressionStream and runs it with `module`, `exports` and `define` hidden (requirejs in
 * Notebook 6). Figures shown before it arrives queue themselves (window.__dlbbPlotly.queue).
 * A reopened notebook finds the library in the saved output of the cell that sent it (the
 * lesson's first cell, `setupPlots()`) if its scripts run (a trusted notebook); otherwise readers
 * see the static pictures.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { gzipSync } from "zlib";
import { escapeHtml, newDisplayId, type MimeBundle } from "./display";
import type { Figure, Panel, Trace } from "./figure";
import { COLORSCALES, FONT_FAMILY, PALETTE } from "./svg";

export interface PlotlySpec { data: Array<Record<string, unknown>>; layout: Record<string, unknown>; config: Record<string, unknown> }

const sig = (v: number, digits: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : null);
const nums = (v: number[], digits = 6) => v.map((x) => sig(x, digits));

function arrowXY(t: Extract<Trace, { kind: "arrows" }>): { x: Array<number | null>; y: Array<number | null> } {
  const x: Array<number | null> = [], y: Array<number | null> = [];
  t.x0.forEach((a, i) => {
    const b = t.y0[i], c = t.x1[i], d = t.y1[i], len = Math.hypot(c - a, d - b);
    if (!(len > 0)) return;
    const h = 0.3 * len, ang = Math.atan2(d - b, c - a);
    x.push(a, c, null, c - h * Math.cos(ang + 0.45), c, c - h * Math.cos(ang - 0.45), null);
    y.push(b, d, null, d - h * Math.sin(ang + 0.45), d, d - h * Math.sin(ang - 0.45), null);
  });
  return { x: x.map((v) => (v === null ? null : sig(v, 4))), y: y.map((v) => (v === null ? null : sig(v, 4))) };
}

function plotlyTrace(t: Trace, xa: string, ya: string, legend: boolean): Record<string, unknown> {
  const axes = { xaxis: xa, yaxis: ya };
  if (t.kind === "grid") {
    return { ...axes, type: t.contour ? "contour" : "heatmap", z: t.z.map((r) => nums(r, t.contour ? 3 : 4)), x0: t.x0, dx: t.dx, y0: t.y0, dy: t.dy,
      colorscale: COLORSCALES[t.colorscale], zmin: t.zmin, zmax: t.zmax, showscale: t.showScale === true,
      ...(t.contour ? { ncontours: 20, line: { width: 0.5, color: "rgba(255,255,255,0.5)" } } : {}) };
  }
  if (t.kind === "bars") {
    return { ...axes, type: "bar", name: t.name, x: nums(t.x), y: nums(t.y), ...(t.width ? { width: t.width } : {}),
      marker: { color: t.colors ?? t.color }, showlegend: legend && !!t.name };
  }
  if (t.kind === "arrows") {
    return { ...axes, type: "scatter", mode: "lines", name: t.name, ...arrowXY(t), line: { color: t.color, width: 1.2 }, hoverinfo: "skip", showlegend: false };
  }
  return { ...axes, type: "scatter", mode: t.mode, name: t.name, x: nums(t.x), y: nums(t.y),
    line: { color: t.color, width: 2, ...(t.dash ? { dash: "dash" } : {}) }, marker: { color: t.color, size: 6 }, showlegend: legend && !!t.name };
}

type XY = Extract<Trace, { kind: "xy" }>;

/** x of every line/marker trace is a whole number and they span 1 to 10 steps (e.g. epochs). */
function integerSteps(p: Panel): boolean {
  if (p.image || p.traces.some((t) => t.kind !== "xy")) return false;
  let lo = Infinity, hi = -Infinity;
  for (const t of p.traces) for (const v of (t as XY).x) {
    if (!Number.isInteger(v)) return false;
    lo = Math.min(lo, v); hi = Math.max(hi, v);
  }
  return hi - lo >= 1 && hi - lo <= 10;
}

/** The width the Plotly layout is planned for: figures are at most 760 px wide, minus the margins. */
const PLOT_WIDTH_PX = 680;

/** The Plotly figure (data, layout, config) for a figure of the kit. */
export function toPlotly(fig: Figure): PlotlySpec {
  const data: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = {
    height: fig.height, autosize: true, colorway: PALETTE,
    paper_bgcolor: "#fff", plot_bgcolor: "#fff", font: { family: FONT_FAMILY },
  };
  const pictures = fig.panels.every((p) => p.image && !p.xTitle && !p.yTitle);
  layout.margin = pictures ? { l: 10, r: 10, t: fig.title ? 50 : 25, b: 10 } : { l: 60, r: 20, t: fig.title ? 50 : 30, b: 50 };
  if (fig.title) layout.title = { text: fig.title };
  const rows = Math.ceil(fig.panels.length / fig.columns);
  // Panels side by side: the gap between two panels holds the right one's y tick labels (~45 px
  // of a ~700 px wide plot), and narrow panels get fewer x ticks, so that no labels collide.
  const cellPx = PLOT_WIDTH_PX / fig.columns;
  const xgap = Math.min(0.45, Math.max(0.08, 48 / cellPx));
  const xTickCount = Math.max(3, Math.floor((cellPx * (1 - xgap)) / 45));
  if (fig.panels.length > 1) layout.grid = { rows, columns: fig.columns, pattern: "independent", xgap, ygap: 0.3 };
  const annotations: Array<Record<string, unknown>> = [];
  let anyLegend = false;
  fig.panels.forEach((p: Panel, i) => {
    const n = i === 0 ? "" : String(i + 1);
    const xa = "x" + n, ya = "y" + n;
    const named = p.traces.filter((t) => (t.kind === "xy" || t.kind === "bars") && t.name).length;
    const legend = named > 1;
    anyLegend ||= legend;
    for (const t of p.traces) data.push(plotlyTrace(t, xa, ya, legend));
    const x: Record<string, unknown> = { title: p.xTitle ? { text: p.xTitle } : undefined, zeroline: false, gridcolor: "#eee" };
    const y: Record<string, unknown> = { title: p.yTitle ? { text: p.yTitle } : undefined, zeroline: false, gridcolor: "#eee" };
    if (p.logY) y.type = "log";
    if (p.xTicks) { x.tickvals = p.xTicks.values; x.ticktext = p.xTicks.labels; }
    else if (integerSteps(p)) x.dtick = 1; // epochs 1..5: no ticks at 1.5, 2.5, …
    else if (fig.columns > 1) x.nticks = xTickCount;
    // Large counts as 1.5k, 12k: short labels that fit between panels.
    if (fig.columns > 1 && !p.logY && p.traces.some((t) => t.kind === "bars" && t.y.some((v) => Math.abs(v) >= 1000))) y.tickformat = "~s";
    if (p.image) {
      Object.assign(x, { showgrid: false, showticklabels: false, ticks: "", constrain: "domain" });
      Object.assign(y, { showgrid: false, showticklabels: false, ticks: "", autorange: "reversed", scaleanchor: xa, constrain: "domain" });
    } else if (p.equalAxes) Object.assign(y, { scaleanchor: xa, scaleratio: 1 });
    layout["xaxis" + n] = x;
    layout["yaxis" + n] = y;
    if (p.title) annotations.push({ text: p.title, showarrow: false, xref: `${xa} domain`, yref: `${ya} domain`, x: 0.5, y: 1, yanchor: "bottom", font: { size: 12 } });
  });
  if (annotations.length) layout.annotations = annotations;
  layout.showlegend = anyLegend;
  // The colour bar takes the legend's place at the right (they overlapped): the legend goes above the plot.
  if (anyLegend && data.some((d) => d.showscale === true)) layout.legend = { orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom" };
  return { data, layout, config: { responsive: true, displaylogo: false } };
}

/** JSON safe inside a <script> element. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const FIGURE_JS = `var g=window.__dlbbPlotly=window.__dlbbPlotly||{queue:[]},tries=0;
function draw(){var root=document.getElementById(id);if(!root){if(++tries<100)setTimeout(draw,100);return;}
var el=root.querySelector(".dlbb-plot");window.Plotly.newPlot(el,fig.data,fig.layout,fig.config).then(function(){
var s=root.querySelector(".dlbb-static");if(s)s.style.display="none";});}
if(window.Plotly)draw();else{g.queue.push(draw);setTimeout(function(){if(window.Plotly||g.loading)return;
var r=document.getElementById(id),n=r&&r.querySelector(".dlbb-note");if(n)n.textContent=g.error?"(interactive view failed: "+g.error+")":
"(static picture: plotly.js is not loaded on this page; run setupPlots() to make figures interactive)";},8000);}`;

/**
 * An SVG document as an `<img>` with a base64 data URI (width and height from the SVG, scaled
 * down to fit narrow outputs), `alt` = the caption.
 */
export function svgImage(svg: string, alt: string): string {
  const size = /^<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg);
  const dims = size ? ` width="${size[1]}" height="${size[2]}"` : "";
  return `<img class="dlbb-picture" src="data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}"${dims} alt="${escapeHtml(alt)}" style="max-width:100%;height:auto">`;
}

/** The display bundle of one figure: HTML (picture + script), Plotly JSON, SVG, caption. */
export function plotlyBundle(fig: Figure, svg: string, id = "dlbb-fig-" + newDisplayId()): MimeBundle {
  const spec = toPlotly(fig);
  const html = `<div id="${id}" class="dlbb-figure" style="max-width:760px">` +
    `<div class="dlbb-static">${svgImage(svg, fig.caption)}<div style="font:12px sans-serif;color:#666">${escapeHtml(fig.caption)} <i class="dlbb-note"></i></div></div>` +
    `<div class="dlbb-plot"></div></div>\n<script type="text/javascript">(function(){var id=${JSON.stringify(id)},fig=${scriptJson(spec)};\n${FIGURE_JS}})();</script>`;
  return { "text/html": html, "application/vnd.plotly.v1+json": spec, "image/svg+xml": svg, "text/plain": fig.caption };
}

// ---------------------------------------------------------------------------------------------
// the library, sent once

let packed: { b64: string; version: string; rawBytes: number } | null = null;

/** plotly.js from node_modules, gzip-9 + base64 (computed once per process, ~1 s). */
export function packedPlotly(): { b64: string; version: string; rawBytes: number } {
  if (packed) return packed;
  let file: string;
  try {
    file = require.resolve("plotly.js-dist/plotly.js");
  } catch {
    throw new Error("plot-plotly.ts: plotly.js-dist is not installed (run `npm install` in the kit's folder)");
  }
  const version = (JSON.parse(readFileSync(require.resolve("plotly.js-dist/package.json"), "utf8")) as { version: string }).version;
  const rawBytes = statSync(file).size;
  // Packing takes ~1 s; every new kernel (a lesson, each graded submission) would pay it, so the
  // result is kept in node_modules/.cache, keyed by version and size. A failed write only costs time.
  const cache = join(dirname(dirname(file)), ".cache", "dl-building-blocks", `plotly-${version}-${rawBytes}.gz.b64`);
  try {
    packed = { b64: readFileSync(cache, "utf8"), version, rawBytes };
    return packed;
  } catch {
    /* not cached yet */
  }
  packed = { b64: gzipSync(readFileSync(file), { level: 9 }).toString("base64"), version, rawBytes };
  try {
    mkdirSync(dirname(cache), { recursive: true });
    writeFileSync(`${cache}.${process.pid}`, packed.b64);
    renameSync(`${cache}.${process.pid}`, cache);
  } catch {
    /* read-only node_modules: pack again next time */
  }
  return packed;
}

const LOADER_JS = `var g=window.__dlbbPlotly=window.__dlbbPlotly||{queue:[]},st=document.getElementById(id);
function say(t){st=st||document.getElementById(id);if(st)st.textContent=t;}
function drain(){var q=g.queue;g.queue=[];for(var i=0;i<q.length;i++){try{q[i]();}catch(e){console.error(e);}}}
if(window.Plotly){say("plotly.js "+window.Plotly.version+" is loaded: figures are interactive.");drain();return;}
if(g.loading)return;
if(typeof DecompressionStream==="undefined"){g.error="this browser has no DecompressionStream";say("plotly.js not loaded: "+g.error+"; figures stay static pictures.");return;}
g.loading=true;var bin=atob(b64),bytes=new Uint8Array(bin.length);for(var i=0;i<bin.length;i++)bytes[i]=bin.charCodeAt(i);
new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function(src){
var s=document.createElement("script");s.textContent="(function(module,exports,define){\\n"+src+"\\n})();";document.head.appendChild(s);
g.loading=false;if(!window.Plotly)throw new Error("plotly.js did not define window.Plotly");
say("plotly.js "+window.Plotly.version+" is loaded: figures are interactive.");drain();
}).catch(function(e){g.loading=false;g.error=String(e);console.error(e);say("plotly.js failed to load: "+e);});`;

/** The display bundle that puts plotly.js on the page (text/html) with a plain-text note. */
export function loaderBundle(lib: { b64: string; version: string; rawBytes: number } = packedPlotly()): MimeBundle {
  const { b64, version, rawBytes } = lib;
  const id = "dlbb-plotly-" + newDisplayId();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const note = `plotly.js ${version} for interactive figures (${mb(rawBytes)} MB, sent once as ${mb(b64.length)} MB gzip+base64)`;
  const html = `<div id="${id}" style="font:11px sans-serif;color:#888">${escapeHtml(note)}</div>\n` +
    `<script type="text/javascript">(function(){var id=${JSON.stringify(id)},b64="${b64}";\n${LOADER_JS}})();</script>`;
  return { "text/html": html, "text/plain": note };
}

// ---------------------------------------------------------------------------------------------
// where the loader is needed

/**
 * Does this kernel's frontend need plotly.js sent by the kernel? The kernel cannot see the page;
 * what it can know is its environment, so the decision is made from that, in this order:
 * 1. `DLBB_PLOTLY=loader|renderer` decides. `npm start` sets it for the kernels of the servers it
 *    starts: `renderer` for Notebook 7 / JupyterLab 4 from .venv (the `plotly` package's renderer
 *    is installed there), `loader` for Debian's Notebook 6.4 (no renderer, but it runs scripts).
 * 2. VS Code's kernels (the extension host's `VSCODE_PID`, not a terminal inside VS Code) have
 *    VS Code's own Plotly renderer: no loader.
 * 3. Anything else (a Jupyter we did not start, nbclient runs, the grader): the loader is sent,
 *    since a page without a Plotly renderer would otherwise stay static. Where a renderer exists
 *    after all it is only wasted bytes, never a broken figure.
 */
export function plotlyLoaderNeeded(env: NodeJS.ProcessEnv = process.env): { needed: boolean; why: string } {
  const forced = env.DLBB_PLOTLY;
  if (forced === "loader") return { needed: true, why: "DLBB_PLOTLY=loader" };
  if (forced === "renderer") return { needed: false, why: "this Jupyter draws figures with its Plotly renderer" };
  if (forced) throw new Error(`plotly.ts: DLBB_PLOTLY must be "loader" or "renderer", got "${forced}"`);
  if (env.VSCODE_PID && env.TERM_PROGRAM !== "vscode") return { needed: false, why: "VS Code draws figures with its Plotly renderer" };
  return { needed: true, why: "the frontend is not known to have a Plotly renderer" };
}
