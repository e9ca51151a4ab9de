// @ts-check
// A small SVG builder for the lesson diagrams (tools/draw-assets.mjs). Each diagram is drawn once and
// rendered twice, with English and with Korean labels, so the two editions cannot drift: a label is
// either a language-neutral string (symbols, numbers, variable names) or an { en, ko } pair.
// While drawing it checks the layout, using a conservative estimate of each text's width: a text must
// fit its box (when given one) and the canvas, and no two texts may overlap. A label that is too long
// in either language is an error naming the diagram, the language and the label.

/** @typedef {"en" | "ko"} Lang */
/** @typedef {{ en: string, ko: string }} Label */
/** @typedef {string | Label} Text */
/** A piece of a text line: its own colour, weight, or a raised/lowered position (superscript). */
/** @typedef {{ t: Text, fill?: string, weight?: "bold", dy?: number, size?: number }} Segment */

/** Fonts that render Hangul on Linux, Windows and macOS, then the generic family. */
export const FONT_STACK =
  "'Noto Sans KR','Noto Sans CJK KR','NanumGothic','Malgun Gothic','Apple SD Gothic Neo',sans-serif";

/** The palette every diagram shares. */
export const C = {
  ink: "#1f2937",
  muted: "#6b7280",
  line: "#9ca3af",
  paper: "#ffffff",
  panel: "#f9fafb",
  blue: "#2563eb",
  blueFill: "#dbeafe",
  red: "#dc2626",
  redFill: "#fee2e2",
  green: "#059669",
  greenFill: "#d1fae5",
  purple: "#7c3aed",
  purpleFill: "#ede9fe",
  amber: "#d97706",
  amberFill: "#fef3c7",
  grey: "#e5e7eb",
};

/** Estimated advance of one character, in em: generous, so that real fonts stay inside the estimate. */
function charWidth(/** @type {string} */ ch) {
  const c = /** @type {number} */ (ch.codePointAt(0));
  if ((c >= 0xac00 && c <= 0xd7a3) || (c >= 0x3130 && c <= 0x318f)) return 0.96; // Hangul
  if (ch === " ") return 0.3;
  if ("il.,:;'|!()[]{}/`".includes(ch)) return 0.36;
  if ("mwMW".includes(ch)) return 0.9;
  if (/[A-Z]/.test(ch)) return 0.72;
  if (/[a-z0-9]/.test(ch)) return 0.6;
  if ("₀₁₂₃₄₅₆₇₈₉".includes(ch)) return 0.45;
  return 0.8; // symbols: ∂ × · → − ≤ Σ …
}

/** Estimated width in px of a string at a font size. */
export function textWidth(/** @type {string} */ s, /** @type {number} */ size, bold = false) {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w * size * (bold ? 1.07 : 1);
}

const esc = (/** @type {string} */ s) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (/** @type {number} */ n) => String(Math.round(n * 10) / 10);

/**
 * @typedef {object} TextOptions
 * @property {number} [size] font size in px (default 14)
 * @property {"start" | "middle" | "end"} [anchor] default "middle"
 * @property {string} [fill]
 * @property {"bold"} [weight]
 * @property {number} [maxWidth] the width of the box the text must fit in
 */

/**
 * @typedef {object} ShapeStyle
 * @property {string} [fill]
 * @property {string} [stroke]
 * @property {number} [width] stroke width
 * @property {number} [rx]
 * @property {string} [dash]
 * @property {number} [opacity]
 */

export class Drawing {
  /**
   * @param {string} name the diagram's name, for error messages
   * @param {Lang} lang
   * @param {number} width
   * @param {number} height
   * @param {Label} title the accessible title (also the image's tooltip)
   */
  constructor(name, lang, width, height, title) {
    this.name = name;
    this.lang = lang;
    this.width = width;
    this.height = height;
    this.title = title;
    /** @type {string[]} */
    this.parts = [];
    /** @type {{ x0: number, x1: number, y0: number, y1: number, s: string }[]} */
    this.boxes = [];
    /** @type {string[]} layout problems, reported together by svg() */
    this.problems = [];
  }

  /** The label in this drawing's language. */
  tr(/** @type {Text} */ t) {
    if (typeof t === "string") return t;
    const s = t[this.lang];
    if (typeof s !== "string" || s === "") throw new Error(`${this.name}: label ${JSON.stringify(t)} has no ${this.lang} text`);
    return s;
  }

  /** @param {ShapeStyle} st */
  style(st, defaults = { fill: "none", stroke: C.ink }) {
    const fill = st.fill ?? defaults.fill;
    const stroke = st.stroke ?? defaults.stroke;
    let a = ` fill="${fill}" stroke="${stroke}"`;
    if (stroke !== "none") a += ` stroke-width="${num(st.width ?? 1.5)}"`;
    if (st.dash) a += ` stroke-dasharray="${st.dash}"`;
    if (st.opacity !== undefined) a += ` opacity="${num(st.opacity)}"`;
    return a;
  }

  rect(/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ w, /** @type {number} */ h, /** @type {ShapeStyle} */ st = {}) {
    const rx = st.rx ? ` rx="${num(st.rx)}"` : "";
    this.parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}"${rx}${this.style(st)}/>`);
  }

  circle(/** @type {number} */ cx, /** @type {number} */ cy, /** @type {number} */ r, /** @type {ShapeStyle} */ st = {}) {
    this.parts.push(`<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}"${this.style(st)}/>`);
  }

  /** A polyline through points; `close` makes it a polygon. */
  poly(/** @type {[number, number][]} */ pts, /** @type {ShapeStyle} */ st = {}, close = false) {
    const p = pts.map(([x, y]) => `${num(x)},${num(y)}`).join(" ");
    this.parts.push(`<${close ? "polygon" : "polyline"} points="${p}"${this.style(st)} stroke-linejoin="round" stroke-linecap="round"/>`);
  }

  line(/** @type {number} */ x1, /** @type {number} */ y1, /** @type {number} */ x2, /** @type {number} */ y2, /** @type {ShapeStyle} */ st = {}) {
    this.poly([[x1, y1], [x2, y2]], st);
  }

  /** A smooth path through points (Catmull-Rom turned into cubic Béziers). */
  curve(/** @type {[number, number][]} */ pts, /** @type {ShapeStyle} */ st = {}, close = false) {
    const n = pts.length;
    const at = (/** @type {number} */ i) => pts[close ? (i + n) % n : Math.max(0, Math.min(n - 1, i))];
    let d = `M${num(pts[0][0])},${num(pts[0][1])}`;
    for (let i = 0; i < (close ? n : n - 1); i++) {
      const [p0, p1, p2, p3] = [at(i - 1), at(i), at(i + 1), at(i + 2)];
      const c1 = [p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6];
      const c2 = [p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6];
      d += ` C${num(c1[0])},${num(c1[1])} ${num(c2[0])},${num(c2[1])} ${num(p2[0])},${num(p2[1])}`;
    }
    if (close) d += " Z";
    this.parts.push(`<path d="${d}"${this.style(st)} stroke-linejoin="round" stroke-linecap="round"/>`);
  }

  /** A polyline with an arrowhead at its end (drawn as a polygon, so every renderer shows it). */
  arrow(/** @type {[number, number][]} */ pts, /** @type {ShapeStyle} */ st = {}, head = 9) {
    const stroke = st.stroke ?? C.ink;
    const [x2, y2] = pts[pts.length - 1];
    const [x1, y1] = pts[pts.length - 2];
    const len = Math.hypot(x2 - x1, y2 - y1);
    const [ux, uy] = [(x2 - x1) / len, (y2 - y1) / len];
    const base = [x2 - ux * head, y2 - uy * head];
    this.poly([...pts.slice(0, -1), [base[0], base[1]]], { ...st, stroke });
    const w = head * 0.5;
    this.poly([[x2, y2], [base[0] - uy * w, base[1] + ux * w], [base[0] + uy * w, base[1] - ux * w]], { fill: stroke, stroke: "none" }, true);
  }

  /**
   * A one-line text at (x, y) (y is the baseline).
   * @param {number} x
   * @param {number} y
   * @param {Text | Segment[]} content
   * @param {TextOptions} [o]
   */
  text(x, y, content, o = {}) {
    const size = o.size ?? 14;
    const anchor = o.anchor ?? "middle";
    /** @type {Segment[]} */
    const segs = Array.isArray(content) ? content : [{ t: content }];
    let plain = "";
    let width = 0;
    let inner = "";
    for (const seg of segs) {
      const s = this.tr(seg.t);
      const segSize = seg.size ?? size;
      plain += s;
      width += textWidth(s, segSize, (seg.weight ?? o.weight) === "bold");
      if (segs.length === 1 && !seg.fill && !seg.weight && !seg.dy && !seg.size) {
        inner = esc(s);
      } else {
        let a = "";
        if (seg.fill) a += ` fill="${seg.fill}"`;
        if (seg.weight) a += ` font-weight="${seg.weight}"`;
        if (seg.dy) a += ` dy="${num(seg.dy)}"`;
        if (seg.size) a += ` font-size="${num(seg.size)}"`;
        inner += `<tspan${a}>${esc(s)}</tspan>`;
      }
    }
    const where = `${this.name}.${this.lang === "en" ? "" : "ko."}svg: "${plain}"`;
    if (o.maxWidth !== undefined && width > o.maxWidth)
      this.problems.push(`${where} is about ${Math.round(width)} px wide, its box ${o.maxWidth} px`);
    const x0 = anchor === "start" ? x : anchor === "middle" ? x - width / 2 : x - width;
    const box = { x0, x1: x0 + width, y0: y - size * 0.8, y1: y + size * 0.22, s: plain };
    if (box.x0 < 2 || box.x1 > this.width - 2 || box.y0 < 0 || box.y1 > this.height)
      this.problems.push(`${where} leaves the ${this.width}×${this.height} canvas`);
    for (const b of this.boxes)
      if (box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1)
        this.problems.push(`${where} overlaps "${b.s}"`);
    this.boxes.push(box);
    let a = `x="${num(x)}" y="${num(y)}"`;
    if (anchor !== "start") a += ` text-anchor="${anchor}"`;
    if (size !== 14) a += ` font-size="${num(size)}"`;
    if (o.fill) a += ` fill="${o.fill}"`;
    if (o.weight) a += ` font-weight="${o.weight}"`;
    this.parts.push(`<text ${a}>${inner}</text>`);
  }

  /** The SVG document. */
  svg() {
    if (this.problems.length) throw new Error(`layout problems:\n  ${this.problems.join("\n  ")}`);
    const { width: w, height: h } = this;
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" ` +
        `font-family="${FONT_STACK}" font-size="14" fill="${C.ink}">`,
      `<title>${esc(this.tr(this.title))}</title>`,
      `<rect x="0" y="0" width="${w}" height="${h}" fill="${C.paper}"/>`,
      ...this.parts,
      `</svg>`,
      "",
    ].join("\n");
  }
}
