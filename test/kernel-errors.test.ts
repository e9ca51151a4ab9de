// Issue 19: how the kit's kernel (jupyter/kernels/dl-building-blocks/cells.cjs) explains the errors a
// student meets, unit by unit (the kernel-level runs are in kernel-memory and kernel-interrupt).
import { join } from "path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { explainError, diagnosticHint } = require(join(root, "jupyter", "kernels", "dl-building-blocks", "cells.cjs"));

const state = { describeMemory: () => "3 tensors, 3.40 GB\nlargest: float32 [60000, 784] × 18 (188 MB each, 3.39 GB), made by cell [7]" };

describe("the kit's kernel explains errors", () => {
  it("turns WebAssembly's bare 'memory access out of bounds' into what filled memory and how to recover", () => {
    const trap = new (globalThis as any).WebAssembly.RuntimeError("memory access out of bounds");
    const text: string = explainError(trap, state);
    expect(text).toMatch(/^Out of memory: memory access out of bounds — the kernel ran out of memory for tensors\./);
    expect(text).toMatch(/What fills it now:\n3 tensors, 3\.40 GB\nlargest: float32 \[60000, 784\] × 18/);
    expect(text).toMatch(/To recover: .*restart the kernel \(Kernel → Restart\) and run the cells from the top\.$/);
    expect(text).not.toMatch(/wasm-function|    at /);
  });

  it("prints the kit's own interrupt and out-of-memory errors without a stack trace", () => {
    const e = new Error("model.fit stopped at epoch 2/5, step 130/469.");
    e.name = "Interrupted";
    expect(explainError(e, state)).toBe("Interrupted: model.fit stopped at epoch 2/5, step 130/469.");
    expect(explainError(Object.assign(new Error("x"), { code: "ERR_SCRIPT_EXECUTION_INTERRUPTED" }), state)).toMatch(/^Interrupted: the cell stopped where it was/);
    expect(explainError(new Error("Interrupted asynchronously"), state)).toMatch(/^Interrupted: the cell did not stop within 1 s/);
  });

  it("leaves other errors to tslab", () => {
    expect(explainError(new TypeError("x is not a function"), state)).toBeNull();
  });

  it("says to run the setup cells first when a name of the kit is missing, and the cells above for other names", () => {
    expect(diagnosticHint("Cannot find name 'fitProgress'.", root)).toMatch(/'fitProgress' comes from the lesson's setup cells/);
    expect(diagnosticHint("Cannot find name 'xTrain'.", root)).toMatch(/if 'xTrain' is made by a cell above, run that cell first/);
    expect(diagnosticHint("Type 'string' is not assignable to type 'number'.", root)).toBeNull();
  });

  it("explains in Korean in a kernel of the Korean edition (DLBB_LANG=ko)", () => {
    const before = process.env.DLBB_LANG;
    process.env.DLBB_LANG = "ko";
    try {
      expect(diagnosticHint("Cannot find name 'fitProgress'.", root)).toMatch(/'fitProgress'은\(는\) 레슨의 준비 셀에서 옵니다/);
      expect(diagnosticHint("Cannot find name 'xTrain'.", root)).toMatch(/'xTrain'을\(를\) 위쪽 셀에서 만든다면 그 셀을 먼저 실행하세요/);
      expect(explainError(Object.assign(new Error("x"), { code: "ERR_SCRIPT_EXECUTION_INTERRUPTED" }), state)).toMatch(/^Interrupted: 정지 버튼을 누른 곳에서 셀이 멈췄습니다/);
      expect(explainError(new RangeError("Array buffer allocation failed"), state)).toMatch(/^Out of memory: Array buffer allocation failed — 커널에 텐서를 위한 메모리가 부족합니다[\s\S]*해결 방법/);
    } finally {
      if (before === undefined) delete process.env.DLBB_LANG;
      else process.env.DLBB_LANG = before;
    }
  });
});
