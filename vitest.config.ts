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
    // vitest's default worker count (cores − 1: one here) is kept on purpose. Two side by side were
    // tried: a lesson test rewriting files under build/ while the browser test's kernel ran made
    // tslab's TypeScript watcher schedule a second rebuild, and tslab throws on that ("Unexpected
    // pending rebuildTimer"), killing the kernel.
  },
});
