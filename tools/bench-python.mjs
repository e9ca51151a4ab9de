// @ts-check
// The Python the benchmarks (bench/first-example.mjs, bench/overfit-201.mjs) compare the kit with: a current numpy / PyTorch wheel, never Debian's
// python3-numpy or python3-torch, which are pathologically slow on this machine's CPU and prove nothing.
// Looked for in DLBB_BENCH_PYTHON, else the project's .venv, else python3 on PATH (e.g. a venv made
// with `python3 -m venv /work/bench-venv && /work/bench-venv/bin/pip install --retries 0 torch numpy`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * This environment without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE: they are set on some machines for
 * old OpenBLAS builds and slow a current numpy or PyTorch down.
 * @returns {NodeJS.ProcessEnv}
 */
export function pythonEnv() {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/**
 * The first Python that imports `module` (DLBB_BENCH_PYTHON, the project's .venv, python3 on PATH).
 * @param {string} module
 * @returns {{ python: string | null, tried: string[] }}
 */
export function findPython(module) {
  const candidates = [process.env.DLBB_BENCH_PYTHON, join(root, ".venv", "bin", "python"), "python3"].filter(
    /** @returns {p is string} */ (p) => typeof p === "string" && p !== "",
  );
  /** @type {string[]} */
  const tried = [];
  for (const python of candidates) {
    if (python.includes("/") && !existsSync(python)) continue;
    tried.push(python);
    const p = spawnSync(python, ["-c", `import ${module}`], { encoding: "utf8", env: pythonEnv(), timeout: 120_000 });
    if (p.status === 0) return { python, tried };
  }
  return { python: null, tried };
}
