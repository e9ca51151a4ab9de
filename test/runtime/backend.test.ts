import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { availableParallelism } from "os";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm"; // registers (but does not start) the wasm backend

type BackendModule = typeof import("../../src/runtime/backend");

/** A fresh copy of src/backend.ts (its "already chosen" state reset); tfjs's engine is shared. */
async function freshBackendModule(): Promise<BackendModule> {
  vi.resetModules();
  return import("../../src/runtime/backend");
}

let log: ReturnType<typeof vi.spyOn>;
let warn: ReturnType<typeof vi.spyOn>;
const printed = () => [...log.mock.calls, ...warn.mock.calls].map((args) => args.map(String).join(" "));

beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.DLBB_BACKEND;
});

// Runs first, while the real wasm backend has never been started in this process.
describe("when wasm cannot start", () => {
  it("falls back to cpu with one loud line giving the reason, and no tfjs banner", async () => {
    const real = tf.engine().registryFactory.wasm;
    expect(real).toBeDefined();
    tf.removeBackend("wasm");
    tf.registerBackend("wasm", async () => {
      throw new Error("no WebAssembly in this test");
    }, real.priority);
    try {
      const { ready } = await freshBackendModule();
      const info = await ready();
      expect(info.name).toBe("cpu");
      expect(tf.getBackend()).toBe("cpu");
      expect(info.fallbackReason).toBe("wasm failed: no WebAssembly in this test");
      expect(printed()).toEqual([info.line]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(info.line).toMatch(/^⚠ tfjs backend: cpu .*20× slower.*wasm failed: no WebAssembly in this test/);
      tf.tensor([1, 2, 3]).mul(2).dataSync(); // the cpu backend's first write would print its banner
      expect(printed()).toEqual([info.line]);
    } finally {
      tf.removeBackend("wasm");
      tf.registerBackend("wasm", real.factory, real.priority);
    }
  });

  it("throws a clear Error when wasm was asked for explicitly", async () => {
    const real = tf.engine().registryFactory.wasm;
    tf.removeBackend("wasm");
    tf.registerBackend("wasm", async () => {
      throw new Error("broken on purpose");
    }, real.priority);
    try {
      const { ready } = await freshBackendModule();
      await expect(ready({ backend: "wasm" })).rejects.toThrow(/could not start the wasm backend.*broken on purpose/);
    } finally {
      tf.removeBackend("wasm");
      tf.registerBackend("wasm", real.factory, real.priority);
    }
  });
});

describe("ready()", () => {
  it("picks wasm with SIMD and the kernel fixes (tfjs-node is not installed here), printing one line", async () => {
    const { ready } = await freshBackendModule();
    const { isMatmulFixInstalled } = await import("../../src/runtime/tfjs-kernels/matmul");
    const { isCopyFixInstalled } = await import("../../src/runtime/tfjs-kernels/slice-gather");
    const info = await ready();
    expect(info).toMatchObject({ name: "wasm", simd: true, kernelFixes: true });
    expect(info.threads).toBe(Math.min(4, availableParallelism())); // the kit's products: one thread per core
    expect(info.fallbackReason).toBeUndefined();
    expect(tf.getBackend()).toBe("wasm");
    expect(isMatmulFixInstalled()).toBe(true);
    expect(isCopyFixInstalled("Slice") && isCopyFixInstalled("GatherV2")).toBe(true);
    expect(info.line).toMatch(/^tfjs backend: wasm \(SIMD, kit kernel fixes\) — matrix products on (\d+) threads?, \d+ cores$/);
    expect(info.line).toContain(`on ${info.threads} thread`);
    expect(printed()).toEqual([info.line]);
  });

  it("is idempotent: a second call returns the same info and prints nothing", async () => {
    const { ready } = await freshBackendModule();
    const first = await ready({ quiet: true });
    expect(printed()).toEqual([]);
    const [second, third] = await Promise.all([ready(), ready({ backend: first.name })]);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(printed()).toEqual([]);
  });

  it("switches when another backend is asked for, and can leave the fixes out for benchmarks", async () => {
    const { ready } = await freshBackendModule();
    const { isMatmulFixInstalled } = await import("../../src/runtime/tfjs-kernels/matmul");
    const { isCopyFixInstalled } = await import("../../src/runtime/tfjs-kernels/slice-gather");
    const cpu = await ready({ backend: "cpu" });
    expect(cpu.name).toBe("cpu");
    expect(cpu.fallbackReason).toBeUndefined();
    expect(tf.getBackend()).toBe("cpu");
    const stock = await ready({ backend: "wasm", kernelFixes: false });
    expect(stock).toMatchObject({ name: "wasm", kernelFixes: false });
    expect(isMatmulFixInstalled()).toBe(false);
    expect(isCopyFixInstalled("Slice") || isCopyFixInstalled("GatherV2")).toBe(false);
    expect(stock.line).toContain("stock kernels");
    expect(await ready({ backend: "wasm" })).toBe(stock); // same backend: nothing changes
    const fixed = await ready({ backend: "wasm", kernelFixes: true });
    expect(fixed.kernelFixes).toBe(true);
    expect(isMatmulFixInstalled()).toBe(true);
    expect(isCopyFixInstalled("Slice") && isCopyFixInstalled("GatherV2")).toBe(true);
    expect(printed()).toEqual([cpu.line, stock.line, fixed.line]);
  });

  it("obeys DLBB_BACKEND, and rejects unknown values naming the variable", async () => {
    process.env.DLBB_BACKEND = "cpu";
    let m = await freshBackendModule();
    expect((await m.ready()).name).toBe("cpu");
    process.env.DLBB_BACKEND = "gpu";
    m = await freshBackendModule();
    await expect(m.ready()).rejects.toThrow(/DLBB_BACKEND environment variable is "gpu".*tensorflow, wasm, cpu/);
    await expect(m.ready({ backend: "tpu" as never })).rejects.toThrow(/ready\(\{ backend \}\) is "tpu"/);
  });

  it("reports tfjs-node's absence clearly when it is forced", async () => {
    let installed = true;
    try {
      require.resolve("@tensorflow/tfjs-node");
    } catch {
      installed = false;
    }
    const { ready } = await freshBackendModule();
    if (installed) {
      expect((await ready({ backend: "tensorflow" })).name).toBe("tensorflow");
    } else {
      await expect(ready({ backend: "tensorflow" })).rejects.toThrow(/could not start the tensorflow backend.*tfjs-node did not load/);
    }
  });

  it("re-exports the tfjs namespace the kit uses", async () => {
    const m = await freshBackendModule();
    expect(m.tf.matMul).toBe(tf.matMul);
    expect(m.tf.engine()).toBe(tf.engine());
  });
});
