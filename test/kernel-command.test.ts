/** `npm run kernel -- install|remove`: registers the kit's kernel for VS Code and other frontends (tools/kernel.mjs). */
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterEach, describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const tool = join(root, "tools", "kernel.mjs");
let data = "";
afterEach(() => rmSync(data, { recursive: true, force: true }));

/** Runs the command as a user would, with JUPYTER_DATA_DIR pointing at a temporary folder. */
function kernel(...args: string[]) {
  const r = spawnSync(process.execPath, [tool, ...args], { env: { ...process.env, JUPYTER_DATA_DIR: data }, encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("npm run kernel", () => {
  it("install writes a kernel.json that starts this repository's kernel; remove takes it out again", () => {
    data = mkdtempSync(join(tmpdir(), "dlbb-kernel-"));
    const file = join(data, "kernels", "dl-building-blocks", "kernel.json");
    expect(kernel("install").code).toBe(0);
    const spec = JSON.parse(readFileSync(file, "utf8"));
    expect(spec.argv).toEqual([process.execPath, join(root, "jupyter", "kernels", "dl-building-blocks", "launch.cjs"), "{connection_file}"]);
    expect(spec.display_name).toBe("TypeScript (dl-building-blocks)");
    expect(spec.language).toBe("typescript");
    expect(kernel("status").out).toMatch(/^registered: /);
    expect(kernel("install").code).toBe(0); // again: replaces its own file
    expect(kernel("remove").code).toBe(0);
    expect(existsSync(join(data, "kernels", "dl-building-blocks"))).toBe(false);
    expect(kernel("remove").out).toMatch(/nothing to remove/);
  });

  it("never overwrites or removes a kernel.json it did not write", () => {
    data = mkdtempSync(join(tmpdir(), "dlbb-kernel-"));
    const dir = join(data, "kernels", "dl-building-blocks");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "kernel.json"), '{"argv": ["mine"]}');
    const install = kernel("install");
    expect(install.code).toBe(1);
    expect(install.out).toMatch(/was not written by dl-building-blocks: not touched/);
    expect(kernel("remove").code).toBe(1);
    expect(readFileSync(join(dir, "kernel.json"), "utf8")).toBe('{"argv": ["mine"]}');
    expect(kernel("frobnicate").code).toBe(2);
  });
});
