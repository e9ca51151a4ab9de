import { describe, expect, it } from "vitest";
import { contourPlot, lineChart } from "../../src/figures/charts";
import { sideBySide } from "../../src/figures/side-by-side";

describe("sideBySide", () => {
  const f = (x: number, y: number) => x * x / 20 + y * y;
  const a = contourPlot({ f, x: [-10, 10], y: [-5, 5], title: "SGD", paths: [{ name: "SGD", points: [[-7, 2], [0, 0]] }] });
  const b = contourPlot({ f, x: [-10, 10], y: [-5, 5], title: "Adam" });
  const c = lineChart({ series: { loss: [3, 2, 1] } });

  it("puts every figure's panels in one figure, titles on the panels", () => {
    const fig = sideBySide([a, b, c], { title: "Optimizers", columns: 2 });
    expect(fig.panels.length).toBe(3);
    expect(fig.panels.map((p) => p.title)).toEqual(["SGD", "Adam", undefined]);
    expect(fig.columns).toBe(2);
    expect(fig.height).toBe(2 * Math.max(a.height, b.height, c.height) + 40);
    expect(fig.caption).toMatch(/^Figure: 3 panels side by side "Optimizers" — /);
    expect(fig.caption).toContain('path "SGD": 2 points from (-7, 2) to (0, 0)');
  });

  it("defaults to one row of at most three", () => {
    expect(sideBySide([a, b]).columns).toBe(2);
    expect(sideBySide([a, b, a, b]).columns).toBe(3);
    expect(sideBySide([a], { rowHeight: 300 }).height).toBe(300);
  });

  it("leaves the input figures unchanged", () => {
    sideBySide([a, b]);
    expect(a.panels[0].title).toBeUndefined();
  });

  it("rejects what is not a figure", () => {
    expect(() => sideBySide([])).toThrow(/non-empty array of figures/);
    expect(() => sideBySide([a, {} as never])).toThrow(/figure 1 is not a figure of the kit/);
    expect(() => sideBySide([a], { columns: 0 })).toThrow(/columns must be a positive integer, got 0/);
  });
});

describe("captions", () => {
  it("every builder's caption starts with 'Figure: ' — the text a reader sees beside the static picture of a reopened notebook", async () => {
    const { barChart, digitImage, digitGrid, heatmap } = await import("../../src/figures/charts");
    const { histogramFigure, vectorField, scatterPlot } = await import("../../src/figures/fields");
    const f = (x: number, y: number) => x * x + y * y;
    const pixels = new Uint8Array(28 * 28).fill(200);
    const figures = {
      lineChart: lineChart({ series: { loss: [3, 2, 1] }, title: "t" }),
      barChart: barChart({ values: [1, 2], title: "t" }),
      digitImage: digitImage(pixels),
      digitGrid: digitGrid([pixels, pixels]),
      heatmap: heatmap([[1, 2], [3, 4]]),
      histogramFigure: histogramFigure({ a: [1, 2, 3] }),
      contourPlot: contourPlot({ f, x: [-1, 1], y: [-1, 1], title: "t" }),
      vectorField: vectorField({ field: (x, y) => [x, y], x: [-1, 1], y: [-1, 1] }),
      scatterPlot: scatterPlot([{ name: "p", points: [[0, 0], [1, 1]] }]),
      sideBySide: sideBySide([contourPlot({ f, x: [-1, 1], y: [-1, 1] }), lineChart({ series: { a: [1] } })], { title: "t" }),
    };
    const wrong = Object.entries(figures).filter(([, fig]) => !/^Figure: \S/.test(fig.caption)).map(([name, fig]) => `${name}: ${fig.caption}`);
    expect(wrong).toEqual([]);
  });
});
