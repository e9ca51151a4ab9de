// `npm install` runs this (the "prepare" script): it compiles src/ to dist/ and makes the kit
// importable by name, so a notebook anywhere under this folder can `import … from "dl-building-blocks"`.
// tslab type-checks with the kernel's folder as rootDir, so notebooks cannot import ../src/*.ts;
// they import the compiled dist/ (JavaScript + .d.ts) through node_modules/dl-building-blocks -> ..
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync } from "node:fs";
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

export function build() {
  const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
  rmSync(join(root, "dist"), { recursive: true, force: true }); // no stale modules from moved or deleted sources
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], { stdio: "inherit" });
}

/** True when dist/ is newer than every file in src/. */
export function isFresh() {
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const built = join(root, "dist", "index.js");
  return existsSync(built) && statSync(built).mtimeMs >= newest(join(root, "src"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, "node_modules"))) {
    console.error("node_modules is missing: run `npm install` first");
    process.exit(1);
  }
  if (!(process.argv.includes("--if-stale") && isFresh())) build();
  linkSelf();
}
