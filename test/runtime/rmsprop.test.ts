import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { installRmspropFix, isRmspropFixInstalled, rmspropPass, uninstallRmspropFix } from "../../src/runtime/tfjs-kernels/rmsprop";

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Weights after `steps` RMSprop updates of w (shape [33, 7]) and b ([7]) with fixed gradients, and the tensor count change. */
function train(optimizer: tf.Optimizer, steps: number): { w: Float32Array; b: Float32Array; leaked: number } {
  const w = tf.variable(tf.tensor2d(values(33 * 7, 1), [33, 7]), true, `w${Math.random()}`);
  const b = tf.variable(tf.tensor1d(values(7, 2)), true, `b${Math.random()}`);
  const before = tf.memory().numTensors;
  for (let s = 0; s < steps; s++) {
    const gw = tf.tensor2d(values(33 * 7, 10 + s), [33, 7]);
    const gb = tf.tensor1d(values(7, 100 + s));
    optimizer.applyGradients({ [w.name]: gw, [b.name]: gb });
    tf.dispose([gw, gb]);
  }
  const leaked = tf.memory().numTensors - before - 4; // the optimizer's two accumulators per variable
  const out = { w: w.dataSync() as Float32Array, b: b.dataSync() as Float32Array, leaked };
  optimizer.dispose();
  tf.dispose([w, b]);
  return out;
}

beforeAll(async () => {
  await tf.setBackend("wasm");
});
afterAll(() => installRmspropFix());

describe("the one-pass RMSprop update", () => {
  it("installs idempotently and uninstalls", () => {
    installRmspropFix();
    const fixed = tf.RMSPropOptimizer.prototype.applyGradients;
    installRmspropFix();
    expect(tf.RMSPropOptimizer.prototype.applyGradients).toBe(fixed);
    uninstallRmspropFix();
    expect(isRmspropFixInstalled()).toBe(false);
    expect(tf.RMSPropOptimizer.prototype.applyGradients).not.toBe(fixed);
  });

  it.each([
    ["Keras' defaults", 0.001, 0.9, 0, 1e-7],
    ["with momentum", 0.01, 0.8, 0.5, 1e-6],
  ])("gives stock tfjs's weights to the bit (%s), leaking no tensor", (_label, lr, decay, momentum, eps) => {
    uninstallRmspropFix();
    const stock = train(tf.train.rmsprop(lr, decay, momentum, eps), 5);
    installRmspropFix();
    const kit = train(tf.train.rmsprop(lr, decay, momentum, eps), 5);
    expect(kit.w).toEqual(stock.w);
    expect(kit.b).toEqual(stock.b);
    expect(kit.leaked).toBe(0);
    expect(stock.w).not.toEqual(values(33 * 7, 1)); // the weights did move
  });

  it("runs its pass in WebAssembly (rmsprop-f32.wat) in the wasm backend's memory, not the JavaScript fallback", () => {
    expect(rmspropPass()).toBe("wasm");
  });

  it("leaves centered RMSprop to the stock method (same results)", () => {
    uninstallRmspropFix();
    const stock = train(tf.train.rmsprop(0.01, 0.9, 0, 1e-7, true), 3);
    installRmspropFix();
    const kit = train(tf.train.rmsprop(0.01, 0.9, 0, 1e-7, true), 3);
    expect(kit.w).toEqual(stock.w);
  });
});
