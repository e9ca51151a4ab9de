// The shape of src/: rooms whose arrows run one way, no import cycles, a students' entry point that
// holds exactly what the lessons import, and doc comments that name lessons which really use a module.
import { readdirSync, readFileSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const src = join(root, "src");
const notebooksDir = join(root, "notebooks");

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

const modules = walk(src, ".ts").map((p) => relative(src, p).replace(/\\/g, "/"));
const text = new Map(modules.map((m) => [m, readFileSync(join(src, m), "utf8")]));

/** The src modules `m` imports or re-exports (type-only imports included), as paths under src/. */
function importsOf(m: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"|(?:^|\n)\s*import\s+"(\.{1,2}\/[^"]+)"/g;
  for (const match of text.get(m)!.matchAll(re)) {
    const spec = match[1] ?? match[2];
    const base = relative(src, resolve(join(src, dirname(m)), spec)).replace(/\\/g, "/");
    const target = [`${base}.ts`, `${base}/index.ts`].find((c) => text.has(c));
    if (target === undefined) throw new Error(`src/${m}: cannot resolve "${spec}"`);
    out.push(target);
  }
  return out;
}
const graph = new Map(modules.map((m) => [m, importsOf(m)]));

interface Lesson {
  number: string;
  file: string;
  /** the names its cells import from "dl-building-blocks" */
  names: Set<string>;
  /** the functions its solution cells define (the exercises' functions) */
  exerciseFunctions: Set<string>;
}

function lessons(): Lesson[] {
  return readdirSync(notebooksDir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .map((file) => {
      const nb = JSON.parse(readFileSync(join(notebooksDir, file), "utf8"));
      const names = new Set<string>();
      const exerciseFunctions = new Set<string>();
      for (const cell of nb.cells) {
        if (cell.cell_type !== "code") continue;
        const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
        for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"dl-building-blocks"/g)) {
          for (const n of m[1].split(",")) {
            const name = n.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0].trim();
            if (name) names.add(name);
          }
        }
        if (cell.metadata?.dlbb?.exercise) for (const m of source.matchAll(/function\s+(\w+)\s*\(/g)) exerciseFunctions.add(m[1]);
      }
      return { number: file.slice(0, 2), file, names, exerciseFunctions };
    });
}

/** Name exported by the students' entry point → the module that defines it. */
function entryExports(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.get("index.ts")!.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from\s*"(\.[^"]+)"/g)) {
    const base = relative(src, resolve(src, m[3])).replace(/\\/g, "/");
    const target = [`${base}.ts`, `${base}/index.ts`].find((c) => text.has(c))!;
    for (const n of m[2].split(",")) {
      const name = n.trim().split(/\s+as\s+/).pop()!.trim();
      if (name && !m[1]) out.set(name, target);
    }
  }
  return out;
}

/** Every module reachable from `start` through imports (itself included). */
function reach(start: string, seen = new Set<string>()): Set<string> {
  if (seen.has(start)) return seen;
  seen.add(start);
  for (const next of graph.get(start) ?? []) reach(next, seen);
  return seen;
}

/** The lesson numbers a module's first doc comment names: "lesson 06", "lessons 05–08", "lessons 06, 07 and 08", "02/03". */
function lessonsNamed(m: string): string[] {
  const doc = /\/\*\*([\s\S]*?)\*\//.exec(text.get(m)!)?.[1] ?? "";
  const flat = doc.replace(/\n\s*\*\s?/g, " ");
  const out = new Set<string>();
  for (const match of flat.matchAll(/[Ll]essons?\s+((?:\d\d(?:\s*(?:[–-]|,|\/|and|or)\s*)?)+)/g)) {
    const part = match[1];
    for (const range of part.matchAll(/(\d\d)\s*[–-]\s*(\d\d)/g)) {
      for (let n = Number(range[1]); n <= Number(range[2]); n++) out.add(String(n).padStart(2, "0"));
    }
    for (const single of part.matchAll(/\d\d/g)) out.add(single[0]);
  }
  return [...out].sort();
}

describe("the architecture of src/", () => {
  it("has no import cycles (type-only imports included)", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (m: string): void => {
      state.set(m, "open");
      stack.push(m);
      for (const next of graph.get(m)!) {
        if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(m, "done");
    };
    for (const m of modules) if (!state.has(m)) visit(m);
    expect(cycles).toEqual([]);
  });

  it("the runtime room never imports teaching code (only the kit's language, a leaf, for its messages)", () => {
    const wrong = modules
      .filter((m) => m.startsWith("runtime/"))
      .flatMap((m) => graph.get(m)!.filter((t) => !t.startsWith("runtime/") && t !== "language/language.ts").map((t) => `${m} → ${t}`));
    expect(wrong).toEqual([]);
    expect(graph.get("language/language.ts"), "language/language.ts imports nothing").toEqual([]);
  });

  it("the network never imports the float64 kernels: the students' entry point plugs them in through one seam", () => {
    const wrong = modules
      .filter((m) => m.startsWith("network/"))
      .flatMap((m) => graph.get(m)!.filter((t) => t.startsWith("runtime/float64/")).map((t) => `${m} → ${t}`));
    expect(wrong).toEqual([]);
  });

  it("the rooms below the entry points never import an entry point", () => {
    const wrong = modules
      .filter((m) => m !== "index.ts" && m !== "teacher.ts")
      .flatMap((m) => graph.get(m)!.filter((t) => t === "index.ts" || t === "teacher.ts").map((t) => `${m} → ${t}`));
    expect(wrong).toEqual([]);
  });

  it("the students' entry point exports exactly the names the lessons import", async () => {
    const used = new Set(lessons().flatMap((l) => [...l.names]));
    const exported = entryExports();
    const kit = (await import("../src/index")) as Record<string, unknown>;
    expect([...used].filter((n) => !(n in kit) && !exported.has(n)).sort(), "imported by a lesson, not exported").toEqual([]);
    expect([...exported.keys()].filter((n) => !used.has(n)).sort(), "exported, used by no lesson").toEqual([]);
  });

  it("no name of the students' entry point is also an exercise's function", () => {
    const exported = entryExports();
    const clashes = lessons().flatMap((l) => [...l.exerciseFunctions].filter((f) => exported.has(f)).map((f) => `${l.file}: ${f}`));
    expect(clashes).toEqual([]);
  });

  it("each module's doc comment names only lessons that really use it", () => {
    const exported = entryExports();
    const reachedBy = new Map<string, Set<string>>(modules.map((m) => [m, new Set<string>()]));
    // what the entry point itself imports (not re-exports) runs for every lesson, e.g. the float64 products it plugs in
    const entryImports = [...text.get("index.ts")!.matchAll(/(?:^|\n)import\s[^;]*?from\s+"(\.[^"]+)"/g)].map((m) => {
      const base = relative(src, resolve(src, m[1])).replace(/\\/g, "/");
      return [`${base}.ts`, `${base}/index.ts`].find((c) => text.has(c))!;
    });
    for (const lesson of lessons()) {
      const seen = new Set<string>();
      for (const m of entryImports) reach(m, seen);
      for (const name of lesson.names) {
        const m = exported.get(name);
        if (m !== undefined) reach(m, seen);
      }
      for (const m of seen) reachedBy.get(m)!.add(lesson.number);
    }
    const wrong: string[] = [];
    for (const m of modules) {
      for (const n of lessonsNamed(m)) {
        if (!reachedBy.get(m)!.has(n)) wrong.push(`src/${m} names lesson ${n}, which does not use it (used by: ${[...reachedBy.get(m)!].sort().join(", ") || "none"})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("each module of the teaching rooms names the lesson that introduces it", () => {
    const teaching = modules.filter((m) => /^(network|naive|data|figures)\//.test(m) && !m.endsWith("index.ts"));
    expect(teaching.filter((m) => lessonsNamed(m).length === 0)).toEqual([]);
  });
});
