/** Shared by the lesson tests: execute a lesson headless (once per test file) and read its outputs. */
import { readFileSync } from "fs";
import { join } from "path";
import { expect, it } from "vitest";
import { TENSOR_SWEEP_BYTES } from "../../src/runtime/memory";

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
  /** The English run only: its biggest cells re-run in the same kernel afterwards (tools/rerun.py). */
  rerun?: {
    chosen: Array<{ index: number; seconds: number; added: number; trains: boolean }>;
    limitSeconds: number;
    rounds: Array<{ round: number; rss: number; tensorBytes: number | null }>;
    error: string | null;
  };
}

/**
 * Issue 19: "re-running any cell of any lesson, any number of times, keeps memory bounded". After the
 * English edition's top-to-bottom run, in the same kernel, up to three cells, those that added the
 * most bytes (1 MB at least, tools/rerun.py MIN_BYTES: a cell that adds less builds nothing large), as many as fit in a round of at most 8 s or a twentieth of the whole run (whichever is
 * more: this shared machine can be many times slower than a quiet one), never a cell that trains (it
 * started a progress bar) — the cells that build the lesson's largest tensors or models, not its
 * trainings — are re-run in order, 15 times.
 */
export const RERUN = { rounds: 15, top: 3, maxSeconds: 8, fraction: 0.05 };
/** The edition whose run is followed by the re-runs (the code cells of both are the same). */
export const RERUN_EDITION: Edition = "en";
/** How much longer a lesson's run may take with the re-runs (ms), for the test's beforeAll. */
export const RERUN_MS = 1_200_000;

/**
 * The re-run test of a lesson (registered for RERUN_EDITION only): every re-run succeeds, and the
 * kernel's resident memory and tensor bytes after the last round are within 25% of after the first
 * (tensor bytes: plus TENSOR_SWEEP_BYTES, the garbage that may wait for V8).
 */
export function itKeepsMemoryBoundedOnRerun(lesson: () => LessonRun, lang: Edition): void {
  if (lang !== RERUN_EDITION) return;
  it(`re-running its biggest cells ${RERUN.rounds} times keeps the kernel's memory within 25% of the first re-run`, () => {
    const run = lesson();
    expect(run.error, `cell ${run.cell}: ${run.error}`).toBeNull();
    const r = run.rerun;
    expect(r, "the run was not followed by re-runs").toBeDefined();
    expect(r!.error).toBeNull();
    expect(r!.rounds.length).toBe(RERUN.rounds);
    expect(r!.chosen.length).toBeGreaterThan(0);
    const first = r!.rounds[0];
    const last = r!.rounds[RERUN.rounds - 1];
    const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
    const summary =
      `(a round ≤ ${r!.limitSeconds} s) cells ${r!.chosen.map((c) => `${c.index} (+${mb(c.added)}, ${c.seconds} s)`).join(", ")}; ` +
      `rss after round 1 ${mb(first.rss)}, after ${RERUN.rounds} ${mb(last.rss)}; tensors ${mb(first.tensorBytes ?? 0)} → ${mb(last.tensorBytes ?? 0)}`;
    console.log(summary);
    expect(last.rss, summary).toBeLessThanOrEqual(first.rss * 1.25);
    // Tensor garbage under TENSOR_SWEEP_BYTES may wait for V8's own collection (src/runtime/memory.ts).
    expect(last.tensorBytes ?? 0, summary).toBeLessThanOrEqual((first.tensorBytes ?? 0) * 1.25 + TENSOR_SWEEP_BYTES);
  });
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
 * The RERUN_EDITION's run is followed by the re-runs of itKeepsMemoryBoundedOnRerun.
 */
export async function executeLesson(name: string, timeout = 600, lang: Edition = "en"): Promise<LessonRun> {
  const lessons = await import(join(root, "tools", "lessons.mjs"));
  const [path] = lessons.selectNotebooks([name], lang);
  const out = lang === "en" ? join(root, "build", "test-lessons") : join(root, "build", "test-lessons", lang);
  const [result] = await lessons.runNotebooks([path], { out, timeout, ...(lang === RERUN_EDITION ? { rerun: RERUN } : {}) });
  const notebook: Notebook = JSON.parse(readFileSync(result.output, "utf8"));
  return { ...result, notebook, text: notebook.cells.map(cellText).join("\n") };
}

/** The one line a check cell's result prints, in the edition's language (src/exercises/check.ts). */
export function pointsLine(lang: Edition, id: string, earned: number, points: number): RegExp {
  return new RegExp(`${id}: ${earned} / ${points}${lang === "ko" ? "점" : " points"}`);
}

/** The first number captured by `pattern` in the lesson's output; fails loudly if absent. */
export function numberAfter(run: LessonRun, pattern: RegExp): number {
  const m = run.text.match(pattern);
  if (!m) throw new Error(`pattern ${pattern} not found in the lesson's output`);
  return Number(m[1].replace(/,/g, ""));
}
