// @ts-check
// `npm install` runs this (the "prepare" script): it compiles src/ to dist/ and makes the kit
// importable by name, so a notebook anywhere under this folder can `import … from "dl-building-blocks"`.
// tslab type-checks with the kernel's folder as rootDir, so notebooks cannot import ../src/*.ts;
// they import the compiled dist/ (JavaScript + .d.ts) through node_modules/dl-building-blocks -> ..
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function linkSelf() {
  const link = join(root, "node_modules", "dl-building-blocks");
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === "..") return;
    unlinkSync(link);
  } catch {
    /* not there yet */
  }
  symlinkSync("..", link, "dir");
}

/** Every `src/…/*.wat` (WebAssembly text, the kit's readable kernel source), as its path under src/. */
/** @returns {string[]} */
function watFiles(dir = join(root, "src"), prefix = "") {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? watFiles(join(dir, e.name), join(prefix, e.name)) : e.name.endsWith(".wat") ? [join(prefix, e.name)] : [],
  );
}

/**
 * Assembles each src/…/*.wat into dist/…/*.wasm with the npm package `wabt` (WebAssembly's own
 * reference tools). wabt's own validator rejects shared memories even with the threads feature on,
 * so V8 (`new WebAssembly.Module`) validates the result instead: a bad kernel fails the build here.
 */
export async function assembleKernels() {
  const wabt = await createRequire(join(root, "package.json"))("wabt")();
  for (const rel of watFiles()) {
    const source = join(root, "src", rel);
    const mod = wabt.parseWat(source, readFileSync(source, "utf8"), { simd: true, threads: true, bulk_memory: true });
    try {
      mod.resolveNames();
      const bytes = mod.toBinary({ log: false }).buffer;
      new (/** @type {{ WebAssembly: { Module: new (bytes: Uint8Array) => object } }} */ (/** @type {unknown} */ (globalThis))).WebAssembly.Module(bytes); // throws with V8's message when the module is invalid
      const out = join(root, "dist", rel.replace(/\.wat$/, ".wasm"));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, bytes);
    } catch (e) {
      throw new Error(`src/${rel}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      mod.destroy();
    }
  }
}

export function build() {
  const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
  rmSync(join(root, "dist"), { recursive: true, force: true }); // no stale modules from moved or deleted sources
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
}

/** Written last, after the compile and the kernels both succeeded: a build that failed half-way is never "fresh". */
const STAMP = join(root, "dist", ".built");

/** True when a whole build of dist/ is newer than every file in src/. */
export function isFresh() {
  /** @type {(dir: string) => number} */
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  return existsSync(STAMP) && existsSync(join(root, "dist", "index.js")) && statSync(STAMP).mtimeMs >= newest(join(root, "src"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, "node_modules"))) {
    console.error("node_modules is missing: run `npm install` first");
    process.exit(1);
  }
  if (!(process.argv.includes("--if-stale") && isFresh())) {
    build();
    await assembleKernels();
    writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  }
  linkSelf();
}
