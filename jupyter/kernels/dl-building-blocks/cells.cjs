// The kit's kernel survives a student (issue 19): hooks around every cell tslab runs.
//
// - A state object on globalThis[Symbol.for("dl-building-blocks.kernel")] that the library reads
//   (src/runtime/interrupt.ts, src/runtime/memory.ts): the running cell, the interrupt flag, and
//   functions to call before and after each cell (the library's memory module releases there the
//   tensors nothing can reach any more).
// - Interrupt (SIGINT, Jupyter's stop button): the flag is set and the running cell gets GRACE_MS to
//   stop by itself (the kit's loops check the flag between steps and say where they stopped); only
//   then does tslab abandon the cell ("Interrupted asynchronously"), and until the next cell starts
//   every tfjs operation throws, so a loop of the student's own that uses tensors stops too.
// - Errors a student meets are explained instead of dumped: WebAssembly running out of memory, an
//   interrupt, and a name from a cell that has not run yet (setup cells first).
"use strict";
const fs = require("fs");
const path = require("path");

const KERNEL = Symbol.for("dl-building-blocks.kernel");
const GRACE_MS = 1000;
const KEEP_CELLS = 1000;

/** The state shared with the library (created once per process). */
function kernelState() {
  if (!globalThis[KERNEL]) {
    globalThis[KERNEL] = { interrupted: false, abandoned: false, running: null, beforeCell: [], afterCell: [], cells: [], describeMemory: undefined };
  }
  return globalThis[KERNEL];
}

const WASM_OOM = /memory access out of bounds|Out of memory|Array buffer allocation failed|Cannot allocate Wasm memory|Cannot enlarge memory|offset is out of bounds/i;

/** Names the students' entry point exports (read from dist/index.d.ts, once). */
function kitNames(root) {
  if (kitNames.cache) return kitNames.cache;
  const names = new Set(["tf"]);
  try {
    const text = fs.readFileSync(path.join(root, "dist", "index.d.ts"), "utf8");
    for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
      for (const part of m[1].split(",")) {
        const name = part.trim().split(/\s+as\s+/).pop();
        if (name) names.add(name.trim());
      }
    }
  } catch {
    /* not built: only `tf` is known */
  }
  kitNames.cache = names;
  return names;
}

/** The text in the kernel's language: Korean in notebooks/ko/ (launch.cjs sets DLBB_LANG), else English. */
function say(en, ko) {
  return process.env.DLBB_LANG === "ko" ? ko : en;
}

/** Extra lines for a TypeScript diagnostic a student meets when cells run out of order. */
function diagnosticHint(text, root) {
  const m = /Cannot find name '([^']+)'/.exec(text);
  if (!m) return null;
  if (kitNames(root).has(m[1])) {
    return say(
      `  → '${m[1]}' comes from the lesson's setup cells: run the first cells of the notebook (the import from "dl-building-blocks" and \`await ready()\`) before this one.`,
      `  → '${m[1]}'은(는) 레슨의 준비 셀에서 옵니다: 이 셀보다 먼저 노트북의 첫 셀들("dl-building-blocks"에서 가져오는 import와 \`await ready()\`)을 실행하세요.`,
    );
  }
  return say(
    `  → if '${m[1]}' is made by a cell above, run that cell first (Cell → Run All Above).`,
    `  → '${m[1]}'을(를) 위쪽 셀에서 만든다면 그 셀을 먼저 실행하세요(Cell → Run All Above).`,
  );
}

function firstLine(e) {
  return String((e && e.message) || e).split("\n")[0];
}

/** How the kernel prints an error thrown by a cell: the kit's own errors without a stack trace, others explained. */
function explainError(e, state) {
  if (!e || typeof e !== "object") return null;
  if (e.name === "Interrupted" || e.name === "OutOfMemory") return `${e.name}: ${e.message}`;
  if (e.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
    return say(
      "Interrupted: the cell stopped where it was when you pressed stop. Variables it had finished assigning keep their values; run it again to redo it.",
      "Interrupted: 정지 버튼을 누른 곳에서 셀이 멈췄습니다. 할당을 마친 변수는 값을 그대로 가집니다. 다시 하려면 셀을 다시 실행하세요.",
    );
  }
  if (e.message === "Interrupted asynchronously") {
    return say(
      `Interrupted: the cell did not stop within ${GRACE_MS / 1000} s of the interrupt, so the kernel left it; ` +
        "code it started may still be running in the background. If the kernel stays busy, restart it (Kernel → Restart).",
      `Interrupted: 중단 요청 후 ${GRACE_MS / 1000}초 안에 셀이 멈추지 않아 커널이 셀을 놓았습니다. ` +
        "셀이 시작한 코드가 아직 백그라운드에서 실행 중일 수 있습니다. 커널이 계속 바쁘면 커널을 다시 시작하세요(Kernel → Restart).",
    );
  }
  if (WASM_OOM.test(String(e.message)) || e instanceof RangeError && /allocation|memory/i.test(String(e.message))) {
    let what = "";
    try {
      what = state.describeMemory ? say("\nWhat fills it now:\n", "\n지금 메모리를 채운 것:\n") + state.describeMemory() : "";
    } catch {
      /* describing must not hide the error */
    }
    return say(
      `Out of memory: ${firstLine(e)} — the kernel ran out of memory for tensors.${what}\n` +
        "To recover: free what you no longer need (tf.dispose(name), or give the variable a new value) and run the cell again; " +
        "if cells keep failing, restart the kernel (Kernel → Restart) and run the cells from the top.",
      `Out of memory: ${firstLine(e)} — 커널에 텐서를 위한 메모리가 부족합니다.${what}\n` +
        "해결 방법: 더는 필요 없는 것을 해제하고(tf.dispose(name), 또는 변수에 새 값을 할당) 셀을 다시 실행하세요. " +
        "셀이 계속 실패하면 커널을 다시 시작하고(Kernel → Restart) 맨 위 셀부터 실행하세요.",
    );
  }
  if (/has not yet been initialized|await tf\.ready\(\)/.test(String(e.message))) {
    return `${e.stack || e}\n` + say("  → run the lesson's setup cell with `await ready();` first, then this one.", "  → `await ready();`가 있는 레슨의 준비 셀을 먼저 실행한 다음 이 셀을 실행하세요.");
  }
  return null;
}

/** Wraps tslab's createExecutor: per-cell hooks, a graceful interrupt, and explained errors. */
function installCellHooks(executorModule, root) {
  const original = executorModule.createExecutor;
  if (original.dlbbCellHooks) return;
  const patched = (rootDir, convs, cons) => {
    const state = kernelState();
    const friendly = {
      log: cons.log,
      error: (...args) => {
        if (args.length === 1) {
          const text = explainError(args[0], state);
          if (text !== null) return cons.error(text);
        }
        if (typeof args[0] === "string" && args[0].startsWith("%s%d:%d - %s")) {
          cons.error(...args);
          const hint = diagnosticHint(String(args[4]), root);
          if (hint) cons.error(hint);
          return;
        }
        return cons.error(...args);
      },
    };
    const executor = original(rootDir, convs, friendly);
    const execute = executor.execute;
    let count = 0;
    executor.execute = async (src) => {
      const info = { cell: ++count, ok: false, ms: 0 };
      state.interrupted = false;
      state.abandoned = false;
      state.running = info.cell;
      state.current = info;
      for (const f of state.beforeCell) {
        try {
          f(info);
        } catch (e) {
          cons.error("dl-building-blocks: a before-cell hook failed:", e);
        }
      }
      const started = Date.now();
      try {
        info.ok = await execute(src);
      } finally {
        info.ms = Date.now() - started;
        state.running = null;
        state.current = null;
      }
      for (const f of state.afterCell) {
        try {
          await f(info);
        } catch (e) {
          cons.error("dl-building-blocks: an after-cell hook failed:", e);
        }
      }
      state.cells.push(info);
      if (state.cells.length > KEEP_CELLS) state.cells.shift();
      return info.ok;
    };
    const interrupt = executor.interrupt;
    executor.interrupt = () => {
      state.interrupted = true;
      const cell = state.running;
      if (cell === null) return;
      setTimeout(() => {
        if (state.running !== cell) return;
        state.abandoned = true; // the library makes every tensor operation throw until the next cell
        interrupt();
      }, GRACE_MS);
    };
    return executor;
  };
  patched.dlbbCellHooks = true;
  executorModule.createExecutor = patched;
}

module.exports = { installCellHooks, kernelState, explainError, diagnosticHint, GRACE_MS };
