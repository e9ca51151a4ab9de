/**
 * The static picture of a figure: a small hand-written SVG renderer (axes, ticks, lines, markers,
 * bars, arrows, legends) with grids of values (digits, heatmaps, contours) embedded as tiny PNGs.
 *
 * Why: a saved notebook opened where no JavaScript runs (GitHub, nbviewer without JS, an
 * untrusted notebook, nbconvert to PDF) cannot draw the Plotly chart. This picture is what
 * those readers see, and what the live page shows until plotly.js has loaded. It costs a few KB
 * per figure (a 28×28 digit is a ~0.5 KB PNG; a line chart a few KB of SVG path).
 * Used by plot.ts for every figure (lesson 01 on).
 */
import { deflateSync } from "zlib";
import type { ColorscaleName, Figure, GridTrace, Panel, Trace } from "./figure";

/** Category-10 colours, used in order for series (Plotly gets the same colorway). */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** Fonts for figure text: Latin first, then Korean fonts on macOS, Windows and Debian (fonts-nanum, Noto CJK). */
export const FONT_FAMILY = "Helvetica, Arial, 'Apple SD Gothic Neo', 'Malgun Gothic', NanumGothic, 'Noto Sans CJK KR', sans-serif";

/** About how wide `text` is at `size` px in FONT_FAMILY (Hangul and other wide glyphs count double). */
export function textWidth(text: string, size = 11): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/.test(ch) ? 1 : 0.58;
  return w * size;
}

/** A number in at most 3 significant digits ("0.255", "1.2e-5", "469"). */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace(/\.?0+e/, "e");
  return String(Number(v.toPrecision(3)));
}

export type { ColorscaleName } from "./figure";
/** Colour stops [t in 0..1, "#rrggbb"]; Plotly gets the same stops. binary: white paper, black ink. */
export const COLORSCALES: Record<ColorscaleName, Array<[number, string]>> = {
  viridis: [[0, "#440154"], [0.111, "#482878"], [0.222, "#3e4989"], [0.333, "#31688e"], [0.444, "#26828e"], [0.556, "#1f9e89"], [0.667, "#35b779"], [0.778, "#6ece58"], [0.889, "#b5de2b"], [1, "#fde725"]],
  binary: [[0, "#ffffff"], [1, "#000000"]],
  gray: [[0, "#000000"], [1, "#ffffff"]],
  rdbu: [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]],
};

const hex = (c: string): number[] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

/** The colour at t ∈ [0, 1] of a colour scale, as [r, g, b] bytes (t is clamped; NaN → t = 0). */
export function colorAt(scale: ColorscaleName, t: number): [number, number, number] {
  const stops = COLORSCALES[scale];
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  let i = 0;
  while (i < stops.length - 2 && u > stops[i + 1][0]) i++;
  const [t0, c0] = stops[i], [t1, c1] = stops[i + 1];
  const f = (u - t0) / (t1 - t0);
  const a = hex(c0), b = hex(c1);
  return [0, 1, 2].map((k) => Math.round(a[k] + f * (b[k] - a[k]))) as [number, number, number];
}

// ---------------------------------------------------------------------------------------------
// PNG (8-bit gray or RGB, no filtering) — enough for small images

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes width×height pixels, row by row from the top, `channels` bytes each (1 gray, 3 RGB). */
export function encodePng(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): Buffer {
  if (pixels.length !== width * height * channels) throw new Error(`plot-svg.ts encodePng: expected ${width * height * channels} bytes, got ${pixels.length}`);
  const row = width * channels;
  const raw = Buffer.alloc((row + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = channels === 1 ? 0 : 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr), pngChunk("IDAT", deflateSync(raw, { level: 9 })), pngChunk("IEND", Buffer.alloc(0))]);
}

/**
 * A grid trace as a PNG, top row first. Images and heatmaps are enlarged by whole pixels (to about
 * 224 px) so that every viewer shows sharp cells; contours are upsampled ×4 (bilinear) and cut
 * into 12 colour bands, which reads like filled contour levels.
 */
export function gridPng(g: GridTrace, topRowFirst: boolean): Buffer {
  const nr = g.z.length, nc = g.z[0].length;
  const smooth = g.contour === true;
  const k = smooth ? 4 : Math.max(1, Math.min(16, Math.ceil(224 / Math.max(nr, nc))));
  const W = smooth ? (nc - 1) * k + 1 : nc * k, H = smooth ? (nr - 1) * k + 1 : nr * k;
  const gray = g.colorscale === "binary" || g.colorscale === "gray";
  const px = new Uint8Array(W * H * (gray ? 1 : 3));
  const span = g.zmax - g.zmin || 1;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    let v: number;
    if (smooth) {
      const ry = y / k, rx = x / k;
      const r0 = Math.min(nr - 1, Math.floor(ry)), c0 = Math.min(nc - 1, Math.floor(rx));
      const r1 = Math.min(nr - 1, r0 + 1), c1 = Math.min(nc - 1, c0 + 1), fy = ry - r0, fx = rx - c0;
      v = (1 - fy) * ((1 - fx) * g.z[r0][c0] + fx * g.z[r0][c1]) + fy * ((1 - fx) * g.z[r1][c0] + fx * g.z[r1][c1]);
    } else v = g.z[Math.floor(y / k)][Math.floor(x / k)];
    let t = (v - g.zmin) / span;
    if (smooth) t = Math.min(11, Math.floor(t * 12)) / 11;
    const row = topRowFirst ? y : H - 1 - y;
    const [r, gg, b] = colorAt(g.colorscale, t);
    if (gray) px[row * W + x] = r;
    else px.set([r, gg, b], (row * W + x) * 3);
  }
  return encodePng(W, H, gray ? 1 : 3, px);
}

// ---------------------------------------------------------------------------------------------
// axes

/** About `count` round tick values (steps 1, 2, 5 × 10^k) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-6) * step; v <= hi + step * 1e-6; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten inside [lo, hi] (falling back to 1-2-5 steps when fewer than two fit). */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e++) out.push(Number(Math.pow(10, e).toPrecision(12)));
  if (out.length >= 2) return out;
  const more: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of [1, 2, 5]) {
    const v = Number((m * Math.pow(10, e)).toPrecision(12));
    if (v >= lo && v <= hi) more.push(v);
  }
  return more;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const r1 = (v: number) => String(Math.round(v * 10) / 10);

function extent(p: Panel): { x: [number, number]; y: [number, number]; tight: boolean } {
  let xl = Infinity, xh = -Infinity, yl = Infinity, yh = -Infinity, tight = false;
  const add = (x: number, y: number) => {
    if (Number.isFinite(x)) { xl = Math.min(xl, x); xh = Math.max(xh, x); }
    if (Number.isFinite(y) && (!p.logY || y > 0)) { yl = Math.min(yl, y); yh = Math.max(yh, y); }
  };
  for (const t of p.traces) {
    if (t.kind === "xy") t.x.forEach((x, i) => add(x, t.y[i]));
    else if (t.kind === "arrows") t.x0.forEach((x, i) => { add(x, t.y0[i]); add(t.x1[i], t.y1[i]); });
    else if (t.kind === "bars") { const w = t.width ?? 0.8; t.x.forEach((x, i) => { add(x - w / 2, t.y[i]); add(x + w / 2, 0); }); tight = true; }
    else {
      const half = t.contour ? 0 : 0.5, nr = t.z.length, nc = t.z[0].length;
      add(t.x0 - half * t.dx, t.y0 - half * t.dy); add(t.x0 + (nc - 1 + half) * t.dx, t.y0 + (nr - 1 + half) * t.dy);
      tight = true;
    }
  }
  if (!Number.isFinite(xl)) { xl = 0; xh = 1; }
  if (!Number.isFinite(yl)) { yl = p.logY ? 1 : 0; yh = p.logY ? 10 : 1; }
  if (xh === xl) { xl -= 1; xh += 1; }
  if (yh === yl) { if (p.logY) { yl /= 2; yh *= 2; } else { yl -= Math.abs(yl) * 0.1 || 1; yh += Math.abs(yh) * 0.1 || 1; } }
  return { x: [xl, xh], y: [yl, yh], tight };
}

// ---------------------------------------------------------------------------------------------
// drawing

function drawTrace(t: Trace, X: (v: number) => number, Y: (v: number) => number, out: string[], imageTop: boolean): void {
  if (t.kind === "grid") {
    const half = t.contour ? 0 : 0.5, nr = t.z.length, nc = t.z[0].length;
    const xa = X(t.x0 - half * t.dx), xb = X(t.x0 + (nc - 1 + half) * t.dx);
    const ya = Y(t.y0 - half * t.dy), yb = Y(t.y0 + (nr - 1 + half) * t.dy);
    const png = gridPng(t, imageTop).toString("base64");
    out.push(`<image x="${r1(Math.min(xa, xb))}" y="${r1(Math.min(ya, yb))}" width="${r1(Math.abs(xb - xa))}" height="${r1(Math.abs(yb - ya))}" preserveAspectRatio="none"${t.contour ? "" : ' style="image-rendering:pixelated"'} xlink:href="data:image/png;base64,${png}"/>`);
  } else if (t.kind === "bars") {
    const w = t.width ?? 0.8;
    t.x.forEach((x, i) => {
      if (!Number.isFinite(t.y[i])) return;
      const xa = X(x - w / 2), xb = X(x + w / 2), y0 = Y(0), y1 = Y(t.y[i]);
      out.push(`<rect x="${r1(xa)}" y="${r1(Math.min(y0, y1))}" width="${r1(Math.max(0.5, xb - xa))}" height="${r1(Math.abs(y1 - y0))}" fill="${t.colors?.[i] ?? t.color ?? PALETTE[0]}"${t.width ? ' stroke="#fff" stroke-width="0.5"' : ""}/>`);
    });
  } else if (t.kind === "arrows") {
    const parts: string[] = [];
    t.x0.forEach((x, i) => {
      const ax = X(x), ay = Y(t.y0[i]), bx = X(t.x1[i]), by = Y(t.y1[i]), len = Math.hypot(bx - ax, by - ay);
      if (!(len > 0.5)) return;
      const h = Math.min(6, 0.4 * len), ang = Math.atan2(by - ay, bx - ax);
      const hx = (d: number) => r1(bx - h * Math.cos(ang + d)), hy = (d: number) => r1(by - h * Math.sin(ang + d));
      parts.push(`M${r1(ax)} ${r1(ay)}L${r1(bx)} ${r1(by)}M${hx(0.45)} ${hy(0.45)}L${r1(bx)} ${r1(by)}L${hx(-0.45)} ${hy(-0.45)}`);
    });
    out.push(`<path d="${parts.join("")}" fill="none" stroke="${t.color ?? "#333"}" stroke-width="1.2"/>`);
  } else {
    const color = t.color ?? PALETTE[0];
    if (t.mode !== "markers") {
      let d = "", pen = false;
      t.x.forEach((x, i) => {
        const ok = Number.isFinite(x) && Number.isFinite(t.y[i]) && Number.isFinite(Y(t.y[i]));
        if (ok) d += `${pen ? "L" : "M"}${r1(X(x))} ${r1(Y(t.y[i]))}`;
        pen = ok;
      });
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${t.dash ? ' stroke-dasharray="6 4"' : ""}/>`);
    }
    if (t.mode !== "lines" && t.x.length <= 500) {
      t.x.forEach((x, i) => { if (Number.isFinite(x) && Number.isFinite(Y(t.y[i]))) out.push(`<circle cx="${r1(X(x))}" cy="${r1(Y(t.y[i]))}" r="3" fill="${color}"/>`); });
    }
  }
}

function drawPanel(p: Panel, bx: number, by: number, bw: number, bh: number, out: string[]): void {
  const grid = p.traces.find((t): t is GridTrace => t.kind === "grid");
  const scale = grid?.showScale ? 56 : 0;
  if (p.title) out.push(`<text x="${r1(bx + (bw - scale) / 2)}" y="${r1(by + 13)}" text-anchor="middle" font-size="12" font-weight="bold">${esc(p.title)}</text>`);
  const top = by + (p.title ? 20 : 8);
  let left = bx + (p.image ? 4 : 46 + (p.yTitle ? 16 : 0)), right = bx + bw - 10 - scale;
  let bottom = by + bh - (p.image ? 4 + (p.xTitle ? 16 : 0) : 24 + (p.xTitle ? 16 : 0));
  let { x: [xl, xh], y: [yl, yh], tight } = extent(p);
  const ty = (v: number) => (p.logY ? Math.log10(v) : v);
  if (!tight && !p.image) {
    const px = (xh - xl) * 0.03, py = (ty(yh) - ty(yl)) * 0.05;
    xl -= px; xh += px;
    if (p.logY) { yl = Math.pow(10, Math.log10(yl) - py); yh = Math.pow(10, Math.log10(yh) + py); } else { yl -= py; yh += py; }
  } else if (tight && !p.image && !grid) {
    yh += (yh - yl) * 0.05;
  }
  if (p.image || p.equalAxes) {
    const upp = Math.max((xh - xl) / (right - left), (ty(yh) - ty(yl)) / (bottom - top));
    if (p.image) { // keep the picture's size, centre it
      const w = (xh - xl) / upp, h = (yh - yl) / upp;
      left += (right - left - w) / 2; right = left + w; bottom = top + h;
    } else {
      const cx = (xl + xh) / 2, cy = (yl + yh) / 2, hw = (upp * (right - left)) / 2, hh = (upp * (bottom - top)) / 2;
      xl = cx - hw; xh = cx + hw; yl = cy - hh; yh = cy + hh;
    }
  }
  // The y tick labels sit left of the plot, inside this panel's cell: as much room as the widest
  // one needs (large values written 1.5k in narrow panels), and in narrow cells no more.
  const yt = p.image ? [] : p.logY ? logTicks(yl, yh) : niceTicks(yl, yh);
  const narrow = bw < 200;
  const yLabel = (v: number) => (narrow && Math.abs(v) >= 1000 && !p.logY ? `${fmt(v / 1000)}k` : fmt(v));
  if (!p.image && !p.equalAxes) {
    const need = Math.max(...yt.map((v) => textWidth(yLabel(v)))) + 9 + (p.yTitle ? 16 : 0);
    left = bx + Math.min(Math.max(need, narrow ? 0 : 46 + (p.yTitle ? 16 : 0)), bw * 0.45);
    if (narrow) right = bx + bw - Math.min(10 + scale, bw * 0.08 + scale);
  }
  const X = (v: number) => left + ((v - xl) / (xh - xl)) * (right - left);
  const Y = p.image ? (v: number) => top + ((v - yl) / (yh - yl)) * (bottom - top)
    : (v: number) => bottom - ((ty(v) - ty(yl)) / (ty(yh) - ty(yl))) * (bottom - top);
  if (!p.image) {
    const xt = p.xTicks ? p.xTicks.values : niceTicks(xl, xh, Math.max(4, Math.round((right - left) / 70)));
    const xlab = (v: number, i: number) => (p.xTicks ? p.xTicks.labels[i] : fmt(v));
    // Tick labels never collide: a y label needs 14 px of height, an x label its width plus 6 px,
    // and no x label may reach past its panel's cell (where the next panel's labels are).
    let lastY = Infinity;
    for (const v of yt) {
      const y = Y(v), show = lastY - y >= 14;
      if (show) lastY = y;
      out.push(`<line x1="${r1(left)}" x2="${r1(right)}" y1="${r1(y)}" y2="${r1(y)}" stroke="#e6e6e6"/>` + (show ? `<text x="${r1(left - 5)}" y="${r1(y + 4)}" text-anchor="end">${esc(yLabel(v))}</text>` : ""));
    }
    let lastRight = bx - 6;
    xt.forEach((v, i) => {
      const label = xlab(v, i), x = X(v), half = textWidth(label) / 2;
      const show = x - half >= lastRight + 6 && x + half <= bx + bw;
      if (show) lastRight = x + half;
      out.push(`<line x1="${r1(x)}" x2="${r1(x)}" y1="${r1(bottom)}" y2="${r1(bottom + 4)}" stroke="#444"/>` + (show ? `<text x="${r1(x)}" y="${r1(bottom + 16)}" text-anchor="middle">${esc(label)}</text>` : ""));
    });
  }
  out.push(`<svg x="${r1(left)}" y="${r1(top)}" width="${r1(right - left)}" height="${r1(bottom - top)}" viewBox="${r1(left)} ${r1(top)} ${r1(right - left)} ${r1(bottom - top)}" overflow="hidden">`);
  for (const t of p.traces) drawTrace(t, X, Y, out, p.image === true);
  out.push(`</svg>`);
  if (!p.image) out.push(`<path d="M${r1(left)} ${r1(top)}V${r1(bottom)}H${r1(right)}" fill="none" stroke="#444"/>`);
  if (p.xTitle) out.push(`<text x="${r1((left + right) / 2)}" y="${r1(bottom + (p.image ? 14 : 32))}" text-anchor="middle">${esc(p.xTitle)}</text>`);
  if (p.yTitle) out.push(`<text transform="translate(${r1(bx + 12)} ${r1((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(p.yTitle)}</text>`);
  if (grid?.showScale) {
    const id = `cs${Math.random().toString(36).slice(2, 8)}`, stops = COLORSCALES[grid.colorscale];
    out.push(`<defs><linearGradient id="${id}" x1="0" y1="1" x2="0" y2="0">${stops.map(([t, c]) => `<stop offset="${t}" stop-color="${c}"/>`).join("")}</linearGradient></defs>`,
      `<rect x="${r1(right + 10)}" y="${r1(top)}" width="12" height="${r1(bottom - top)}" fill="url(#${id})"/>`,
      `<text x="${r1(right + 25)}" y="${r1(top + 9)}">${esc(fmt(grid.zmax))}</text><text x="${r1(right + 25)}" y="${r1(bottom)}">${esc(fmt(grid.zmin))}</text>`);
  }
  const named = p.traces.filter((t) => (t.kind === "xy" || t.kind === "bars") && t.name) as Array<Trace & { name: string; color?: string }>;
  if (named.length > 1) {
    const w = 24 + 7 * Math.max(...named.map((t) => t.name.length)), lx = right - w - 6;
    out.push(`<rect x="${r1(lx)}" y="${r1(top + 4)}" width="${r1(w)}" height="${named.length * 16 + 4}" fill="#fff" fill-opacity="0.85" stroke="#ccc"/>`);
    named.forEach((t, i) => out.push(`<line x1="${r1(lx + 4)}" x2="${r1(lx + 18)}" y1="${r1(top + 14 + i * 16)}" y2="${r1(top + 14 + i * 16)}" stroke="${t.color ?? PALETTE[i]}" stroke-width="3"/><text x="${r1(lx + 22)}" y="${r1(top + 18 + i * 16)}">${esc(t.name)}</text>`));
  }
}

/** The whole figure as one standalone SVG document (width 640 px, height = fig.height). */
export function figureSvg(fig: Figure, width = 640): string {
  const titleH = fig.title ? 26 : 0;
  const rows = Math.ceil(fig.panels.length / fig.columns);
  const cw = width / fig.columns;
  let ch = (fig.height - titleH) / rows;
  if (fig.panels.every((p) => p.image && !p.xTitle)) ch = Math.min(ch, cw + 20); // pictures: no empty band below
  const H = Math.round(titleH + rows * ch);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="${FONT_FAMILY}" font-size="11" fill="#333" style="max-width:100%;height:auto">`,
    `<rect width="${width}" height="${H}" fill="#fff"/>`];
  if (fig.title) out.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-size="15">${esc(fig.title)}</text>`);
  fig.panels.forEach((p, i) => drawPanel(p, (i % fig.columns) * cw, titleH + Math.floor(i / fig.columns) * ch, cw, ch, out));
  out.push("</svg>");
  return out.join("");
}
