/**
 * Several figures as the panels of one — introduced in lesson 06, where the paths of SGD, Momentum,
 * AdaGrad, RMSprop and Adam on f(x, y) = x²/20 + y² are drawn side by side (Saito fig. 6-8).
 * Works with any figures of the kit (`contourPlot`, `lineChart`, …): each keeps its panels, and a
 * figure's title becomes its panel's title.
 */
import type { Figure } from "./figure";

export interface SideBySideOptions {
  /** Panels per row (default: all in one row, at most 3). */
  columns?: number;
  title?: string;
  /** Height of one row of panels in pixels (default: the tallest figure's height). */
  rowHeight?: number;
}

export function sideBySide(figures: Figure[], opts: SideBySideOptions = {}): Figure {
  if (!Array.isArray(figures) || figures.length === 0) throw new Error("side-by-side.ts sideBySide: give a non-empty array of figures");
  figures.forEach((f, i) => {
    if (f == null || !Array.isArray(f.panels) || f.panels.length === 0) {
      throw new Error(`side-by-side.ts sideBySide: figure ${i} is not a figure of the kit (it has no panels)`);
    }
  });
  const panels = figures.flatMap((f) =>
    f.panels.map((p) => (f.panels.length === 1 && p.title === undefined && f.title !== undefined ? { ...p, title: f.title } : p)),
  );
  const columns = opts.columns ?? Math.min(panels.length, 3);
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`side-by-side.ts sideBySide: columns must be a positive integer, got ${columns}`);
  const rows = Math.ceil(panels.length / columns);
  const rowHeight = opts.rowHeight ?? Math.max(...figures.map((f) => f.height));
  return {
    title: opts.title,
    panels,
    columns,
    height: rows * rowHeight + (opts.title ? 40 : 0),
    caption: `Figure: ${panels.length} panels side by side${opts.title ? ` "${opts.title}"` : ""} — ${figures.map((f) => f.caption.replace(/^Figure: /, "")).join(" | ")}`,
  };
}
