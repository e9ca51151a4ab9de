/**
 * The compiled bytes of one of the kit's WebAssembly kernels. Runtime room: lessons never see it.
 *
 * Kernels are written as WebAssembly text (`src/runtime/**.wat`, readable source); `npm install`
 * (tools/setup.mjs) assembles each into `dist/…/NAME.wasm` with the npm package `wabt`. A module
 * compiled to dist/ finds its kernel beside itself; the same module run from src/ (the unit tests)
 * reads the one in dist/.
 */
import { existsSync, readFileSync } from "fs";
import { join, relative, sep } from "path";

/** The bytes of `NAME.wasm` for the module in `dir` (pass `__dirname`). */
export function wasmBinary(dir: string, name: string): Uint8Array {
  const beside = join(dir, `${name}.wasm`);
  if (existsSync(beside)) return readFileSync(beside);
  const root = join(__dirname, "..", "..");
  const inDist = join(root, "dist", relative(join(root, "src"), dir), `${name}.wasm`);
  if (existsSync(inDist)) return readFileSync(inDist);
  throw new Error(
    `the WebAssembly kernel ${name}.wasm is missing (looked in ${beside} and ${inDist.split(sep).join("/")}): ` +
      "run `npm install` (or `node tools/setup.mjs`), which assembles src/…/*.wat into dist/",
  );
}
