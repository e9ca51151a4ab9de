// One test per entry of src/runtime/patches.ts: each fails when the upstream behaviour the patch works
// around changes (then the patch may be unnecessary, or wrong).
import { readFileSync } from "fs";
import { join } from "path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCHES } from "../../src/runtime/patches";
import { installCopyFix, uninstallCopyFix } from "../../src/runtime/tfjs-kernels/slice-gather";
import { installMatmulFix, uninstallMatmulFix } from "../../src/runtime/tfjs-kernels/matmul";
import { installRmspropFix, isRmspropFixInstalled, uninstallRmspropFix } from "../../src/runtime/tfjs-kernels/rmsprop";
import { readSyncCalls } from "../helpers/wasm";

const root = join(__dirname, "..", "..");
const tested = new Set<string>();
/** A test of the patch `id`, registered so the last test can check that every patch has one. */
function patchTest(id: string, fn: () => unknown | Promise<unknown>, timeout?: number): void {
  tested.add(id);
  it(`${id}: ${PATCHES.find((p) => p.id === id)?.upstream ?? "(not in PATCHES)"}`, fn, timeout);
}

/** Times fn (ms per call, best of `rounds` runs of `reps` calls). */
function bestMs(fn: () => void, reps = 3, rounds = 3): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, (performance.now() - t) / reps);
  }
  return best;
}

describe("the patches the kit applies to other packages (src/runtime/patches.ts)", () => {
  beforeAll(async () => {
    uninstallMatmulFix();
    uninstallCopyFix();
    await tf.setBackend("wasm");
  });
  afterAll(() => {
    installMatmulFix();
    installCopyFix();
  });

  patchTest("tfjs-wasm-matmul", () => {
    // Not a speed target: the stock kernel's transposed path is a scalar loop, an order of magnitude
    // slower than XNNPACK on the same sizes; if both ran alike, the patch would no longer be needed.
    const a = tf.randomNormal([256, 256]);
    const b = tf.randomNormal([256, 256]);
    try {
      const plain = bestMs(() => tf.matMul(a, b).dispose());
      const transposed = bestMs(() => tf.matMul(a, b, true, false).dispose());
      expect(transposed / plain).toBeGreaterThan(3);
    } finally {
      tf.dispose([a, b]);
    }
  });

  patchTest("tfjs-wasm-slice", () => {
    const x = tf.zeros([1000, 784]);
    try {
      expect(readSyncCalls(() => tf.slice(x, [100, 0], [100, 784]).dispose())).toBeGreaterThan(0);
    } finally {
      x.dispose();
    }
  });

  patchTest("tfjs-wasm-gather", () => {
    const x = tf.zeros([1000, 784]);
    const idx = tf.tensor1d([5, 900, 17], "int32");
    try {
      expect(readSyncCalls(() => tf.gather(x, idx).dispose())).toBeGreaterThan(0);
    } finally {
      tf.dispose([x, idx]);
    }
  });

  patchTest("tfjs-rmsprop", async () => {
    const wasInstalled = isRmspropFixInstalled();
    uninstallRmspropFix();
    const w = tf.variable(tf.randomNormal([64, 32]));
    const g = tf.randomNormal([64, 32]);
    const optimizer = tf.train.rmsprop(0.001);
    try {
      optimizer.applyGradients({ [w.name]: g }); // creates the accumulators
      const profile = await tf.profile(() => optimizer.applyGradients({ [w.name]: g }));
      expect(profile.kernels.length).toBeGreaterThan(8);
    } finally {
      optimizer.dispose();
      tf.dispose([w, g]);
      if (wasInstalled) installRmspropFix();
    }
  });

  patchTest("tfjs-engine-memory", () => {
    const engine = tf.engine() as unknown as Record<string, unknown> & { state: { registeredVariables: unknown } };
    for (const method of ["trackTensor", "disposeTensor", "runKernel"]) expect(typeof engine[method], method).toBe("function");
    // The stock registry is a plain object holding every variable (the kit swaps in a weak one).
    expect(Object.getPrototypeOf(engine.state.registeredVariables)).toBe(Object.prototype);
    const source = readFileSync(require.resolve("@tensorflow/tfjs-core/dist/tf-core.node.js"), "utf8");
    expect(source).toMatch(/this\.state\.registeredVariables\[v\.name\] = v;/);
  });

  patchTest("tfjs-wasm-malloc", () => {
    const wasm = (tf.engine().backend as unknown as { wasm?: { _malloc?: unknown } }).wasm;
    expect(typeof wasm?._malloc).toBe("function");
  });

  patchTest("tslab-executor", () => {
    const executor = require(join(root, "node_modules", "tslab", "dist", "executor.js"));
    expect(typeof executor.createExecutor).toBe("function");
    const source = readFileSync(join(root, "node_modules", "tslab", "dist", "executor.js"), "utf8");
    expect(source).toMatch(/new Error\("Interrupted asynchronously"\)/);
  });

  patchTest("tslab-history-request", () => {
    const source = readFileSync(join(root, "node_modules", "tslab", "dist", "jupyter.js"), "utf8");
    expect(source).not.toMatch(/history_request/);
    expect(source).toMatch(/console\.warn\(`unknown msg_type: \$\{msg\.header\.msg_type\}`\)/);
  });

  patchTest("tfjs-cpu-banner", () => {
    const cpu = tf.findBackend("cpu") as unknown as Record<string, unknown> | null;
    expect(cpu).not.toBeNull();
    expect(Object.prototype.hasOwnProperty.call(cpu, "firstUse")).toBe(true);
    const source = readFileSync(require.resolve("@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.node.js"), "utf8");
    expect(source).toMatch(/if \(this\.firstUse\) \{\s*this\.firstUse = false;/);
  });

  patchTest("zeromq-send-queue", async () => {
    const tslabDir = join(root, "node_modules", "tslab", "dist");
    const zmq = require(require.resolve("zeromq", { paths: [tslabDir] }));
    // A Dealer whose peer never reads, with room for one queued message: the second send stays in
    // flight, and a third, sent without waiting (as tslab does), finds the socket busy.
    const sender = new zmq.Dealer({ sendHighWaterMark: 1, sendTimeout: 2000 });
    sender.connect(`inproc://dlbb-patch-nobody-${process.pid}`);
    const pending: Array<Promise<unknown>> = [];
    let error: unknown = null;
    try {
      for (let i = 0; i < 4 && error === null; i++) {
        try {
          pending.push(sender.send(`message ${i}`).catch((e: unknown) => void (error ??= e)));
        } catch (e) {
          error = e;
        }
      }
    } finally {
      sender.close();
      await Promise.all(pending);
    }
    expect(String((error as { code?: string } | null)?.code ?? error)).toMatch(/EBUSY/);
  });

  patchTest("zeromq-bind-wait", async () => {
    const zmq = require(require.resolve("zeromq", { paths: [join(root, "node_modules", "tslab", "dist")] }));
    const router = new zmq.Router();
    const bound = router.bind("tcp://127.0.0.1:*");
    let error: unknown = null;
    try {
      await router.receive();
    } catch (e) {
      error = e;
    } finally {
      await bound.catch(() => undefined);
      router.close();
    }
    expect(String((error as { code?: string } | null)?.code)).toBe("EBUSY");
    expect(String((error as { message?: string } | null)?.message)).toMatch(/bind or unbind/);
  });

  patchTest("tslab-shorthand", () => {
    const { createConverter } = require(join(root, "node_modules", "tslab", "dist", "converter.js"));
    const converter = createConverter({});
    try {
      const first = converter.convert(null, "const epochs = 5;");
      const second = converter.convert(first.declOutput, "const o = { epochs };\nconst p = epochs;");
      expect(second.diagnostics).toEqual([]);
      expect(second.output).toMatch(/p = exports\.epochs/); // a plain reference is rewritten …
      expect(second.output).toMatch(/\{ epochs \}/); // … shorthand is not
    } finally {
      converter.close();
    }
  });

  patchTest("tslab-display-writer", () => {
    const jupyter = require(join(root, "node_modules", "tslab", "dist", "jupyter.js"));
    expect(Object.prototype.hasOwnProperty.call(jupyter, "lastWriteDisplayData")).toBe(true);
    const source = readFileSync(join(root, "node_modules", "tslab", "dist", "jupyter.js"), "utf8");
    expect(source).toMatch(/exports\.lastWriteDisplayData = writeDisplayData;/);
  });

  patchTest("tslab-error-replies", () => {
    const source = readFileSync(join(root, "node_modules", "tslab", "dist", "jupyter.js"), "utf8");
    expect(source).toMatch(/status = "abort";/);
    expect(source).toMatch(/this\.execQueue\.reset\(200\);/);
  });

  it("every patch in src/runtime/patches.ts has a test here, and every test a patch", () => {
    expect([...tested].sort()).toEqual(PATCHES.map((p) => p.id).sort());
    for (const p of PATCHES) for (const file of p.where) expect(() => readFileSync(join(root, file)), file).not.toThrow();
  });
});
