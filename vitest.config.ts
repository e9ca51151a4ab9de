import { defineConfig } from "vitest/config";

/**
 * The slow tests: they execute lessons in a kernel, drive the kit's kernel over the Jupyter protocol,
 * grade notebooks end to end, install the student kit, or drive a browser.
 * `npm test` runs everything; `npm run test:unit` (DLBB_TESTS=unit) leaves these out.
 */
export const SLOW_TESTS = [
  "test/lessons/**",
  "test/browser.test.ts",
  "test/browser-korean.test.ts",
  "test/rerun-tool.test.ts",
  "test/kernel-interrupt.test.ts",
  "test/kernel-memory.test.ts",
  "test/kernel-shutdown.test.ts",
  "test/exercises/grade-e2e.test.ts",
  "test/exercises/grade-worker.test.ts",
  "test/exercises/student-kit.test.ts",
];

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...(process.env.DLBB_TESTS === "unit" ? SLOW_TESTS : [])],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files at a time (vitest's default is cores − 1: one here). The slow files are mostly
    // kernels, Jupyter servers and a browser that keep about 1.4 of 2 cores busy; two at a time took
    // the suite from 2323 to 1773 s in a clean-clone CI run. (Two at a time once killed kernels with
    // tslab's "Unexpected pending rebuildTimer"; the kit's kernel no longer has that crash:
    // jupyter/kernels/dl-building-blocks/watch-timers.cjs.) Only grade-e2e starts sandbox users'
    // processes, so its check that none is left is not disturbed by another file.
    minWorkers: 2,
    maxWorkers: 2,
  },
});
