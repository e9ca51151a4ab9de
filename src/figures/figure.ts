/**
 * What a figure is, independent of how it is drawn: panels of traces (lines, bars, grids, arrows),
 * titles and a caption. The builders (charts.ts, fields.ts, side-by-side.ts) make these; the
 * renderers (svg.ts for the static picture, plotly.ts for the interactive chart) draw them. Every
 * figure of every lesson is one, from lesson 01 on.
 */

/** The colour scales grids can use. */
export type ColorscaleName = "viridis" | "binary" | "gray" | "rdbu";

/** Points joined by lines and/or drawn as markers. Non-finite y leaves a gap. */
export interface XYTrace { kind: "xy"; name?: string; x: number[]; y: number[]; mode: "lines" | "markers" | "lines+markers"; color?: string; dash?: boolean }
/** Vertical bars from 0 to y at positions x (`width` in x units, default 0.8); `colors` per bar overrides `color`. */
export interface BarTrace { kind: "bars"; name?: string; x: number[]; y: number[]; color?: string; colors?: string[]; width?: number }
/** Values on a regular grid: z[row][col] sits at (x0 + col·dx, y0 + row·dy). */
export interface GridTrace { kind: "grid"; z: number[][]; x0: number; dx: number; y0: number; dy: number; colorscale: ColorscaleName; zmin: number; zmax: number; contour?: boolean; showScale?: boolean }
/** Arrows from (x0[i], y0[i]) to (x1[i], y1[i]). */
export interface ArrowTrace { kind: "arrows"; name?: string; x0: number[]; y0: number[]; x1: number[]; y1: number[]; color?: string }
export type Trace = XYTrace | BarTrace | GridTrace | ArrowTrace;

export interface Panel {
  traces: Trace[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logY?: boolean;
  /** One unit on x is as long as one unit on y (shapes keep their angles). */
  equalAxes?: boolean;
  /** A picture: no axes, square pixels, row 0 at the top. */
  image?: boolean;
  /** Tick labels at given x positions (e.g. class names under bars). */
  xTicks?: { values: number[]; labels: string[] };
}

export interface Figure {
  title?: string;
  panels: Panel[];
  /** Panels per row. */
  columns: number;
  /** Height in pixels of the whole figure. */
  height: number;
  /** What the figure shows, with its key numbers: the text/plain fallback. */
  caption: string;
}

