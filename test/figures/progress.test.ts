import { describe, expect, it } from "vitest";
import {
  Progress, Throttle, fitProgress, formatEta, formatMetrics, formatStepTime, progressBar, progressLine,
  type ProgressOutput,
} from "../../src/figures/progress";

/** A recording output and a clock the test moves by hand. */
function harness(live = true) {
  let t = 0;
  const renders: string[] = [];
  const prints: string[] = [];
  const output: ProgressOutput = { live, render: (s) => renders.push(s), print: (s) => prints.push(s) };
  return { now: () => t, tick: (ms: number) => { t += ms; }, renders, prints, output };
}

describe("formatting", () => {
  it("steps per epoch are ceil(N / batch): a Progress given samples and batchSize counts 469 steps for MNIST", () => {
    expect(new Progress({ samples: 60000, batchSize: 128 }).total).toBe(469);
    expect(new Progress({ samples: 301, batchSize: 100 }).total).toBe(4);
    expect(() => new Progress({ samples: 100, batchSize: 0 })).toThrow(/batchSize|size/);
  });

  it("draws Keras' bar", () => {
    expect(progressBar(0, 469)).toBe("[" + ".".repeat(30) + "]");
    expect(progressBar(469, 469)).toBe("[" + "=".repeat(30) + "]");
    const mid = progressBar(123, 469); // floor(30·123/469) = 7 cells done
    expect(mid).toBe("[" + "=".repeat(6) + ">" + ".".repeat(23) + "]");
    expect(progressBar(5, 10, 10)).toBe("[====>.....]");
  });

  it("formats times and metrics like Keras", () => {
    expect(formatEta(6.4)).toBe("6s");
    expect(formatEta(65)).toBe("1:05");
    expect(formatEta(3723)).toBe("1:02:03");
    expect(formatStepTime(0.019)).toBe("19ms/step");
    expect(formatStepTime(2.2)).toBe("2s/step");
    expect(formatStepTime(0.00085)).toBe("850us/step");
    expect(formatMetrics({ batch: 3, size: 128, loss: 0.25514, acc: 0.92631 })).toBe(" - loss: 0.2551 - acc: 0.9263");
    expect(formatMetrics({ loss: 0.00012345 })).toBe(" - loss: 1.2345e-4");
  });

  it("builds the finished and the running line", () => {
    const done = progressLine({ step: 469, total: 469, elapsedSeconds: 8.9, logs: { loss: 0.2551, acc: 0.9263 }, done: true });
    expect(done).toBe("469/469 [==============================] - 9s 19ms/step - loss: 0.2551 - acc: 0.9263");
    const running = progressLine({ step: 123, total: 469, elapsedSeconds: 2.46, logs: { loss: 0.5 }, done: false });
    // 20 ms per step, 346 steps left → 6.92 s
    expect(running).toBe("123/469 [======>.......................] - ETA: 7s - loss: 0.5000");
    expect(progressLine({ step: 7, total: 469, elapsedSeconds: 0.1, logs: {}, done: false })).toMatch(/^  7\/469 \[/);
    expect(progressLine({ step: 50, elapsedSeconds: 5, logs: {}, done: false })).toBe("50/Unknown - 5s 100ms/step");
  });

  it("throttle lets one call through per interval", () => {
    let t = 0;
    const th = new Throttle(250, () => t);
    expect(th.ready()).toBe(true);
    t = 100; expect(th.ready()).toBe(false);
    t = 249; expect(th.ready()).toBe(false);
    t = 250; expect(th.ready()).toBe(true);
    t = 260; expect(th.ready()).toBe(false);
  });
});

/** Runs `epochs` epochs of `steps` steps, `msPerStep` each, with a loss falling per step. */
function run(p: Progress, h: ReturnType<typeof harness>, epochs: number, steps: number, msPerStep: number) {
  for (let e = 0; e < epochs; e++) {
    p.epochBegin(e);
    for (let s = 0; s < steps; s++) {
      h.tick(msPerStep);
      p.stepEnd({ loss: 1 / (1 + e * steps + s), size: 128 });
    }
    p.epochEnd({ loss: 0.3 / (e + 1), acc: 0.9 + e / 100 });
  }
  p.end();
}

describe("Progress", () => {
  it("updates in place at most 4 times a second and keeps every epoch line", () => {
    const h = harness();
    const p = new Progress({ epochs: 3, samples: 60000, batchSize: 128, now: h.now, output: h.output });
    run(p, h, 3, 469, 20); // 9.38 s per epoch
    const epochMs = 469 * 20;
    // throttled step updates: ≤ 4/s; plus forced ones at each epoch begin/end and at the end
    expect(h.renders.length).toBeLessThanOrEqual(3 * (Math.ceil(epochMs / 250) + 2) + 1);
    expect(h.renders.length).toBeGreaterThan(3 * 20); // it did update while running
    expect(h.prints).toEqual([]);
    const final = h.renders[h.renders.length - 1];
    expect(final).toBe(p.text());
    expect(final.split("\n")).toEqual([
      "Epoch 1/3", "469/469 [==============================] - 9s 20ms/step - loss: 0.3000 - acc: 0.9000",
      "Epoch 2/3", "469/469 [==============================] - 9s 20ms/step - loss: 0.1500 - acc: 0.9100",
      "Epoch 3/3", "469/469 [==============================] - 9s 20ms/step - loss: 0.1000 - acc: 0.9200",
    ]);
    expect(p.history.loss).toEqual([0, 1, 2].map((e) => 0.3 / (e + 1)));
    expect(p.history.acc).toEqual([0, 1, 2].map((e) => 0.9 + e / 100));
    expect(p.epochSeconds).toEqual([9.38, 9.38, 9.38]);
    // a running line was shown mid-epoch
    expect(h.renders.some((r) => /Epoch 2\/3\n\s*\d+\/469 \[=*>\.+\] - ETA: \d+s - loss: /.test(r))).toBe(true);
  });

  it("prints two lines per epoch when not in a notebook, and never redraws", () => {
    const h = harness(false);
    const p = new Progress({ epochs: 2, stepsPerEpoch: 3, now: h.now, output: h.output });
    run(p, h, 2, 3, 1000);
    expect(h.renders).toEqual([]);
    expect(h.prints).toEqual([
      "Epoch 1/2\n3/3 [==============================] - 3s 1s/step - loss: 0.3000 - acc: 0.9000",
      "Epoch 2/2\n3/3 [==============================] - 3s 1s/step - loss: 0.1500 - acc: 0.9100",
    ]);
  });

  it("averages step metrics weighted by batch size when the epoch gives none", () => {
    const h = harness();
    const p = new Progress({ stepsPerEpoch: 2, now: h.now, output: h.output });
    p.stepEnd({ loss: 1, size: 3 });
    p.stepEnd({ loss: 2, size: 1 });
    expect(p.means().loss).toBeCloseTo(1.25, 12);
    p.end();
    expect(p.history.loss[0]).toBeCloseTo(1.25, 12);
    expect(p.text().split("\n")[0]).toBe("Epoch 1");
  });

  it("rejects bad settings", () => {
    expect(() => new Progress({ epochs: 0 })).toThrow(/progress\.ts Progress: epochs/);
    expect(() => new Progress({ stepsPerEpoch: 2.5 })).toThrow(/stepsPerEpoch/);
    expect(() => new Progress({ updatesPerSecond: 0 })).toThrow(/updatesPerSecond/);
  });
});

describe("fitProgress", () => {
  it("reads epochs, samples and batch size from tfjs' this.params", () => {
    const h = harness();
    const cb = fitProgress({ now: h.now, output: h.output });
    cb.onTrainBegin.call({ params: { epochs: 2, samples: 60000, batchSize: 128, steps: null } });
    expect(cb.progress.total).toBe(469);
    expect(cb.progress.epochs).toBe(2);
    for (let e = 0; e < 2; e++) {
      cb.onEpochBegin(e);
      for (let b = 0; b < 469; b++) { h.tick(10); cb.onBatchEnd(b, { batch: b, size: 128, loss: 0.5, acc: 0.8 }); }
      cb.onEpochEnd(e, { loss: 0.5 - e / 10, acc: 0.8 + e / 10 });
    }
    cb.onTrainEnd();
    const lines = cb.progress.text().split("\n");
    expect(lines[2]).toBe("Epoch 2/2");
    expect(lines[3]).toBe("469/469 [==============================] - 5s 10ms/step - loss: 0.4000 - acc: 0.9000");
    expect(cb.progress.history).toEqual({ loss: [0.5, 0.5 - 1 / 10], acc: [0.8, 0.8 + 1 / 10] });
  });

  it("options win over params", () => {
    const h = harness();
    const cb = fitProgress({ epochs: 7, stepsPerEpoch: 10, now: h.now, output: h.output });
    cb.onTrainBegin.call({ params: { epochs: 2, samples: 100, batchSize: 32 } });
    expect(cb.progress.epochs).toBe(7);
    expect(cb.progress.total).toBe(10);
  });
});

describe("in the kit's kernel", () => {
  it("a progress bar marks its cell as a training in the kernel's per-cell record (the re-run test skips trainings)", () => {
    const key = Symbol.for("dl-building-blocks.kernel");
    const g = globalThis as Record<symbol, unknown>;
    const saved = g[key];
    const current: { cell: number; ok: boolean; ms: number; trainings?: number } = { cell: 7, ok: false, ms: 0 };
    g[key] = { interrupted: false, running: 7, current, beforeCell: [], afterCell: [], cells: [] };
    try {
      const { output } = harness();
      new Progress({ epochs: 1, stepsPerEpoch: 3, output });
      expect(current.trainings).toBe(1);
      fitProgress({ output });
      expect(current.trainings).toBe(2);
      (g[key] as { current: unknown }).current = null;   // between cells: nothing to mark
      new Progress({ epochs: 1, stepsPerEpoch: 3, output });
      expect(current.trainings).toBe(2);
    } finally {
      g[key] = saved;
    }
  });
});
