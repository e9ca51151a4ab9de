/**
 * Rich output for Jupyter: one display message carrying several MIME types at once.
 *
 * Used from lesson 01 on by the figures (plot.ts) and the training progress (progress.ts).
 *
 * A Jupyter frontend picks the richest MIME type it can render from a bundle: a notebook page
 * runs `text/html`, VS Code or JupyterLab may prefer `application/vnd.plotly.v1+json`, a static
 * viewer falls back to `image/svg+xml` or `text/plain`. tslab's public `display` object sends
 * one MIME type per call, so this module talks to the kernel's own writer
 * (`lastWriteDisplayData` in tslab/dist/jupyter.js), which sends a whole bundle as one
 * `display_data`, or as an `update_display_data` that replaces an earlier output in place
 * (same `display_id`).
 *
 * Outside a tslab kernel (vitest, plain node) there is no writer: the `text/plain` entry is
 * printed to stdout instead, so the same code still shows its numbers.
 */
import { randomBytes } from "crypto";

/** MIME type → content, e.g. `{ "text/plain": "…", "text/html": "<b>…</b>" }`. */
export type MimeBundle = Record<string, unknown>;

type WriteDisplayData = (
  msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

/**
 * The running tslab kernel's display writer, or null when this process is not a tslab kernel.
 * Looked up in the module cache (not `require`d), so plain node and vitest never load tslab; any
 * tslab copy counts, since the kernel may not be the tslab installed next to this library.
 */
export function kernelWriter(): WriteDisplayData | null {
  if (typeof require === "undefined" || require.cache == null) return null;
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const write = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof write === "function") return write as WriteDisplayData;
  }
  return null;
}

/** A fresh display id (16 hex digits), as tslab makes them. */
export function newDisplayId(): string {
  return randomBytes(8).toString("hex");
}

function checkBundle(data: MimeBundle, where: string): void {
  if (data == null || typeof data !== "object" || Array.isArray(data)) {
    throw new Error(`display.ts ${where}: data must be an object of MIME type → content`);
  }
  if (Object.keys(data).length === 0) {
    throw new Error(`display.ts ${where}: data has no MIME type (give at least "text/plain")`);
  }
}

function printPlain(data: MimeBundle): void {
  const plain = data["text/plain"];
  if (typeof plain === "string") process.stdout.write(plain.endsWith("\n") ? plain : plain + "\n");
}

/**
 * Sends ONE `display_data` (or, with `update: true`, an `update_display_data` for output `id`)
 * holding every MIME type of `data`. Returns a {@link Display} handle for later in-place updates.
 * Outside a kernel it prints `data["text/plain"]` (if any) to stdout.
 */
export function showBundle(data: MimeBundle, opts: { id?: string; update?: boolean } = {}): Display {
  checkBundle(data, "showBundle");
  if (opts.update && !opts.id) throw new Error("display.ts showBundle: update: true needs the id of the output to replace");
  const id = opts.id ?? newDisplayId();
  const write = kernelWriter();
  if (write) write({ data, metadata: {}, transient: { display_id: id } }, opts.update === true);
  else printPlain(data);
  return new Display(id, write !== null);
}

/**
 * A shown output that can be replaced in place. `live` is false outside a kernel; then
 * `update` does nothing (printing every update would flood a log), so callers that want a
 * trace in plain runs print their own summary lines.
 */
export class Display {
  constructor(readonly id: string, readonly live: boolean) {}

  /** Replaces this output's content with `data` (all MIME types at once). */
  update(data: MimeBundle): void {
    checkBundle(data, "Display.update");
    if (!this.live) return;
    const write = kernelWriter();
    if (write) write({ data, metadata: {}, transient: { display_id: this.id } }, true);
  }
}

/** Escapes `& < > " '` for HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

// html() and markdown() return nothing: tslab prints a cell's last value, so a cell ending in
// `html(…)` would otherwise print the Display object. Use showBundle for a handle to update.

/** Shows HTML; `plain` is what static viewers and plain runs get (default: the tags stripped). */
export function html(s: string, plain?: string): void {
  showBundle({ "text/html": s, "text/plain": plain ?? s.replace(/<[^>]*>/g, "") });
}

/** Shows Markdown (the frontend renders it; the text itself is the plain fallback). */
export function markdown(s: string): void {
  showBundle({ "text/markdown": s, "text/plain": s });
}
