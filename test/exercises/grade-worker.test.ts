/**
 * The grading worker (tools/grade.py) on one hand-made job: setup cells that do not combine into one
 * request, a solution that floods its output and writes a fake answer to stdout, a check cell that
 * only prints, and a top-level endless loop — with a light setup (no tfjs) to keep it quick. The
 * kernel runs without the sandbox here (grade-e2e.test.ts runs it sandboxed); answers come on fd 3.
 */
import { spawn } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelArgv, kernelEnv } from "../../tools/grade.mjs";
import { ensureJupyter, jupyterEnv, root } from "../../tools/jupyter.mjs";

const dir = mkdtempSync(join(tmpdir(), "dlbb-worker-"));
let result: Record<string, any>;
let seconds = 0;
let stdout = "";

const right = "function predictedClass(p: number[]): number {\n  return p.indexOf(Math.max(...p));\n}";

beforeAll(async () => {
  const work = join(dir, "work");
  mkdirSync(work);
  symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");
  mkdirSync(join(dir, "sock"));
  const fake = JSON.stringify({ id: 7, seconds: 0, restarts: 0, error: null, exercises: {} });
  const job = {
    id: 7,
    argv: kernelArgv(root),
    cwd: work,
    sockdir: join(dir, "sock"),
    log: join(dir, "kernel.log"),
    env: kernelEnv(work),
    timeout: 8,
    notebook_timeout: 120,
    memory_mb: 3000,
    setup: ['import { check } from "dl-building-blocks";\nconst shared = 1;', "const shared = 2;"],
    exercises: [
      {
        id: "predicted-class",
        solution: `${right}\nfor (let i = 0; i < 20000; i++) console.log("debug line " + i);\nprocess.stdout.write(${JSON.stringify(fake + "\n")});\nrequire("fs").writeSync(1, ${JSON.stringify(fake + "\n")});`,
        note: null,
        checks: ['await check("predicted-class", { predictedClass });'],
      },
      {
        id: "steps-per-epoch",
        solution: "function stepsPerEpoch(s: number, b: number): number { return 0; }\nwhile (true) {}",
        note: null,
        checks: ['await check("steps-per-epoch", { stepsPerEpoch });'],
      },
      { id: "forged", solution: "const x = 1;", note: null, checks: ['console.log("forged: all cases passed");'] },
      { id: "third", solution: null, note: "no solution cell for \"third\"", checks: [] },
    ],
  };
  const started = Date.now();
  result = await new Promise((resolve, reject) => {
    const child = spawn(ensureJupyter(), [join(root, "tools", "grade.py")], { env: jupyterEnv(), stdio: ["pipe", "pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdio[3]!.on("data", (c) => (out += c));
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line));
      else reject(new Error(`grade.py exited with ${code} and no answer: ${err.slice(-2000)}`));
    });
    child.stdin.end(JSON.stringify(job) + "\n");
  });
  seconds = (Date.now() - started) / 1000;
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("grade.py", () => {
  it("answers the job by id, having started a second kernel when the setup cells did not combine", () => {
    expect(result.id).toBe(7);
    expect(result.error).toBeNull();
    expect(result.restarts).toBe(2); // the setup fallback, and after the endless loop
    expect(seconds).toBeLessThan(120);
  });

  it("grades through a flood of output, taking the probes the check cell showed; the fake answer on stdout never reaches the protocol", () => {
    const r = result.exercises["predicted-class"];
    expect(r.status).toBe("checked");
    expect(r.probes.length).toBe(8);
    expect(r.probes[0]).toEqual({ value: 1 });
    expect(stdout).not.toContain('"exercises"');
  });

  it("takes no result from printed text", () => {
    expect(result.exercises.forged.status).toBe("no-result");
    expect(result.exercises.forged.probes).toBeNull();
  });

  it("times out an endless loop in a solution cell, and goes on with a new kernel", () => {
    const r = result.exercises["steps-per-epoch"];
    expect(r.status).toBe("timeout");
    expect(r.reason).toBe("the solution cell did not finish within 8 s (an endless loop?)");
    expect(r.probes).toBeNull();
  });

  it("reports a missing solution cell with its note", () => {
    expect(result.exercises.third).toEqual({ status: "missing", reason: 'no solution cell for "third"', probes: null });
  });
});
