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
});
