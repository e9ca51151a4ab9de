import { createHash } from "crypto";
import { readFileSync } from "fs";
import { createRequire } from "module";
import vm from "vm";
import { gunzipSync, gzipSync, inflateSync } from "zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  barChart, contourPlot, digitGrid, digitImage, fmt, heatmap, histogram, histograms, lineChart, scatterPlot, showFigure, vectorField,
  type Figure, type GridTrace, type XYTrace,
} from "../../src/figures/charts";
import { loaderBundle, plotlyBundle, plotlyLoaderNeeded, toPlotly } from "../../src/figures/plotly";
import { colorAt, crc32, encodePng, figureSvg, logTicks, niceTicks, textWidth } from "../../src/figures/svg";
import { setupPlots } from "../../src/figures/charts";

const req = createRequire(import.meta.url);

/** A 28×28 "digit": a filled square of ink 200 in rows/cols 8..19, zero elsewhere. */
function squareDigit(): Uint8Array {
  const px = new Uint8Array(784);
  for (let r = 8; r < 20; r++) for (let c = 8; c < 20; c++) px[r * 28 + c] = 200;
  return px;
}

/** Decodes the PNGs that an SVG embeds: size, colour type, and raw rows (filter byte removed). */
function pngsIn(svg: string) {
  return [...svg.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => {
    const b = Buffer.from(m[1], "base64");
    expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks: Record<string, Buffer> = {};
    for (let o = 8; o < b.length;) {
      const len = b.readUInt32BE(o), type = b.toString("ascii", o + 4, o + 8), data = b.subarray(o + 8, o + 8 + len);
      expect(b.readUInt32BE(o + 8 + len)).toBe(crc32(b.subarray(o + 4, o + 8 + len)));
      chunks[type] = data;
      o += 12 + len;
    }
    const w = chunks.IHDR.readUInt32BE(0), h = chunks.IHDR.readUInt32BE(4), ch = chunks.IHDR[9] === 0 ? 1 : 3;
    const raw = inflateSync(chunks.IDAT);
    const rows = Array.from({ length: h }, (_, y) => raw.subarray(y * (w * ch + 1) + 1, (y + 1) * (w * ch + 1)));
    return { w, h, ch, rows };
  });
}

afterEach(() => vi.restoreAllMocks());

describe("figure builders", () => {
  it("lineChart: named series, x from 1, caption with first/last values", () => {
    const f = lineChart({ series: { loss: [0.26, 0.12, 0.08, 0.05, 0.04], val_loss: [0.3, 0.2, 0.15, 0.14, 0.16] }, title: "Loss per epoch", xTitle: "epoch" });
    const t = f.panels[0].traces as XYTrace[];
    expect(t.map((s) => s.name)).toEqual(["loss", "val_loss"]);
    expect(t[0].x).toEqual([1, 2, 3, 4, 5]);
    expect(f.caption).toContain('line chart "Loss per epoch"');
    expect(f.caption).toContain("loss: 5 points, 0.26 → 0.04");
    expect(f.caption).toContain("val_loss: 5 points, 0.3 → 0.16 (min 0.14)");
    expect(() => lineChart({ series: [{ name: "a", y: [1, 2], x: [1] }] })).toThrow(/plot\.ts lineChart: series "a" has 2 y values but 1 x values/);
    expect(() => lineChart({ series: { a: [1, 0] }, logY: true })).toThrow(/logY needs positive values; series "a" has 0 at index 1/);
    expect(() => lineChart({ series: {} })).toThrow(/series is empty/);
  });

  it("barChart: labels 0..9, highlight and the largest bar", () => {
    const p = [0.01, 0, 0.02, 0.9, 0, 0.03, 0, 0.04, 0, 0];
    const f = barChart({ values: p, highlight: 5 });
    const bars = f.panels[0].traces[0] as { colors?: string[] };
    expect(bars.colors).toHaveLength(10);
    expect(bars.colors!.filter((c) => c !== bars.colors![0])).toEqual([bars.colors![5]]);
    expect(f.panels[0].xTicks?.labels).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(f.caption).toContain("10 bars; largest: 3 = 0.9; highlighted: 5 = 0.03");
    expect(() => barChart({ values: p, highlight: 10 })).toThrow(/highlight must be a bar index 0..9/);
    expect(() => barChart({ values: p, labels: ["a"] })).toThrow(/10 values but 1 labels/);
  });

  it("digitImage: 784 bytes become 28 rows, ink counted, scale 0..255", () => {
    const f = digitImage(squareDigit(), { title: "label 0" });
    const g = f.panels[0].traces[0] as GridTrace;
    expect(g.z).toHaveLength(28);
    expect(g.z[10][10]).toBe(200);
    expect(g.zmax).toBe(255);
    expect(f.caption).toContain("28×28 grayscale image");
    expect(f.caption).toContain("144 of 784 pixels darker than half");
    expect((digitImage([[0, 0.5], [1, 0]]).panels[0].traces[0] as GridTrace).zmax).toBe(1);
    expect(() => digitImage(new Uint8Array(10))).toThrow(/10 pixels do not make rows of width 3/);
  });

  it("digitGrid: one panel per digit with its title", () => {
    const f = digitGrid([squareDigit(), squareDigit(), squareDigit()], { titles: ["5", "0", "4"] });
    expect(f.panels.map((p) => p.title)).toEqual(["5", "0", "4"]);
    expect(f.columns).toBe(3);
    expect(() => digitGrid([squareDigit()], { titles: ["a", "b"] })).toThrow(/1 images but 2 titles/);
  });

  it("histogram counts values into equal bins, the top edge into the last bin", () => {
    const { edges, counts } = histogram([0, 0.1, 0.5, 0.99, 1, 2, NaN], 4, [0, 1]);
    expect(edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(counts).toEqual([2, 0, 1, 2]); // 2 is outside, NaN ignored
    expect(histogram([3, 3, 3], 2).counts).toEqual([0, 3]);
    expect(() => histogram([1], 0)).toThrow(/bins must be a positive integer/);
  });

  it("histograms: one panel per layer with mean/std in the caption", () => {
    const f = histograms({ layer1: [0, 1, 2, 3], layer2: [1, 1, 1, 1] }, { bins: 4 });
    expect(f.panels).toHaveLength(2);
    expect(f.columns).toBe(2);
    expect(f.caption).toContain("layer1: 4 values in [0, 3], mean 1.5, std 1.12");
    const bars = f.panels[0].traces[0] as { y: number[] };
    expect(bars.y.reduce((a, b) => a + b)).toBe(4);
  });

  it("contourPlot: grid of f, arrows (descent flips them), paths", () => {
    const f = (x: number, y: number) => x * x + 2 * y * y;
    const grad = (x: number, y: number) => [2 * x, 4 * y];
    const fig = contourPlot({ f, gradient: grad, descent: true, arrows: 5, x: [-2, 2], y: [-1, 1], resolution: 21, paths: [{ name: "gd", points: [[-2, 1], [-1, 0.2], [0, 0]] }] });
    const [grid, arrows, path] = fig.panels[0].traces;
    expect(grid.kind).toBe("grid");
    const g = grid as GridTrace;
    expect(g.z).toHaveLength(21);
    expect(g.z[10][10]).toBe(0); // (0, 0)
    expect(g.z[20][20]).toBeCloseTo(f(2, 1), 12); // last row is y = 1, last column x = 2
    const a = arrows as { x0: number[]; y0: number[]; x1: number[]; y1: number[] };
    expect(a.x0).toHaveLength(25);
    const i = a.x0.findIndex((x, k) => x === 2 && a.y0[k] === 0); // ∇f = (4, 0) there: descent points left
    expect(a.x1[i]).toBeLessThan(2);
    expect(path.kind).toBe("xy");
    expect(fig.caption).toContain('path "gd": 3 points from (-2, 1) to (0, 0)');
    expect(fig.panels[0].equalAxes).toBe(true);
    expect(() => contourPlot({ x: [1, 0], y: [0, 1], f })).toThrow(/plot\.ts contourPlot: x must be \[min, max\]/);
    expect(() => vectorField({ x: [0, 1], y: [0, 1] } as never)).toThrow(/field must be a function/);
  });

  it("scatterPlot: a closed shape repeats its first point", () => {
    const fig = scatterPlot([{ name: "square", points: [[0, 0], [1, 0], [1, 1], [0, 1]], closed: true }, { name: "p", points: { x: [2], y: [3] } }]);
    const t = fig.panels[0].traces as XYTrace[];
    expect(t[0].x).toEqual([0, 1, 1, 0, 0]);
    expect(t[0].mode).toBe("lines+markers");
    expect(t[1].mode).toBe("markers");
    expect(fig.caption).toContain("square: 4 points, x ∈ [0, 1], y ∈ [0, 1]");
  });

  it("heatmap rejects unknown colour scales", () => {
    expect(() => heatmap([[1, 2]], { colorscale: "jet" as never })).toThrow(/unknown colorscale "jet"/);
  });
});

describe("Plotly spec", () => {
  it("puts panels on their own axes with titles, image axes reversed", () => {
    const spec = toPlotly(digitGrid([squareDigit(), squareDigit()], { titles: ["a", "b"] }));
    expect(spec.data.map((d) => [d.type, d.xaxis, d.yaxis])).toEqual([["heatmap", "x", "y"], ["heatmap", "x2", "y2"]]);
    expect(spec.layout.grid).toMatchObject({ rows: 1, columns: 2, pattern: "independent" });
    expect(spec.layout.yaxis2).toMatchObject({ autorange: "reversed", scaleanchor: "x2" });
    expect((spec.layout.annotations as Array<{ text: string; xref: string }>).map((a) => [a.text, a.xref])).toEqual([["a", "x domain"], ["b", "x2 domain"]]);
    expect(spec.config).toMatchObject({ responsive: true });
  });

  it("log axis, legend for several series, NaN as a gap", () => {
    const spec = toPlotly(lineChart({ series: { a: [1, NaN, 0.1], b: [2, 1, 0.5] }, logY: false }));
    expect(spec.layout.showlegend).toBe(true);
    expect(JSON.parse(JSON.stringify(spec)).data[0].y).toEqual([1, null, 0.1]);
    expect(toPlotly(lineChart({ series: { a: [1, 0.1] }, logY: true })).layout.yaxis).toMatchObject({ type: "log" });
    expect(toPlotly(lineChart({ series: { a: [1, 0.1] } })).layout.showlegend).toBe(false);
  });

  it("draws arrows as one line trace of shafts and heads", () => {
    const spec = toPlotly(vectorField({ field: () => [1, 0], x: [0, 1], y: [0, 1], arrows: 2 }));
    const x = spec.data[0].x as Array<number | null>;
    expect(x.filter((v) => v === null)).toHaveLength(8); // 4 arrows × (shaft, head)
  });
});

describe("static SVG", () => {
  it("embeds a digit as a gray PNG, 8 screen pixels per pixel: paper white, ink dark", () => {
    const svg = figureSvg(digitImage(squareDigit()));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.endsWith("</svg>")).toBe(true);
    const [png] = pngsIn(svg);
    expect([png.w, png.h, png.ch]).toEqual([224, 224, 1]);
    expect(png.rows[0][0]).toBe(255); // 0 → white
    const ink = Math.round(255 - (200 / 255) * 255); // 200 of 255 → dark gray
    expect(png.rows[8 * 8][8 * 8]).toBe(ink); // first inked pixel (row 8, col 8)…
    expect(png.rows[8 * 8 + 7][8 * 8 + 7]).toBe(ink); // …is 8×8 screen pixels
    expect(png.rows[8 * 8 - 1][8 * 8]).toBe(255);
    expect(png.rows[20 * 8][19 * 8]).toBe(255); // row 20 is paper again
  });

  it("draws one path per line series, bars as rects, ticks as text", () => {
    const svg = figureSvg(lineChart({ series: { loss: [0.3, 0.2, 0.1], acc: [0.5, 0.7, 0.9] }, yTitle: "value" }));
    expect(svg.match(/<path d="M[^"]*" fill="none" stroke="#1f77b4"/g)).toHaveLength(1);
    expect(svg.match(/stroke="#ff7f0e" stroke-width="2"/g)).toHaveLength(1);
    expect(svg).toContain(">value</text>");
    expect(svg).toContain(">loss</text>"); // legend
    const bars = figureSvg(barChart({ values: [0.1, 0.5, 0.4] }));
    expect(bars.match(/<rect x=/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it("escapes titles", () => {
    expect(figureSvg(lineChart({ series: { "a<b": [1, 2] }, title: "x & y" }))).toContain("x &amp; y");
  });

  it("axis helpers", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.3, 0.3, 3)).toEqual([-0.2, 0, 0.2]);
    expect(logTicks(0.01, 10)).toEqual([0.01, 0.1, 1, 10]);
    expect(logTicks(0.03, 0.3)).toEqual([0.05, 0.1, 0.2]);
    expect(colorAt("binary", 0)).toEqual([255, 255, 255]);
    expect(colorAt("binary", 1)).toEqual([0, 0, 0]);
    expect(colorAt("viridis", 0)).toEqual([0x44, 0x01, 0x54]);
    expect(colorAt("viridis", 1)).toEqual([0xfd, 0xe7, 0x25]);
    expect(colorAt("gray", 0.5)).toEqual([128, 128, 128]);
    expect(fmt(0.25514)).toBe("0.255");
    expect(fmt(469)).toBe("469");
    expect(fmt(0.00001234)).toBe("1.23e-5");
  });

  it("encodePng checks its input size", () => {
    expect(() => encodePng(2, 2, 3, new Uint8Array(4))).toThrow(/expected 12 bytes, got 4/);
  });
});

describe("display bundles", () => {
  it("a figure is HTML + Plotly JSON + SVG + caption, small, script-safe", () => {
    const fig: Figure = lineChart({ series: { loss: [0.3, 0.2] }, title: "</script><b>" });
    const b = plotlyBundle(fig, figureSvg(fig), "dlbb-fig-test");
    expect(Object.keys(b).sort()).toEqual(["application/vnd.plotly.v1+json", "image/svg+xml", "text/html", "text/plain"]);
    const html = b["text/html"] as string;
    expect(html.match(/<\/script>/g)).toHaveLength(1); // the title cannot close the script early
    expect(html).toContain('id="dlbb-fig-test"');
    expect(html).toContain("Plotly.newPlot");
    expect(html).toContain("__dlbbPlotly");
    expect(html.length).toBeLessThan(20000);
    expect(b["text/plain"]).toBe(fig.caption);
  });

  it("the static picture in the HTML is a data-URI image of the SVG, never inline <svg> (sanitizers keep only its text)", () => {
    const fig: Figure = histograms({ "층 1": [0.1, 0.2, 0.2, 0.9], "layer 2": [0.5, 0.6] }, { title: "활성화 분포" });
    const svg = figureSvg(fig);
    const html = plotlyBundle(fig, svg, "dlbb-fig-img")["text/html"] as string;
    expect(html).not.toMatch(/<svg/i);
    const img = /<img class="dlbb-picture" src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)" width="(\d+)" height="(\d+)" alt="([^"]*)"/.exec(html);
    expect(img, "an <img> with a base64 SVG data URI").not.toBeNull();
    expect(Buffer.from(img![1], "base64").toString("utf8")).toBe(svg); // Hangul survives the round trip
    expect(Number(img![2])).toBe(640);
    expect(img![4]).toBe(fig.caption.replace(/"/g, "&quot;"));
    expect(svg).toContain("NanumGothic"); // a Korean font where Helvetica/Arial have no Hangul
  });

  it("the loader carries plotly.js, gzip + base64, byte for byte", () => {
    const b = loaderBundle();
    const html = b["text/html"] as string;
    const b64 = /b64="([A-Za-z0-9+/=]+)"/.exec(html)![1];
    const file = req.resolve("plotly.js-dist/plotly.js");
    const sha = (x: Buffer) => createHash("sha256").update(x).digest("hex");
    expect(sha(gunzipSync(Buffer.from(b64, "base64")))).toBe(sha(readFileSync(file)));
    expect(html).toContain("DecompressionStream");
    expect(b["text/plain"]).toMatch(/^plotly\.js 3\.\d+\.\d+ for interactive figures/);
    expect(html.length).toBeLessThan(readFileSync(file).length / 3);
  });

  it("outside a notebook showFigure prints the caption only", () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const fig = barChart({ values: [0.2, 0.8] });
    showFigure(fig);
    expect(out).toHaveBeenCalledTimes(1);
    expect(out).toHaveBeenCalledWith(fig.caption + "\n");
    expect(() => showFigure({} as Figure)).toThrow(/plot\.ts showFigure/);
  });
});

describe("where plotly.js is sent", () => {
  const FAKE = "/fake/node_modules/tslab/dist/jupyter.js";
  type Sent = { data: Record<string, unknown> };
  function fakeKernel(): Sent[] {
    const sent: Sent[] = [];
    (req.cache as Record<string, unknown>)[FAKE] = { id: FAKE, filename: FAKE, loaded: true, exports: { lastWriteDisplayData: (msg: Sent) => sent.push(msg) } };
    return sent;
  }
  afterEach(() => {
    delete req.cache[FAKE];
    vi.unstubAllEnvs();
  });

  it("decides from what the kernel can know: DLBB_PLOTLY, VS Code, else the loader", () => {
    expect(plotlyLoaderNeeded({}).needed).toBe(true);
    expect(plotlyLoaderNeeded({ DLBB_PLOTLY: "renderer" }).needed).toBe(false);
    expect(plotlyLoaderNeeded({ DLBB_PLOTLY: "loader", VSCODE_PID: "12" }).needed).toBe(true);
    expect(plotlyLoaderNeeded({ VSCODE_PID: "12" }).needed).toBe(false);
    // a Jupyter started from a terminal inside VS Code serves a browser page: it still needs the loader
    expect(plotlyLoaderNeeded({ VSCODE_PID: "12", TERM_PROGRAM: "vscode" }).needed).toBe(true);
    expect(() => plotlyLoaderNeeded({ DLBB_PLOTLY: "yes" })).toThrow(/DLBB_PLOTLY must be "loader" or "renderer", got "yes"/);
  });

  it("setupPlots sends the 2.6 MB loader only where no Plotly renderer is known", () => {
    vi.stubEnv("DLBB_PLOTLY", "renderer");
    const sent = fakeKernel();
    setupPlots();
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0].data)).toEqual(["text/plain"]);
    expect(String(sent[0].data["text/plain"])).toMatch(/plotly\.js is not sent/);
    setupPlots({ loader: true });
    expect(String(sent[1].data["text/html"]).length).toBeGreaterThan(1_000_000);
    vi.stubEnv("DLBB_PLOTLY", "loader");
    setupPlots();
    expect(String(sent[2].data["text/html"])).toContain("DecompressionStream");
  });
});

describe("panels side by side: tick labels never collide", () => {
  const values = (k: number) => Array.from({ length: 30000 }, (_, i) => ((i * 7919) % 30000) / 30000 * (k % 2 ? 1 : 8) - (k % 2 ? 0 : 4));
  const fig = (n: number) => histograms(Array.from({ length: n }, (_, k) => ({ name: `layer ${k + 1}`, values: values(k) })), { bins: 30, xTitle: "activation" });

  it("in the static SVG: x labels stay inside their panel's cell and apart; y labels 14 px apart", () => {
    for (const n of [2, 5, 10]) {
      const svg = figureSvg(fig(n));
      const cell = 640 / n;
      const xs = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle">([^<]*)<\/text>/g)]
        .filter((m) => !/[a-z]/.test(m[3])) // tick labels, not titles
        .map((m) => ({ x: Number(m[1]), y: Number(m[2]), half: textWidth(m[3]) / 2 }));
      expect(xs.length).toBeGreaterThanOrEqual(n < 10 ? n * 2 : 1); // ten panels in 640 px: too narrow for more
      for (const t of xs) {
        const c = Math.floor(t.x / cell);
        expect(t.x - t.half, `${n} panels: a label leaves its cell on the left`).toBeGreaterThanOrEqual(c * cell);
        expect(t.x + t.half, `${n} panels: a label leaves its cell on the right`).toBeLessThanOrEqual((c + 1) * cell);
      }
      const rows = new Map<number, typeof xs>();
      for (const t of xs) rows.set(t.y, [...(rows.get(t.y) ?? []), t]);
      for (const row of rows.values()) {
        row.sort((a, b) => a.x - b.x);
        for (let i = 1; i < row.length; i++) expect(row[i].x - row[i].half - (row[i - 1].x + row[i - 1].half), `${n} panels: labels overlap`).toBeGreaterThan(0);
      }
    }
  });

  it("in the Plotly layout: the gap between panels holds a y tick label, and narrow panels get fewer x ticks", () => {
    const five = toPlotly(fig(5)).layout as Record<string, any>;
    expect(five.grid.xgap * (680 / 5)).toBeGreaterThanOrEqual(45);
    expect(five.xaxis2.nticks).toBeLessThanOrEqual(3);
    expect(five.yaxis2.tickformat).toBe("~s"); // counts ≥ 1000 as "1k"
    const one = toPlotly(lineChart({ series: { loss: [1, 2] } })).layout as Record<string, any>;
    expect(one.grid).toBeUndefined();
    expect(one.font.family).toMatch(/NanumGothic/);
  });
});

describe("page scripts (run in a fake browser page)", () => {
  type El = { id?: string; style: Record<string, string>; textContent: string; children: Record<string, El> };
  const el = (id?: string): El => ({ id, style: {}, textContent: "", children: {} });

  /** A page with requirejs-like globals (`define`, `module`), the DOM calls the scripts use, and Node's streams. */
  function page() {
    const nodes: Record<string, El> = {};
    const calls: unknown[][] = [];
    const win: Record<string, unknown> = {
      define: Object.assign(() => { throw new Error("anonymous define() called"); }, { amd: {} }),
      module: { exports: {} }, exports: {},
      atob, Uint8Array, Blob, Response, DecompressionStream, console, Error, String, JSON, setTimeout,
      newPlotCalls: calls,
    };
    win.window = win;
    win.document = {
      getElementById: (id: string) => nodes[id] ?? null,
      createElement: () => ({ textContent: "" }),
      head: { appendChild: (s: { textContent: string }) => vm.runInContext(s.textContent, ctx) },
    };
    const ctx = vm.createContext(win);
    const run = (html: string) => {
      for (const m of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) vm.runInContext(m[1], ctx);
    };
    const addFigure = (id: string) => {
      const root = el(id);
      root.children = { ".dlbb-static": el(), ".dlbb-plot": el(), ".dlbb-note": el() };
      (root as unknown as { querySelector: (s: string) => El }).querySelector = (s) => root.children[s];
      nodes[id] = root;
      return root;
    };
    return { win, nodes, calls, run, addFigure };
  }

  /** A stand-in for plotly.js: UMD that would hand itself to `module`/`define` if it saw them. */
  const FAKE_LIB = `(function(root, factory){ if (typeof module === "object" && module.exports) module.exports = factory();
    else if (typeof define === "function" && define.amd) define([], factory); else root.Plotly = factory(); })(window, function(){
    return { version: "fake", newPlot: function(el, data, layout, config){ window.newPlotCalls.push([el, data, layout, config]); return Promise.resolve(); } }; });`;
  const packedFake = () => {
    const raw = Buffer.from(FAKE_LIB);
    return { b64: gzipSync(raw).toString("base64"), version: "fake", rawBytes: raw.length };
  };
  const settle = () => new Promise((r) => setTimeout(r, 50));
  /** Unpacking runs asynchronously (DecompressionStream): on a busy machine it takes more than a few ms. */
  const until = async (done: () => boolean, ms = 5000) => {
    for (const end = Date.now() + ms; !done() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
  };

  it("a figure shown before the library waits in the queue, then is drawn and its picture hidden", async () => {
    const pg = page();
    const fig = lineChart({ series: { loss: [3, 2, 1] } });
    const root = pg.addFigure("dlbb-fig-1");
    pg.run(plotlyBundle(fig, figureSvg(fig), "dlbb-fig-1")["text/html"] as string);
    expect(pg.calls).toHaveLength(0); // no Plotly yet: queued
    pg.run(loaderBundle(packedFake())["text/html"] as string);
    await until(() => pg.calls.length === 1);
    expect((pg.win.Plotly as { version: string }).version).toBe("fake"); // set on window despite define/module
    expect(pg.calls).toHaveLength(1);
    const [target, data, layout] = pg.calls[0] as [El, Array<{ y: number[] }>, { height: number }];
    expect(target).toBe(root.children[".dlbb-plot"]);
    expect(data[0].y).toEqual([3, 2, 1]);
    expect(layout.height).toBe(fig.height);
    expect(root.children[".dlbb-static"].style.display).toBe("none");
    // later figures draw at once; a second loader (a re-run first cell) does not load again
    pg.addFigure("dlbb-fig-2");
    pg.run(plotlyBundle(fig, figureSvg(fig), "dlbb-fig-2")["text/html"] as string);
    pg.run(loaderBundle(packedFake())["text/html"] as string);
    await until(() => pg.calls.length >= 2);
    await settle();
    expect(pg.calls).toHaveLength(2);
  });

  it("a figure whose div is not in the page yet retries until it appears", async () => {
    const pg = page();
    pg.run(loaderBundle(packedFake())["text/html"] as string);
    await settle();
    const fig = barChart({ values: [1, 2] });
    pg.run(plotlyBundle(fig, figureSvg(fig), "dlbb-fig-late")["text/html"] as string);
    expect(pg.calls).toHaveLength(0);
    pg.addFigure("dlbb-fig-late");
    await new Promise((r) => setTimeout(r, 250));
    expect(pg.calls).toHaveLength(1);
  });
});
