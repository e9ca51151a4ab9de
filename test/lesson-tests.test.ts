// Every lesson is executed in CI by a test of its own (test/lessons/lesson-NN.test.ts), in both
// editions, and that test also re-runs the lesson's biggest cells (issue 19: memory stays bounded
// however often a student re-runs cells; test/helpers/notebook.ts, tools/rerun.py). A lesson added
// without such a test fails here.
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { lessonFiles, notebooksDir } from "../tools/editions.mjs";

const lessons = lessonFiles(notebooksDir);

describe("every lesson has a test that executes it", () => {
  it("finds the lessons", () => {
    expect(lessons.length).toBeGreaterThanOrEqual(8);
  });

  it.each(lessons)("%s: test/lessons/lesson-NN.test.ts runs both editions and the re-runs", (file) => {
    const nn = file.slice(0, 2);
    const path = join(__dirname, "lessons", `lesson-${nn}.test.ts`);
    expect(existsSync(path), `${path} is missing`).toBe(true);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/describe\.each\(EDITIONS\)/);
    expect(text).toMatch(new RegExp(`executeLesson\\("${nn}"`));
    expect(text).toMatch(/itKeepsMemoryBoundedOnRerun\(\(\) => run, lang\)/);
  });
});
