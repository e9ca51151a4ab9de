// Issue 19: tensors nothing can reach are released, everything reachable is kept, and running out
// of memory gives a clear message. In-process (the kernel-level tests are test/kernel-*.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/runtime/backend";
import { installMemoryGuard, memoryUsage, OutOfMemoryError, releaseUnreachable, formatBytes } from "../../src/runtime/memory";

const nextTask = () => new Promise((resolve) => setImmediate(resolve));

beforeAll(async () => {
  await ready({ quiet: true, backend: "wasm" });
  installMemoryGuard({ limitBytes: 64 * 2 ** 20 });
});

/** Makes tensors in a scope of their own, so that nothing outside can reach them. */
function leak(n: number): void {
  for (let i = 0; i < n; i++) tf.ones([100, 100]).add(1); // two tensors each, neither kept
}

describe("releasing what nothing can reach", () => {
  it("releases unreachable tensors, intermediates included, and counts them", async () => {
    await nextTask();
    releaseUnreachable();
    const before = tf.memory().numTensors;
    leak(5);
    expect(tf.memory().numTensors).toBe(before + 10);
    await nextTask();
    const released = releaseUnreachable();
    expect(released.tensors).toBe(10);
    expect(released.bytes).toBe(10 * 100 * 100 * 4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("keeps tensors held in arrays, maps, objects and closures, and they stay usable", async () => {
    const inArray = [tf.fill([3], 1)];
    const inMap = new Map([["m", tf.fill([3], 2)]]);
    const inObject = { nested: { t: tf.fill([3], 3) } };
    const captured = tf.fill([3], 4);
    const closure = () => captured.sum().dataSync()[0];
    const view = inArray[0].reshape([1, 3]); // shares its data with inArray[0]
    await nextTask();
    releaseUnreachable();
    expect(Array.from(inArray[0].dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(inMap.get("m")!.dataSync())).toEqual([2, 2, 2]);
    expect(Array.from(inObject.nested.t.dataSync())).toEqual([3, 3, 3]);
    expect(closure()).toBe(12);
    expect(Array.from(view.dataSync())).toEqual([1, 1, 1]);
  });

  it("a view keeps working when the tensor it was made from is released", async () => {
    let view: tf.Tensor;
    (() => {
      const original = tf.fill([4], 7);
      view = original.reshape([2, 2]);
    })();
    await nextTask();
    releaseUnreachable();
    expect(Array.from(view!.dataSync())).toEqual([7, 7, 7, 7]);
  });

  it("releases the weights of a model nothing reaches, and keeps those of a model still held", async () => {
    const make = () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] })] });
      m.compile({ optimizer: "sgd", loss: "meanSquaredError" });
      return m;
    };
    const kept = make();
    await nextTask();
    releaseUnreachable();
    const baseline = tf.memory().numTensors;
    (() => void make())();
    expect(tf.memory().numTensors).toBeGreaterThan(baseline);
    await nextTask();
    releaseUnreachable();
    expect(tf.memory().numTensors).toBe(baseline);
    // the kept model still trains: its variables are in tfjs's registry and usable
    const h = await kept.fit(tf.ones([8, 3]), tf.zeros([8, 4]), { epochs: 2, verbose: 0 });
    expect(h.history.loss.length).toBe(2);
    expect(Object.keys(tf.engine().registeredVariables).length).toBeGreaterThanOrEqual(2);
  });

  it("a variable after assign() keeps its new value, and is released once unreachable", async () => {
    await nextTask();
    releaseUnreachable();
    const baseline = tf.memory().numTensors;
    const v = tf.variable(tf.zeros([2]));
    v.assign(tf.ones([2])); // the ones tensor, unreachable, shares its data with v now
    await nextTask();
    releaseUnreachable();
    expect(Array.from(v.dataSync())).toEqual([1, 1]);
    (() => {
      const w = tf.variable(tf.zeros([3]));
      w.assign(tf.fill([3], 5));
    })();
    await nextTask();
    releaseUnreachable();
    expect(tf.memory().numTensors).toBe(baseline + 1); // v only
  });
});

describe("the readout", () => {
  it("reports tensors and bytes, the largest group first, and prints a summary", async () => {
    const big = tf.zeros([1000, 250]);
    const small = tf.zeros([10]);
    const u = memoryUsage();
    expect(u.backend).toBe("wasm");
    expect(u.tensors).toBe(tf.memory().numTensors);
    expect(u.bytes).toBe(tf.memory().numBytes);
    expect(u.largest[0]).toMatchObject({ dtype: "float32", shape: [1000, 250], bytes: 1e6 });
    expect(String(u)).toMatch(/^\d+ tensors?, [\d.]+ [kMG]?B of the 67.1 MB the wasm backend may use/);
    expect(String(u)).toMatch(/largest: float32 \[1000, 250\] \(1.00 MB\)/);
    tf.dispose([big, small]);
  });

  it("formats bytes as the lessons count them", () => {
    expect(formatBytes(188_160_000)).toBe("188 MB");
    expect(formatBytes(3.36e9)).toBe("3.36 GB");
    expect(formatBytes(31_360_000)).toBe("31.4 MB");
    expect(formatBytes(512)).toBe("512 B");
  });
});

describe("running out of memory", () => {
  it("throws a clear OutOfMemoryError before WebAssembly fails, and the backend keeps working", async () => {
    const held: tf.Tensor[] = [];
    let error: unknown;
    try {
      for (let i = 0; i < 100; i++) held.push(tf.zeros([1000, 1000])); // 4 MB each, limit 64 MiB
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutOfMemoryError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Out of memory: this step needs 4.00 MB more, but the kit's tensors already hold [\d.]+ MB of the 67.1 MB the wasm backend can use\./);
    expect(message).toMatch(/the largest: float32 \[1000, 1000\] × 1[0-9] \(4.00 MB each/);
    expect(message).toMatch(/To recover: free what you no longer need/);
    expect(held.length).toBeGreaterThan(10);
    tf.dispose(held);
    held.length = 0;
    // memory is usable again
    expect(tf.tidy(() => tf.ones([1000, 1000]).sum().dataSync()[0])).toBe(1e6);
  });

  it("releases unreachable tensors first, so earlier cells' garbage never makes it run out", async () => {
    for (let i = 0; i < 40; i++) {
      (() => void tf.zeros([1000, 1000]))(); // 160 MB in all, never held
      await nextTask(); // as if each came from an earlier cell
    }
    expect(tf.memory().numBytes).toBeLessThanOrEqual(64 * 2 ** 20);
  });
});
