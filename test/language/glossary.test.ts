// The one glossary (src/language/glossary.ts): each lesson's glossary cell names its terms, the Korean
// edition writes each in exactly its book's word and never an avoided one, the English edition uses the
// English term.
import { readFileSync } from "fs";
import { describe, expect, it } from "vitest";
import { GLOSSARY, findTerm, type Book } from "../../src/language/glossary";
import { glossaryRows } from "../../src/figures/glossary-table";
import { editionPath, lessonFiles, notebooksDir, prose } from "../../tools/editions.mjs";

const files = lessonFiles(notebooksDir);
const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const text = (cell: { source: string | string[] }) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
/** The prose of a notebook's markdown cells, each run of white space one space (a term may wrap across lines). */
const markdown = (nb: { cells: Array<{ cell_type: string; source: string[] }> }) =>
  nb.cells.filter((c) => c.cell_type === "markdown").map((c) => prose(text(c))).join("\n").replace(/\s+/g, " ");

/** The book and terms of a lesson's `showGlossary("book", [...])` cell. */
function glossaryCell(nb: { cells: Array<{ id?: string; cell_type: string; source: string[] }> }): { book: Book; terms: string[] } {
  const cell = nb.cells.find((c) => c.id === "glossary");
  if (!cell) throw new Error("no cell with id glossary");
  const m = /showGlossary\("(\w+)",\s*(\[[\s\S]*\])\s*\)/.exec(text(cell));
  if (!m) throw new Error(`the glossary cell does not call showGlossary("book", [...]): ${text(cell)}`);
  return { book: m[1] as Book, terms: JSON.parse(m[2].replace(/,\s*\]$/, "]")) };
}

describe("the glossary file", () => {
  it("has each English term once, and a Korean word for both books", () => {
    const en = GLOSSARY.map((t) => t.en);
    expect(en.filter((t, i) => en.indexOf(t) !== i)).toEqual([]);
    for (const t of GLOSSARY) for (const book of ["chollet", "saito"] as const) expect(t.ko[book], `${t.en} (${book})`).toMatch(/\S/);
  });

  it("never lists a book's own word among the words that book avoids", () => {
    const wrong = GLOSSARY.flatMap((t) => (["chollet", "saito"] as const).filter((b) => t.avoid?.[b]?.some((w) => t.ko[b].includes(w))).map((b) => `${t.en} (${b})`));
    expect(wrong).toEqual([]);
  });

  it("gives the table of a lesson in its book's words, and names a term it lacks", () => {
    expect(glossaryRows("saito", ["gradient", "epoch"])).toEqual([["gradient", "기울기"], ["epoch", "에폭"]]);
    expect(glossaryRows("chollet", ["gradient", "epoch"])).toEqual([["gradient", "그레이디언트"], ["epoch", "에포크"]]);
    expect(() => glossaryRows("chollet", ["gradiant"])).toThrow(/"gradiant" is not in src\/language\/glossary.ts/);
  });
});

describe.each(files)("%s", (f) => {
  const en = read(editionPath(f, "en"));
  const ko = read(editionPath(f, "ko"));
  const { book, terms } = glossaryCell(en);
  const koProse = markdown(ko);
  // the English side may name a term in code (`relu`, `Dense` layers): backticks are dropped, not their text
  const enProse = en.cells
    .filter((c: { cell_type: string }) => c.cell_type === "markdown")
    .map((c: { source: string[] }) => text(c).replace(/`/g, ""))
    .join("\n")
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/[‐-]/g, "-");

  it("names its book in its metadata and in its glossary cell, and only terms of the glossary", () => {
    expect(["chollet", "saito"]).toContain(en.metadata.dlbb.book);
    expect(book).toBe(en.metadata.dlbb.book);
    expect(terms.length).toBeGreaterThan(5);
    expect(terms.filter((t) => !findTerm(t))).toEqual([]);
  });

  it("uses each of its terms in the Korean prose, in its book's word", () => {
    expect(terms.filter((t) => !koProse.includes(findTerm(t)!.ko[book])).map((t) => `${t} → ${findTerm(t)!.ko[book]}`)).toEqual([]);
  });

  it("uses each of its terms in the English prose (or in its code spans)", () => {
    const spelled = (t: string) => new RegExp(`(?<![a-z])${t.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).test(enProse);
    const missing = terms.filter((t) => ![t, ...(findTerm(t)!.aliases ?? [])].some(spelled));
    expect(missing).toEqual([]);
  });

  it("writes no word its book avoids, for any term of the glossary", () => {
    const found = GLOSSARY.flatMap((t) => (t.avoid?.[book] ?? []).filter((w) => koProse.includes(w)).map((w) => `${w} (for ${t.en}; ${book} writes ${t.ko[book]})`));
    expect(found).toEqual([]);
  });
});

describe("the exercises' Korean titles and hints", () => {
  it("use no word the lesson's book avoids", async () => {
    const { allExercises } = await import("../../src/exercises");
    const bookOf = new Map(files.map((f) => {
      const nb = read(editionPath(f, "en"));
      return [nb.metadata.dlbb.lesson as string, nb.metadata.dlbb.book as Book] as const;
    }));
    const found: string[] = [];
    let texts = 0;
    for (const ex of allExercises()) {
      const book = bookOf.get(ex.lesson);
      expect(book, `${ex.id}: lesson ${ex.lesson} has no notebook`).toBeDefined();
      const ko = [ex.title.ko, ...ex.cases.map((c) => c.hint?.ko ?? "")].join("\n");
      texts += 1 + ex.cases.filter((c) => c.hint).length;
      for (const t of GLOSSARY) for (const w of t.avoid?.[book!] ?? []) if (ko.includes(w)) found.push(`${ex.id}: ${w} (${book} writes ${t.ko[book!]})`);
    }
    expect(texts).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});
