/**
 * The student kit (`npm run release`, tools/release.mjs): no master solution, no hidden case and no
 * expected value of one anywhere in it; and it installs and runs lesson 01 with the README's two
 * commands in a fresh folder (`npm install`, then the kit's kernel runs the notebook headless as
 * `npm start` would serve it).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureJupyter, jupyterEnv } from "../../tools/jupyter.mjs";
import { lessonFiles } from "../../tools/editions.mjs";
import * as release from "../../tools/release.mjs";
import { nodeJson, run } from "../helpers/run";

const root = join(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "dlbb-kit-"));
const kit = join(dir, "kit");
const masters = lessonFiles(join(root, "notebooks"));
let problems: string[] = [];

/** Every file of the kit, as text (path → content), node_modules excluded. */
function kitFiles(base: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (p: string) => {
    for (const e of readdirSync(p)) {
      if (e === "node_modules") continue;
      const q = join(p, e);
      if (statSync(q).isDirectory()) walk(q);
      else files.set(q, readFileSync(q, "utf8"));
    }
  };
  walk(base);
  return files;
}

/** writeKit and verifyKit (a tsc over the kit) in a child process: minutes of synchronous work on a loaded machine. */
const releaseModule = JSON.stringify(join(root, "tools", "release.mjs"));

beforeAll(async () => {
  problems = await nodeJson<string[]>(
    `import * as r from ${releaseModule};
     const { problems } = r.writeKit(${JSON.stringify(join(root, "notebooks"))}, ${JSON.stringify(masters)}, ${JSON.stringify(kit)}, () => {});
     console.log(JSON.stringify([...problems, ...r.verifyKit(${JSON.stringify(kit)})]));`,
    { timeout: 600_000 },
  );
}, 660_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the student kit", () => {
  it("is consistent: the stripped library compiles and keeps exactly the teacher's visible cases", () => {
    expect(problems).toEqual([]);
  });

  it("holds none of the masters' reference solutions", () => {
    // a whole solution block, whitespace aside; a one-line block (e.g. `return Math.ceil(samples / batchSize);`)
    // may also be a line of the library itself (src/figures/progress.ts), so it is looked for in the
    // notebooks, the exercises and the README only
    const squash = (t: string) => t.replace(/\s+/g, "");
    const files = [...kitFiles(kit)].map(([path, text]) => [path, squash(text)] as const);
    const leaks: string[] = [];
    let blocks = 0;
    for (const f of masters) {
      const nb = JSON.parse(readFileSync(join(root, "notebooks", f), "utf8"));
      for (const cell of nb.cells) {
        for (const block of release.cellSource(cell).split(release.BEGIN).slice(1)) {
          const lines = block.split(release.END)[0].split("\n").filter((l: string) => l.trim() && !l.trim().startsWith("//"));
          const body = squash(lines.join("\n"));
          if (body.length < 15) continue;
          blocks++;
          const where = lines.length > 1 ? files : files.filter(([path]) => !path.includes("/src/") || path.includes("/src/exercises/"));
          for (const [path, text] of where) if (text.includes(body)) leaks.push(`${f}: a solution block in ${path}`);
        }
      }
    }
    expect(blocks).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });

  it("holds no hidden case: none of the teacher's hidden-case lines, none in the kit's compiled registry", () => {
    const files = kitFiles(kit);
    const exDir = join(root, "src", "exercises");
    const hiddenLines = readdirSync(exDir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => readFileSync(join(exDir, f), "utf8").split("\n"))
      .map((l) => l.trim())
      .filter((l) => /^(?!return\b|const\b)[A-Za-z_]\w*\(.*hidden: true/.test(l) || /^hidden\(/.test(l));
    expect(hiddenLines.length).toBeGreaterThan(100);
    const leaks = hiddenLines.filter((l) => [...files.values()].some((t) => t.includes(l)));
    expect(leaks).toEqual([]);
    // and what a hidden case calls, as the grader names it, is in no visible case of the kit
    const teacher = release.loadKitExercises();
    const src = readFileSync(join(kit, "src", "exercises", "lesson01.ts"), "utf8");
    for (const c of teacher.findExercise("steps-per-epoch").cases.filter((c: { hidden?: boolean }) => c.hidden)) {
      const args = c.name.slice(c.name.indexOf("(") + 1, -1);
      expect(src).not.toContain(`[${args}]`);
    }
  });

  it("notices a hidden case the release could not take out", { timeout: 660_000 }, async () => {
    const p = join(kit, "src", "exercises", "lesson01.ts");
    const text = readFileSync(p, "utf8");
    try {
      writeFileSync(p, text.replace("cases: (call) => [", 'cases: (call) => [\n    ((c) => c)(call("stepsPerEpoch", [7, 2], 4, { hint: { en: "x", ko: "x" }, ...{ hidden: true } })),'));
      const found = await nodeJson<string[]>(`import * as r from ${releaseModule}; console.log(JSON.stringify(r.verifyKit(${JSON.stringify(kit)})));`, { timeout: 600_000 });
      expect(found.join("\n")).toMatch(/exercise "steps-per-epoch": 1 hidden case\(s\) are still in the kit/);
    } finally {
      writeFileSync(p, text);
    }
  });

  it("installs with `npm install` in a fresh folder and runs lesson 01 on its own kernel", async () => {
    const install = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: kit, timeout: 900_000 });
    expect(install.status, install.stderr.slice(-2000)).toBe(0);
    const lesson = masters.find((f) => f.startsWith("01-"))!;
    const out = join(dir, "executed");
    // what `npm start` serves: the kit's notebooks on the kit's kernel (JUPYTER_PATH=kit/jupyter)
    const env = { ...jupyterEnv(), JUPYTER_PATH: join(kit, "jupyter"), JUPYTER_CONFIG_DIR: join(kit, ".jupyter"), JUPYTER_DATA_DIR: join(kit, ".jupyter", "data"), JUPYTER_RUNTIME_DIR: join(kit, ".jupyter", "runtime") };
    const executed1 = await run(ensureJupyter(), [join(root, "tools", "nbrun.py"), "--out", out, "--timeout", "600", "--cwd", join(kit, "notebooks"), join(kit, "notebooks", lesson)], { env, timeout: 1_200_000 });
    const result = JSON.parse(executed1.stdout.trim().split("\n").pop() || "{}");
    expect(result.error ?? null, executed1.stderr.slice(-2000)).toBeNull();
    expect(result.ok).toBe(true);
    const executed = JSON.parse(readFileSync(result.output, "utf8"));
    const text = executed.cells.flatMap((c: { outputs?: Array<{ text?: string | string[]; data?: Record<string, unknown> }> }) => c.outputs ?? []).map((o: { text?: string | string[]; data?: Record<string, unknown> }) => [o.text, o.data?.["text/plain"]].flat().join("")).join("\n");
    expect(text).toMatch(/not implemented yet: stepsPerEpoch/);
    // the kit holds no hidden case, so its self-check counts only the (visible) cases it has
    expect(text).toMatch(/0 of 5 (visible )?cases passed/);
  }, 1_500_000);
});

describe("the Korean student kit (npm run release -- --lang ko)", () => {
  const koKit = join(dir, "kit-ko");
  let koProblems: string[] = [];
  beforeAll(async () => {
    koProblems = await nodeJson<string[]>(
      `import * as r from ${releaseModule};
       const { problems } = r.writeKit(${JSON.stringify(join(root, "notebooks", "ko"))}, ${JSON.stringify(masters)}, ${JSON.stringify(koKit)}, () => {}, { lang: "ko" });
       console.log(JSON.stringify([...problems, ...r.verifyKit(${JSON.stringify(koKit)})]));`,
      { timeout: 600_000 },
    );
  }, 660_000);

  it("compiles, keeps the visible cases and holds the Korean lessons in notebooks/ko/, where the kernel speaks Korean", () => {
    expect(koProblems).toEqual([]);
    expect(readdirSync(join(koKit, "notebooks", "ko")).filter((f) => f.endsWith(".ipynb")).sort()).toEqual(masters);
    for (const f of masters) {
      const nb = JSON.parse(readFileSync(join(koKit, "notebooks", "ko", f), "utf8"));
      expect(nb.metadata.dlbb.lang, f).toBe("ko");
      const prose = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "markdown").map((c: { source: string[] }) => c.source.join("")).join("");
      expect((prose.match(/[\uAC00-\uD7A3]/g) ?? []).length, `${f}: Korean prose`).toBeGreaterThan(1000);
      for (const c of nb.cells) expect(release.cellSource(c), `${f}: a solution left in the kit`).not.toContain(release.BEGIN);
    }
    expect(readFileSync(join(koKit, "package.json"), "utf8")).toMatch(/--lang ko/);
  });
});
