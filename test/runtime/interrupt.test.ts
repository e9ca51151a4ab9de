// Issue 19, "stop means stop", without a kernel: the kit's loops stop at a step boundary when the
// kernel's interrupt flag is set, say where, and long synchronous calls end at SIGINT.
import { spawn } from "child_process";
import { afterEach, describe, expect, it } from "vitest";
import { Progress, fitProgress } from "../../src/figures/progress";
import { InterruptError, interruptible, type KernelState } from "../../src/runtime/interrupt";

const KERNEL = Symbol.for("dl-building-blocks.kernel");
const g = globalThis as Record<symbol, unknown>;
const quiet = { live: false, render: () => {}, print: () => {} };

function fakeKernel(interrupted: boolean): KernelState {
  const state: KernelState = { interrupted, running: 1, beforeCell: [], afterCell: [], cells: [] };
  g[KERNEL] = state;
  return state;
}
afterEach(() => {
  delete g[KERNEL];
});

describe("the kit's loops at an interrupt", () => {
  it("Progress.stepEnd throws where the loop stopped, and not before the interrupt", () => {
    const kernel = fakeKernel(false);
    const p = new Progress({ epochs: 3, stepsPerEpoch: 10, output: quiet });
    p.epochBegin(0);
    for (let i = 0; i < 4; i++) p.stepEnd({ loss: 1 });
    p.epochEnd();
    p.epochBegin(1);
    for (let i = 0; i < 7; i++) p.stepEnd({ loss: 1 });
    kernel.interrupted = true;
    expect(() => p.stepEnd({ loss: 1 })).toThrow(InterruptError);
    expect(() => p.stepEnd({ loss: 1 })).toThrow(/^training stopped at epoch 2\/3, step 7\/10\. The network keeps the weights of its last update/);
  });

  it("fitProgress ends model.fit's callbacks at the next batch with epoch and step", () => {
    const kernel = fakeKernel(false);
    const cb = fitProgress({ epochs: 5, stepsPerEpoch: 469, output: quiet });
    cb.onTrainBegin();
    cb.onEpochBegin(0);
    for (let b = 0; b < 130; b++) {
      cb.onBatchBegin(b);
      cb.onBatchEnd(b, { loss: 0.5 });
    }
    kernel.interrupted = true;
    let error: unknown;
    try {
      cb.onBatchBegin(130);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InterruptError);
    expect((error as Error).message).toMatch(/^model\.fit stopped at epoch 1\/5, step 130\/469\./);
    expect(cb.progress.text()).toMatch(/130\/469 \[.*\] - ETA: .* — interrupted$/);
  });

  it("outside the kernel nothing stops", () => {
    const p = new Progress({ epochs: 1, stepsPerEpoch: 3, output: quiet });
    for (let i = 0; i < 3; i++) p.stepEnd({ loss: 1 });
    p.end();
    expect(p.history.loss).toEqual([1]);
  });
});

describe("interruptible", () => {
  it("ends a long synchronous call at SIGINT with an InterruptError saying where", () => {
    let i = 0;
    spawn("sh", ["-c", `sleep 0.5; kill -INT ${process.pid}`], { stdio: "ignore" });
    const started = Date.now();
    let error: unknown;
    try {
      interruptible("busy loop", () => `iteration ${i}`, () => {
        while (Date.now() - started < 20_000) i++;
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InterruptError);
    expect((error as Error).message).toMatch(/^busy loop stopped at iteration \d+\./);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("returns the value and passes other errors through", () => {
    expect(interruptible("f", () => "", () => 42)).toBe(42);
    expect(() => interruptible("f", () => "", () => {
      throw new RangeError("bad");
    })).toThrow(RangeError);
  });
});
