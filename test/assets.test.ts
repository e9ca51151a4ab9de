// The lessons' diagrams (assets/, drawn by tools/draw-assets.mjs) and the images the notebooks show.
// Each diagram exists as NAME.svg (English labels) and NAME.ko.svg (Korean labels): well-formed,
// self-contained SVG with a viewBox and a font stack that renders Hangul, the two twins the same
// drawing with translated labels. Issue 17's check: every image a notebook's markdown references
// exists, and every asset is referenced by a notebook.
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const assetsDir = join(root, "assets");
const notebooksDir = join(root, "notebooks");

const svgFiles = existsSync(assetsDir) ? readdirSync(assetsDir).filter((f) => f.endsWith(".svg")).sort() : [];
const english = svgFiles.filter((f) => !f.endsWith(".ko.svg"));
const read = (f: string) => readFileSync(join(assetsDir, f), "utf8");
const twin = (f: string) => f.replace(/\.svg$/, ".ko.svg");

// ——— a small XML reader: well-formedness, elements with their attributes, and character data

interface XmlElement { name: string; attrs: Map<string, string>; depth: number }
interface Xml { problems: string[]; elements: XmlElement[]; texts: string[]; skeleton: string }

const NAME = "[A-Za-z_:][-A-Za-z0-9_:.]*";
const ATTR = new RegExp(`\\s+(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, "y");
const TAG = new RegExp(`<(/?)(${NAME})`, "y");
const BAD_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function readXml(xml: string): Xml {
  const problems: string[] = [];
  const elements: XmlElement[] = [];
  const texts: string[] = [];
  const stack: string[] = [];
  let skeleton = "";
  let roots = 0;
  let i = 0;
  const text = (s: string) => {
    if (BAD_ENTITY.test(s)) problems.push(`a bare "&" in text near offset ${i}`);
    if (stack.length === 0) {
      if (s.trim() !== "") problems.push(`text outside the root element near offset ${i}`);
    } else if (s.trim() !== "") texts.push(decode(s));
    skeleton += s.trim() === "" ? s : "\u2026"; // the drawing without its words
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) { text(xml.slice(i)); break; }
    if (lt > i) text(xml.slice(i, lt));
    i = lt;
    for (const [open, close] of [["<?", "?>"], ["<!--", "-->"]] as const) {
      if (xml.startsWith(open, i)) {
        const end = xml.indexOf(close, i);
        if (end < 0) { problems.push(`unclosed ${open} at offset ${i}`); return { problems, elements, texts, skeleton }; }
        skeleton += xml.slice(i, end + close.length);
        i = end + close.length;
      }
    }
    if (xml[i] !== "<") continue;
    if (xml.startsWith("<!", i)) { problems.push(`DOCTYPE, CDATA or other <! construct at offset ${i}`); i++; continue; }
    TAG.lastIndex = i;
    const t = TAG.exec(xml);
    if (!t) { problems.push(`malformed tag at offset ${i}: ${xml.slice(i, i + 30)}`); i++; continue; }
    const [, slash, name] = t;
    let j = TAG.lastIndex;
    const attrs = new Map<string, string>();
    if (!slash) {
      for (;;) {
        ATTR.lastIndex = j;
        const a = ATTR.exec(xml);
        if (!a) break;
        const value = a[2] ?? a[3];
        if (attrs.has(a[1])) problems.push(`<${name}> repeats the attribute ${a[1]}`);
        if (BAD_ENTITY.test(value)) problems.push(`a bare "&" in ${a[1]} of <${name}>`);
        attrs.set(a[1], decode(value));
        j = ATTR.lastIndex;
      }
    }
    const end = /\s*(\/?)>/y;
    end.lastIndex = j;
    const e = end.exec(xml);
    if (!e || (slash && e[1])) { problems.push(`malformed <${slash}${name}> at offset ${i}`); i = j; continue; }
    skeleton += xml.slice(i, end.lastIndex);
    i = end.lastIndex;
    if (slash) {
      const top = stack.pop();
      if (top !== name) problems.push(`</${name}> closes <${top ?? "nothing"}>`);
      continue;
    }
    if (stack.length === 0 && ++roots > 1) problems.push(`a second root element <${name}>`);
    elements.push({ name, attrs, depth: stack.length });
    if (!e[1]) stack.push(name);
  }
  if (stack.length) problems.push(`unclosed <${stack.join("> <")}>`);
  if (roots === 0) problems.push("no root element");
  return { problems, elements, texts, skeleton };
}

// ——— what a diagram may contain

/** Fonts with Hangul glyphs on Linux, Windows, macOS; a font stack must name one. */
const HANGUL_FONTS = ["Noto Sans KR", "Noto Sans CJK KR", "NanumGothic", "Malgun Gothic", "Apple SD Gothic Neo"];
/**
 * Latin words a Korean label may keep: the names of layers and functions as the Korean editions print
 * them (Saito's "ReLU 계층", "Softmax-with-Loss 계층"; Chollet's "Dense 층"), code names, data sets.
 * One-letter variable names (x, W, b, N…) are always allowed.
 */
const LATIN_IN_KOREAN = new Set([
  "ReLU", "Sigmoid", "Affine", "Softmax", "Softmax-with-Loss", "Dense", "MNIST", "SGD",
  "softmax", "exp", "log", "max", "sin", "cos", "dot", "train_images",
]);
const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;

function fontStacks(x: Xml): string[] {
  return x.elements.flatMap((e) => [
    ...(e.attrs.has("font-family") ? [e.attrs.get("font-family") as string] : []),
    ...[...(e.attrs.get("style") ?? "").matchAll(/font-family\s*:\s*([^;]+)/g)].map((m) => m[1]),
  ]);
}

/** References to anything outside the file, and active content. */
function externalProblems(x: Xml, raw: string): string[] {
  const out: string[] = [];
  for (const e of x.elements) {
    if (/^(script|image|foreignObject|iframe|object|embed|audio|video|style)$/i.test(e.name))
      out.push(`<${e.name}> element`);
    for (const [k, v] of e.attrs) {
      if (/^on/i.test(k)) out.push(`event handler ${k} on <${e.name}>`);
      if (/^(xlink:)?href$/.test(k) && !v.startsWith("#")) out.push(`${k}="${v}" on <${e.name}>`);
      if (/url\(\s*['"]?(?!#)/i.test(v)) out.push(`${k}="${v}" on <${e.name}>`);
      if (/^xmlns(:|$)/.test(k)) continue;
      if (/https?:|\/\/|file:|@import/i.test(v)) out.push(`${k}="${v}" on <${e.name}>`);
    }
  }
  if (/<!ENTITY/i.test(raw)) out.push("an entity declaration");
  return out;
}

describe("assets/", () => {
  it("holds diagrams", () => {
    expect(english.length, "no SVG in assets/").toBeGreaterThan(0);
  });

  it("holds the diagrams the lessons were promised (issue 17), each in English and Korean", () => {
    const agreed = ["batch-axis", "tensor-ranks", "broadcasting", "dot-shapes", "geometry", "training-loop",
      "gradient-descent", "graph-apples", "backward-nodes"];
    const missing = agreed.flatMap((n) => [`${n}.svg`, `${n}.ko.svg`]).filter((f) => !svgFiles.includes(f));
    expect(missing, "lessons show these as ../assets/NAME.svg").toEqual([]);
  });

  it("holds only SVG diagrams", () => {
    const other = existsSync(assetsDir) ? readdirSync(assetsDir).filter((f) => !f.endsWith(".svg")) : [];
    expect(other, "assets/ is for the lessons' SVG diagrams").toEqual([]);
  });

  it.each(svgFiles)("%s is well-formed SVG with a viewBox, self-contained", (file) => {
    const raw = read(file);
    const x = readXml(raw);
    expect(x.problems, `${file} is not well-formed XML`).toEqual([]);
    const svg = x.elements[0];
    expect(svg.name, `${file}: the root element`).toBe("svg");
    expect(svg.attrs.get("xmlns"), `${file}: the SVG namespace (a browser shows nothing without it)`).toBe("http://www.w3.org/2000/svg");
    const vb = (svg.attrs.get("viewBox") ?? "").trim().split(/[\s,]+/).map(Number);
    expect(vb.length === 4 && vb.every(Number.isFinite) && vb[2] > 0 && vb[3] > 0, `${file}: viewBox="${svg.attrs.get("viewBox")}"`).toBe(true);
    expect(x.elements.some((e) => e.name === "title" && e.depth === 1), `${file}: a <title> (the image's text alternative)`).toBe(true);
    expect(externalProblems(x, raw), `${file} must render offline, on its own`).toEqual([]);
  });

  it.each(svgFiles)("%s uses a font stack that renders Hangul", (file) => {
    const x = readXml(read(file));
    const rootStack = x.elements[0].attrs.get("font-family") ?? "";
    expect(HANGUL_FONTS.some((f) => rootStack.includes(f)), `${file}: font-family on <svg> is "${rootStack}"`).toBe(true);
    expect(/(sans-serif|serif|monospace)\s*$/.test(rootStack), `${file}: the font stack ends with a generic family`).toBe(true);
    const bad = fontStacks(x).filter((s) => !HANGUL_FONTS.some((f) => s.includes(f)));
    expect(bad, `${file}: font stacks without a Hangul font`).toEqual([]);
  });

  it.each(english)("%s has a Korean twin: the same drawing with translated labels", (file) => {
    const ko = twin(file);
    expect(existsSync(join(assetsDir, ko)), `assets/${ko} is missing`).toBe(true);
    const en = readXml(read(file));
    const kx = readXml(read(ko));
    // The same drawing: identical markup once the words are taken out.
    const a = en.skeleton.split("\n"), b = kx.skeleton.split("\n");
    const k = a.findIndex((line, n) => line !== b[n]);
    expect(k === -1 && a.length === b.length ? null : `line ${k + 1}:\n  ${file}: ${a[k]}\n  ${ko}: ${b[k]}`, `${ko} is not the same drawing as ${file}`).toBeNull();
    // English labels in the English one, Korean in the Korean one.
    expect(en.texts.filter((t) => HANGUL.test(t)), `${file}: Hangul in the English edition`).toEqual([]);
    const latin = kx.texts.flatMap((t) => [...t.matchAll(/[A-Za-z](?:[A-Za-z_-]*[A-Za-z])?/g)].map((m) => m[0]))
      .filter((w) => w.length > 1 && !LATIN_IN_KOREAN.has(w));
    expect(latin, `${ko}: English words left untranslated`).toEqual([]);
    const translated = kx.texts.filter((t, n) => t !== en.texts[n]);
    expect(translated.length, `${ko}: no label is translated`).toBeGreaterThan(0);
    expect(translated.every((t) => HANGUL.test(t)), `${ko}: a label differs from English without being Korean`).toBe(true);
  });

  it("every Korean twin has its English diagram", () => {
    const orphans = svgFiles.filter((f) => f.endsWith(".ko.svg") && !english.includes(f.replace(/\.ko\.svg$/, ".svg")));
    expect(orphans).toEqual([]);
  });

  it("are what tools/draw-assets.mjs draws (run `npm run assets` after editing it)", async () => {
    const { drawAll } = (await import("../tools/draw-assets.mjs")) as { drawAll: () => Map<string, string> };
    const drawn = drawAll(); // also checks the layout: labels inside their boxes, no overlaps
    const stale = [...drawn].filter(([f, svg]) => !existsSync(join(assetsDir, f)) || read(f) !== svg).map(([f]) => f);
    expect(stale, "assets/ differs from the generator's drawing").toEqual([]);
    expect(svgFiles.filter((f) => !drawn.has(f)), "SVGs in assets/ the generator does not draw").toEqual([]);
  });
});

// ——— the images the notebooks show

interface ImageRef { notebook: string; cell: string; ref: string; alt: string | undefined; target?: string }

function notebookFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith(".")) return []; // .ipynb_checkpoints
    const p = join(dir, e.name);
    return e.isDirectory() ? notebookFiles(p) : e.name.endsWith(".ipynb") ? [p] : [];
  }).sort();
}

/** Markdown without code, where an image is only an example. */
const withoutCode = (md: string) => md.replace(/^(```|~~~)[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");

/** The images a notebook's markdown cells show: `![alt](src "title")` and `<img src=…>`. */
function imageRefs(file: string): { refs: ImageRef[]; problems: string[] } {
  const notebook = relative(root, file);
  let nb: { cells?: { cell_type?: string; id?: string; source?: string | string[]; attachments?: Record<string, unknown> }[] };
  try {
    nb = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { refs: [], problems: [`${notebook}: not valid JSON (${(e as Error).message})`] };
  }
  const refs: ImageRef[] = [];
  const problems: string[] = [];
  (nb.cells ?? []).forEach((cell, n) => {
    if (cell.cell_type !== "markdown") return;
    const md = withoutCode(Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "");
    const id = cell.id ?? `#${n}`;
    for (const m of md.matchAll(/!\[([^\]]*)\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g))
      refs.push({ notebook, cell: id, alt: m[1], ref: m[2].replace(/^<|>$/g, "") });
    for (const m of md.matchAll(/<img\b[^>]*>/gi)) {
      const src = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[0]);
      const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[0]);
      if (!src) { problems.push(`${notebook} cell ${id}: <img> without src`); continue; }
      refs.push({ notebook, cell: id, ref: src[1] ?? src[2] ?? src[3], alt: alt ? alt[1] ?? alt[2] ?? alt[3] : undefined });
    }
    for (const r of refs.filter((r) => r.cell === id && r.notebook === notebook && r.target === undefined)) {
      const where = `${notebook} cell ${id}: image "${r.ref}"`;
      if (!r.alt?.trim()) problems.push(`${where} has no alt text`);
      const ref = r.ref.replace(/[?#].*$/, "");
      if (/^attachment:/i.test(ref)) {
        if (!cell.attachments?.[decodeURIComponent(ref.slice("attachment:".length))]) problems.push(`${where}: no such attachment in the cell`);
        r.target = "";
      } else if (/^data:/i.test(ref)) {
        r.target = "";
      } else if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(ref)) {
        problems.push(`${where} is not in the repository: it does not show offline`);
        r.target = "";
      } else if (ref.startsWith("/")) {
        problems.push(`${where}: an absolute path; use a path relative to the notebook (../assets/NAME.svg)`);
        r.target = "";
      } else {
        r.target = resolve(dirname(file), decodeURIComponent(ref));
        if (!existsSync(r.target) || !statSync(r.target).isFile()) problems.push(`${where}: ${relative(root, r.target)} does not exist`);
      }
    }
  });
  return { refs, problems };
}

describe("notebook images", () => {
  const scanned = notebookFiles(notebooksDir).map(imageRefs);
  const refs = scanned.flatMap((s) => s.refs);
  const used = new Set(refs.map((r) => r.target).filter((t): t is string => !!t));
  const unused = (files: string[]) => files.filter((f) => !used.has(join(assetsDir, f)));

  it("every image a notebook's markdown references exists, has alt text, and is local", () => {
    expect(scanned.flatMap((s) => s.problems)).toEqual([]);
  });

  it("every diagram in assets/ is shown by at least one notebook", () => {
    const missing = unused(english);
    expect(
      missing,
      `${missing.length} of ${english.length} diagrams are not shown by any notebook yet: each lesson shows ` +
        "the ones its sections need in a markdown cell as ![alt](../assets/NAME.svg)",
    ).toEqual([]);
  });

  it("every Korean twin is shown by the Korean edition, once there is one (a notebook showing a .ko.svg)", () => {
    const korean = refs.some((r) => r.target?.startsWith(assetsDir) && r.target.endsWith(".ko.svg"));
    expect(korean ? unused(svgFiles.filter((f) => f.endsWith(".ko.svg"))) : []).toEqual([]);
  });
});
