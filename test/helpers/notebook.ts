/** Shared by the lesson tests: execute a lesson headless (once per test file) and read its outputs. */
import { readFileSync } from "fs";
import { join } from "path";

const root = join(__dirname, "..", "..");

export interface NotebookCell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Array<Record<string, any>>;
  execution_count?: number | null;
}
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, any>;
}
export interface LessonRun {
  ok: boolean;
  seconds: number;
  error: string | null;
  cell: number | null;
  notebook: Notebook;
  /** All text the cells showed: stdout, and text/plain of displays and results, in order. */
  text: string;
}

export const source = (cell: NotebookCell): string => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);

export function cellText(cell: NotebookCell): string {
  return (cell.outputs ?? [])
    .map((o) => {
      if (o.output_type === "stream") return o.name === "stdout" ? o.text : "";
      const plain = o.data?.["text/plain"];
      return plain === undefined ? "" : Array.isArray(plain) ? plain.join("") : String(plain);
    })
    .join("");
}

/** The editions every lesson test runs: English (notebooks/) and Korean (notebooks/ko/). */
export { EDITIONS } from "../../tools/editions.mjs";
export type Edition = (typeof import("../../tools/editions.mjs").EDITIONS)[number];

/**
 * Executes notebooks/NAME*.ipynb (notebooks/ko/NAME*.ipynb for the Korean edition) into
 * build/test-lessons[/ko] with the kit's runner, in the notebook's own folder as Jupyter would.
 */
export async function executeLesson(name: string, timeout = 600, lang: Edition = "en"): Promise<LessonRun> {
  const lessons = await import(join(root, "tools", "lessons.mjs"));
  const [path] = lessons.selectNotebooks([name], lang);
  const out = lang === "en" ? join(root, "build", "test-lessons") : join(root, "build", "test-lessons", lang);
  const [result] = await lessons.runNotebooks([path], { out, timeout });
  const notebook: Notebook = JSON.parse(readFileSync(result.output, "utf8"));
  return { ...result, notebook, text: notebook.cells.map(cellText).join("\n") };
}

/** The first number captured by `pattern` in the lesson's output; fails loudly if absent. */
export function numberAfter(run: LessonRun, pattern: RegExp): number {
  const m = run.text.match(pattern);
  if (!m) throw new Error(`pattern ${pattern} not found in the lesson's output`);
  return Number(m[1].replace(/,/g, ""));
}
