// The two editions of every lesson (tools/editions.mjs): the Korean one shares every code cell, cell id,
// cell order and metadata with the English one, and its prose is Korean.
import { readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { driftProblems, editionPath, editions, lessonFiles, notKoreanCells, notebooksDir, prose, syncEdition } from "../tools/editions.mjs";

const files = lessonFiles(notebooksDir);
const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const text = (cell: { source: string | string[] }) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);

describe("the Korean edition", () => {
  it("exists for every lesson, and no Korean lesson lacks an English one", () => {
    expect(files.length).toBe(8);
    expect(lessonFiles(join(notebooksDir, "ko"))).toEqual(files);
  });

  it("has drifted from the English edition nowhere: same cells, order, ids, code, metadata", () => {
    expect(editions({ check: true, log: () => {} })).toEqual([]);
  });

  it.each(files)("%s: every markdown cell is Korean prose", (f) => {
    const ko = read(editionPath(f, "ko"));
    expect(notKoreanCells(ko)).toEqual([]);
    const all = ko.cells.filter((c: { cell_type: string }) => c.cell_type === "markdown").map((c: { source: string[] }) => prose(text(c))).join("\n");
    const hangul = (all.match(/[\uAC00-\uD7A3]/g) ?? []).length;
    const latin = (all.match(/[A-Za-z]/g) ?? []).length;
    expect(hangul, "Hangul syllables vs Latin letters in the prose").toBeGreaterThan(latin);
  });

  it.each(files)("%s: the English edition's prose is English (Korean only where it names a Korean edition)", (f) => {
    const en = read(editionPath(f, "en"));
    const korean = en.cells
      .filter((c: { cell_type: string; id: string }) => c.cell_type === "markdown" && c.id !== "title")
      .filter((c: { source: string[] }) => /[\uAC00-\uD7A3]/.test(prose(text(c)).replace(/[^.\n]*(옮김|번역)[^.\n]*/g, "")))
      .map((c: { id: string }) => c.id);
    expect(korean).toEqual([]);
  });
});

describe("the drift check and the sync can fail and can repair", () => {
  const f = files[0];
  const en = read(editionPath(f, "en"));
  const ko = read(editionPath(f, "ko"));
  const codeAt = en.cells.findIndex((c: { cell_type: string }) => c.cell_type === "code");
  const exerciseAt = en.cells.findIndex((c: { metadata?: { dlbb?: { exercise?: string } } }) => c.metadata?.dlbb?.exercise);

  it("names a changed code cell, a changed exercise's points, a swapped pair and a missing cell", () => {
    const edited = structuredClone(ko);
    edited.cells[codeAt].source = ["// a student's edit\n"];
    expect(driftProblems(en, edited, "ko")).toEqual([`code cell ${en.cells[codeAt].id} differs`]);
    const points = structuredClone(ko);
    points.cells[exerciseAt].metadata.dlbb.points += 1;
    expect(driftProblems(en, points, "ko")).toEqual([`cell ${en.cells[exerciseAt].id}: its metadata differ`]);
    const swapped = structuredClone(ko);
    [swapped.cells[1], swapped.cells[2]] = [swapped.cells[2], swapped.cells[1]];
    expect(driftProblems(en, swapped, "ko")).toEqual(["cells differ: same ids in another order"]);
    const missing = structuredClone(ko);
    missing.cells.splice(3, 1);
    expect(driftProblems(en, missing, "ko")[0]).toMatch(new RegExp(`^cells differ: missing ${en.cells[3].id}`));
    const unmarked = structuredClone(ko);
    delete unmarked.metadata.dlbb.lang;
    expect(driftProblems(en, unmarked, "ko")).toEqual(['metadata.dlbb.lang is undefined, not "ko"']);
  });

  it("sync copies the English code over and keeps the Korean prose, cell by cell", () => {
    const edited = structuredClone(ko);
    edited.cells[codeAt].source = ["// drifted\n"];
    const { nb, dropped } = syncEdition(en, edited, "ko");
    expect(driftProblems(en, nb, "ko")).toEqual([]);
    expect(dropped).toEqual([]);
    expect(nb.cells.filter((c: { cell_type: string }) => c.cell_type === "markdown").map(text)).toEqual(
      ko.cells.filter((c: { cell_type: string }) => c.cell_type === "markdown").map(text),
    );
  });

  it("the Korean-prose check flags English prose", () => {
    expect(notKoreanCells(en).length).toBeGreaterThan(5);
  });
});
