// Issue 19: "re-running any cell of any lesson, any number of times, keeps memory bounded".
// For every lesson in notebooks/ (whatever they are named and however they are ordered), a fresh
// kernel runs it top to bottom (Restart & Run All), recording per cell its time and the bytes it
// added (tensors, plus ArrayBuffers such as the float64 matrices); then the three cells that added
// the most among those that took at most 15 s or a tenth of the whole run (whichever is more: this
// shared machine can be many times slower than a quiet one) — the cells that build the lesson's
// largest tensors or models, not its long trainings — are re-run in order, 15 times. Every cell must succeed, and
// the kernel's resident memory after the last round must be within 25% of after the first.
import { lessonFiles } from "../tools/editions.mjs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { kernelScenario } from "./helpers/kernel-session";

const notebooks = join(__dirname, "..", "notebooks");
const lessons = lessonFiles(notebooks);
const ROUNDS = 15;
const TOP = 3;
const MAX_SECONDS = 15;
const FRACTION = 0.1;

describe("re-running a lesson's biggest cells 15 times", () => {
  it.each(lessons)("%s keeps the kernel's memory within 25%% of the first re-run", async (name) => {
    const r = await kernelScenario(["rerun", join(notebooks, name), String(ROUNDS), String(TOP), String(MAX_SECONDS), String(FRACTION)]);
    expect(r.error).toBeNull();
    expect(r.rounds.length).toBe(ROUNDS);
    expect(r.chosen.length).toBeGreaterThan(0);
    const first = r.rounds[0];
    const last = r.rounds[ROUNDS - 1];
    const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
    const summary = `${name}: (cells ≤ ${r.limitSeconds} s) cells ${r.chosen.map((c: any) => `${c.index} (+${mb(c.added)}, ${c.seconds} s)`).join(", ")}; rss after round 1 ${mb(first.rss)}, after ${ROUNDS} ${mb(last.rss)}; tensors ${mb(first.tensorBytes)} → ${mb(last.tensorBytes)}`;
    console.log(summary);
    expect(last.rss, summary).toBeLessThanOrEqual(first.rss * 1.25);
    expect(last.tensorBytes, summary).toBeLessThanOrEqual(first.tensorBytes * 1.25 + 1e6);
  }, 1_800_000);
});
