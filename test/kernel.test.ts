import { readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";

const kernelDir = join(__dirname, "..", "jupyter", "kernels", "dl-building-blocks");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { expandShorthand } = require(join(kernelDir, "shorthand.cjs"));
const ts = require("@tslab/typescript-for-tslab");

describe("the kit's kernel", () => {
  it("kernel.json starts the repository's tslab with no absolute path", () => {
    const spec = JSON.parse(readFileSync(join(kernelDir, "kernel.json"), "utf8"));
    expect(spec.argv).toEqual(["node", "{resource_dir}/launch.cjs", "{connection_file}"]);
    expect(JSON.stringify(spec)).not.toMatch(/"\/(work|home|usr|root)/);
    expect(spec.language).toBe("typescript");
  });

  it("expands object shorthand so earlier cells' variables resolve", () => {
    expect(expandShorthand(ts, "f({ a, b: 2, c })")).toBe("f({ a: a, b: 2, c: c })");
    expect(expandShorthand(ts, "const o = { n: { m } };")).toBe("const o = { n: { m: m } };");
  });

  it("leaves destructuring declarations, defaults and strings alone", () => {
    for (const src of ["const { a, b } = o;", "({ a = 1 } = o);", 'const s = "{ a }";', "function f({ a }: { a: number }) {}"]) {
      expect(expandShorthand(ts, src)).toBe(src);
    }
  });
});
