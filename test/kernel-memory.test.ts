// Issue 19 in the kit's kernel, over the Jupyter protocol: re-running a cell keeps memory bounded,
// filling memory on purpose gives a clear message (and the kernel stays usable), the readout
// works, and running a lesson cell before the setup cells says which to run first.
import { describe, expect, it } from "vitest";
import { kernelScenario } from "./helpers/kernel-session";

const setup = ['import { tf, ready, loadData, memoryUsage } from "dl-building-blocks";', "await ready();"];

describe("memory in the kit's kernel", () => {
  it("re-running lesson 01's xTrain cell five times keeps one copy: the old one and the intermediates are released", async () => {
    const build = 'const xTrain = tf.tensor2d(trainImages.data, [60000, 28 * 28], "float32").div(255);';
    const r = await kernelScenario(["cells", ...setup, "const [[trainImages]] = loadData();", ...Array(5).fill(build), "console.log(tf.memory().numTensors, tf.memory().numBytes);"]);
    expect(r.error).toBeNull();
    for (const c of r.cells) expect(c.status, c.err).toBe("ok");
    // 1 tensor of 60000 × 784 float32: 188,160,000 bytes, however often the cell ran
    expect(r.cells[r.cells.length - 1].out).toBe("1 188160000\n");
    // the first run says how much it added, where students build big tensors
    expect(r.cells[3].out).toMatch(/^\(memory: this cell added 188 MB of tensors; the notebook now holds 1 tensor, 188 MB — memoryUsage\(\) shows which\)/);
  }, 900_000);

  it("filling memory on purpose shows what filled it and how to recover, and the kernel stays usable", async () => {
    const r = await kernelScenario(
      [
        "cells", ...setup,
        "const xs: tf.Tensor[] = [];", // (a cell that fails keeps its variables but tslab forgets their types)
        "for (let i = 0; i < 1000; i++) xs.push(tf.zeros([1000, 1000]));",
        "tf.dispose(xs);\nxs.length = 0;\nconsole.log(tf.memory().numTensors, tf.tidy(() => tf.ones([1000, 1000]).sum().dataSync()[0]));",
        "memoryUsage()",
      ],
      { DLBB_MEMORY_LIMIT_MB: "200" },
    );
    expect(r.error).toBeNull();
    const [, , , fill, free, readout] = r.cells;
    expect(fill.status).toBe("error");
    expect(fill.err).toMatch(/^OutOfMemory: Out of memory: this step needs 4\.00 MB more, but the kit's tensors already hold 208 MB of the 210 MB the wasm backend can use\./);
    expect(fill.err).toMatch(/What fills it: 52 tensors; the largest: float32 \[1000, 1000\] × 52 \(4\.00 MB each, 208 MB\), made by cell \[4\]/);
    expect(fill.err).toMatch(/Variables holding the most: xs \(208 MB, 52 tensors\)/);
    expect(fill.err).toMatch(/To recover: free what you no longer need — tf\.dispose\(name\)/);
    expect(fill.err).not.toMatch(/wasm-function|RuntimeError|    at /); // no bare stack trace
    expect(free.status).toBe("ok");
    expect(free.out).toBe("0 1000000\n");
    expect(readout.status).toBe("ok");
    expect(readout.out).toMatch(/^0 tensors, 0 B of the 210 MB the wasm backend may use \(the kernel process: [\d.]+ [MG]B\)/);
  }, 900_000);

  it("a lesson cell run before the setup cells says which cells to run first", async () => {
    const r = await kernelScenario(["cells", "const x = tf.zeros([2]);", "console.log(xTrain.shape);"]);
    expect(r.error).toBeNull();
    const [kitName, lessonName] = r.cells;
    expect(kitName.status).toBe("error");
    expect(kitName.err).toMatch(/Cannot find name 'tf'/);
    expect(kitName.err).toMatch(/'tf' comes from the lesson's setup cells: run the first cells of the notebook \(the import from "dl-building-blocks" and `await ready\(\)`\) before this one/);
    expect(lessonName.status).toBe("error");
    expect(lessonName.err).toMatch(/if 'xTrain' is made by a cell above, run that cell first \(Cell → Run All Above\)/);
  }, 300_000);
});
