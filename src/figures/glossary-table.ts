/**
 * The terms of a lesson as a table, English next to the Korean edition's word — the last cells of
 * lessons 01–08 show it with `showGlossary`. The words come from src/language/glossary.ts, the one
 * glossary both editions of every lesson draw on.
 */
import { findTerm, type Book } from "../language/glossary";
import { language, say } from "../language/language";
import { escapeHtml, showBundle } from "./display";

const BOOKS: Record<Book, string> = {
  chollet: "케라스 창시자에게 배우는 딥러닝 2판 (박해선 옮김)",
  saito: "밑바닥부터 시작하는 딥러닝 (개앞맵시 옮김)",
};

/** The rows [English, Korean] of these terms as the book's Korean edition writes them. */
export function glossaryRows(book: Book, terms: string[]): [string, string][] {
  if (!(book in BOOKS)) throw new Error(`glossary-table.ts: book must be "chollet" or "saito", got ${JSON.stringify(book)}`);
  return terms.map((en) => {
    const term = findTerm(en);
    if (!term) throw new Error(`glossary-table.ts: "${en}" is not in src/language/glossary.ts; add it there first`);
    return [term.en, term.ko[book]];
  });
}

/** Shows the table of these terms (English → the book's Korean word), headed in the lesson's language. */
export function showGlossary(book: Book, terms: string[]): void {
  const rows = glossaryRows(book, terms);
  const head = say({ en: `Terms of this lesson, in the Korean edition of ${BOOKS[book]}`, ko: `이 레슨의 용어 — ${BOOKS[book]}의 번역어` });
  const [enHead, koHead] = language() === "ko" ? ["영어", "한국어"] : ["English", "Korean"];
  const plain = [head, ...rows.map(([en, ko]) => `  ${en} — ${ko}`)].join("\n");
  const html =
    // left-aligned: Jupyter's table style right-aligns cells, which suits numbers, not words
    `<p>${escapeHtml(head)}</p><table><thead><tr><th style="text-align:left">${enHead}</th><th style="text-align:left">${koHead}</th></tr></thead><tbody>` +
    rows.map(([en, ko]) => `<tr><td style="text-align:left">${escapeHtml(en)}</td><td style="text-align:left">${escapeHtml(ko)}</td></tr>`).join("") +
    `</tbody></table>`;
  showBundle({ "text/plain": plain, "text/html": html });
}
