/**
 * Issue 15: "the browser test runs every lesson through Notebook 7 and JupyterLab 4 (and Notebook 6.4)".
 * `npm test` runs one part of that matrix and .ci/run the rest (test/browser.test.ts): this checks that
 * the two parts, as browserPlan splits the real lessons, add up to every lesson in every frontend with
 * none run twice, that DLBB_BROWSER_ALL's plan is the whole matrix, and that `npm test`'s part stays small.
 */
import { describe, expect, it } from "vitest";
import { browserPlan, lessonNotebooks, NPM_TEST_SUBSET, type Frontend } from "./helpers/browser";

const FRONTENDS: Frontend[] = ["notebook7", "lab", "notebook6"];
const lessons = lessonNotebooks();

describe("the browser test's plan", () => {
  it("finds the lessons, and the npm test subset names real lessons", () => {
    expect(lessons.length).toBeGreaterThanOrEqual(8);
    for (const n of NPM_TEST_SUBSET) expect(lessons.some((l) => l.startsWith(`${n}-`)), `NPM_TEST_SUBSET: no lesson ${n}`).toBe(true);
  });

  it("npm test's part and CI's rest run every lesson fresh in every frontend, none twice", () => {
    const parts = [browserPlan(lessons, "default"), browserPlan(lessons, "rest")];
    for (const f of FRONTENDS) {
      const runs = parts.flatMap((p) => p.fresh[f] ?? []);
      expect([...runs].sort(), `fresh runs in ${f}`).toEqual(lessons);
    }
  });

  it("between them every lesson is reopened untrusted in JupyterLab and in Notebook 7, from a .venv frontend's saved copy", () => {
    const parts = [browserPlan(lessons, "default"), browserPlan(lessons, "rest")];
    for (const p of parts) {
      expect(p.reopenFrom === "notebook7" || p.reopenFrom === "lab").toBe(true);
      // what is reopened was run fresh, and saved, by that frontend in the same part
      for (const name of [...p.reopen.lab, ...p.reopen.notebook7]) expect(p.fresh[p.reopenFrom!]).toContain(name);
    }
    for (const where of ["lab", "notebook7"] as const) {
      // (the rest reopens JupyterLab's own copies in JupyterLab too: npm test's part reopened Notebook 7's)
      expect([...new Set(parts.flatMap((p) => p.reopen[where]))].sort(), `reopened in ${where}`).toEqual(lessons);
    }
  });

  it("DLBB_BROWSER_ALL's plan is the whole matrix in one run", () => {
    const all = browserPlan(lessons, "all");
    for (const f of FRONTENDS) expect(all.fresh[f]).toEqual(lessons);
    expect(all.reopen).toEqual({ lab: lessons, notebook7: lessons });
  });

  it("npm test's part runs every lesson in Notebook 7 and only the subset in the other two (it must stay under 30 min)", () => {
    const p = browserPlan(lessons, "default");
    expect(p.primary).toBe("notebook7");
    expect(p.fresh.notebook7).toEqual(lessons);
    expect(p.fresh.lab!.length + p.fresh.notebook6!.length).toBe(2 * NPM_TEST_SUBSET.length);
  });

  it("a chosen frontend list without Notebook 7 makes the first the primary; 6.4's copies are never reopened", () => {
    expect(browserPlan(lessons, "default", ["lab"]).primary).toBe("lab");
    const only64 = browserPlan(lessons, "default", ["notebook6"]);
    expect(only64.fresh.notebook6).toEqual(lessons);
    expect(only64.reopenFrom).toBeNull();
    expect(only64.reopen).toEqual({ lab: [], notebook7: [] });
  });
});
