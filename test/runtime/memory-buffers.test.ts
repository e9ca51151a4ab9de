// Issue 19: after a cell, the kit's kernel frees the ArrayBuffers a re-run cell left unreachable (the
// from-scratch networks' Float64Array matrices live outside tfjs), so a lesson's memory does not
// depend on when V8 next decides to collect. Driven through the kernel's before/after-cell hooks.
import { describe, expect, it } from "vitest";
import type { CellInfo, KernelState } from "../../src/runtime/interrupt";

const KERNEL = Symbol.for("dl-building-blocks.kernel");
const state: KernelState = { interrupted: false, abandoned: false, running: null, beforeCell: [], afterCell: [], cells: [] };
(globalThis as Record<symbol, unknown>)[KERNEL] = state;

let count = 0;
/** Runs body as the kernel runs a cell: the before-cell hooks, the cell, the after-cell hooks. */
async function cell(body: () => void): Promise<CellInfo> {
  const info: CellInfo = { cell: ++count, ok: true, ms: 0 };
  for (const f of state.beforeCell) f(info);
  body();
  for (const f of state.afterCell) await f(info);
  return info;
}

describe("ArrayBuffers a re-run cell leaves behind", () => {
  it("are collected after the cell once ArrayBuffers hold BUFFER_SWEEP_BYTES or more", async () => {
    const { attachToKernel, BUFFER_SWEEP_BYTES } = await import("../../src/runtime/memory");
    expect(attachToKernel()).toBe(true);
    const big = new Float64Array(BUFFER_SWEEP_BYTES / 8); // what the lesson keeps (xTrain)
    let matrix = new Float64Array(2 ** 20); // 8 MB, replaced by each re-run
    const old: Array<WeakRef<Float64Array>> = [];
    for (let run = 0; run < 3; run++) {
      old.push(new WeakRef(matrix));
      const info = await cell(() => {
        matrix = new Float64Array(2 ** 20);
      });
      expect(info.sweepMs, `run ${run + 1}`).toBeGreaterThanOrEqual(0);
      expect(old.map((r) => r.deref() === undefined), `run ${run + 1}: the replaced matrices are gone`).toEqual(old.map(() => true));
    }
    expect(big.length + matrix.length).toBeGreaterThan(0);
  });

  it("also after a cell that adds nothing but lets go of the last view into a big one (lesson 05's row slice)", async () => {
    const { attachToKernel, BUFFER_SWEEP_BYTES } = await import("../../src/runtime/memory");
    expect(attachToKernel()).toBe(true);
    let xTrain = new Float64Array(BUFFER_SWEEP_BYTES / 8);
    let xAcc = xTrain.subarray(0, 100); // a view: it keeps all of xTrain
    const first = new WeakRef(xTrain.buffer);
    await cell(() => {
      xTrain = new Float64Array(BUFFER_SWEEP_BYTES / 8); // the re-run: the old one is still reachable through xAcc
    });
    expect(first.deref(), "still reachable through the slice").toBeDefined();
    const info = await cell(() => {
      xAcc = xTrain.subarray(0, 100); // adds 0 bytes, drops the old 64 MB
    });
    expect(info.sweepMs, "a collection ran").toBeGreaterThanOrEqual(0);
    expect(first.deref(), "the old xTrain is gone").toBeUndefined();
    expect(xAcc.length).toBe(100);
  });
});

describe("tensors a re-run cell leaves behind", () => {
  it("a cell that creates TENSOR_SWEEP_BYTES or more of tensors gets a collection, and what it replaced is released", async () => {
    const tf = await import("@tensorflow/tfjs");
    const { attachToKernel, TENSOR_SWEEP_BYTES } = await import("../../src/runtime/memory");
    expect(attachToKernel()).toBe(true);
    const n = TENSOR_SWEEP_BYTES / 4;
    let x: import("@tensorflow/tfjs").Tensor = tf.zeros([n]);
    await cell(() => undefined); // x's note is taken after the cell that made it
    for (let run = 0; run < 2; run++) {
      const before = tf.memory().numBytes;
      const info = await cell(() => {
        x = tf.ones([n]);
      });
      expect(info.sweepMs, `run ${run + 1}: a collection ran`).toBeGreaterThanOrEqual(0);
      expect(info.released, `run ${run + 1}: the replaced tensor was released`).toBeGreaterThanOrEqual(1);
      expect(tf.memory().numBytes, `run ${run + 1}: one copy of x`).toBe(before);
    }
    // a small cell: no collection, yet nothing reachable is lost
    const info = await cell(() => {
      tf.scalar(1).add(1);
    });
    expect(info.sweepMs).toBeUndefined();
    expect(x.dataSync()[0]).toBe(1);
    tf.dispose(x);
  });
});
