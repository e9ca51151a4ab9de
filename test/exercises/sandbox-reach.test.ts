// The lanes' users are "others" to the teacher's checkout: a checkout in a private home folder (0700)
// is out of their reach, so the grader gives the sandboxes a read-only farm of hard links instead.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, describe, expect, it } from "vitest";
import { linkFarm, othersCanReach } from "../../tools/grading/sandbox.mjs";

const dir = mkdtempSync(join(tmpdir(), "dlbb-reach-"));
afterAll(() => {
  for (const p of [join(dir, "farm"), join(dir, "farm", "pkg"), join(dir, "farm", "pkg", "lib")]) try { chmodSync(p, 0o755); } catch { /* gone */ }
  rmSync(dir, { recursive: true, force: true });
});

describe("the kit's node_modules as the sandboxes see it", () => {
  const home = join(dir, "home");
  const modules = join(home, "checkout", "node_modules");
  mkdirSync(join(modules, "pkg", "lib"), { recursive: true });
  writeFileSync(join(modules, "pkg", "package.json"), '{"name":"pkg"}');
  writeFileSync(join(modules, "pkg", "lib", "index.js"), "module.exports = 1;");
  symlinkSync("..", join(modules, "self"));

  it("is out of others' reach below a private folder, and within it once every folder above lets them pass", () => {
    chmodSync(dir, 0o711);
    chmodSync(home, 0o700);
    expect(othersCanReach(modules)).toBe(false);
    chmodSync(home, 0o751);
    expect(othersCanReach(modules)).toBe(true);
    chmodSync(home, 0o750);
    expect(othersCanReach(modules)).toBe(false);
  });

  it("becomes a farm of hard links with its own symlinks and read-only folders, the checkout's files untouched", () => {
    const before = statSync(join(modules, "pkg", "lib", "index.js"));
    const farm = linkFarm(modules, join(dir, "farm"));
    const file = statSync(join(farm, "pkg", "lib", "index.js"));
    expect(file.ino).toBe(before.ino); // the same file (same file system here), not a copy
    expect(file.mode & 0o777).toBe(before.mode & 0o777);
    expect(readFileSync(join(farm, "pkg", "package.json"), "utf8")).toBe('{"name":"pkg"}');
    expect(lstatSync(join(farm, "self")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(farm, "self"))).toBe("..");
    for (const d of [farm, join(farm, "pkg"), join(farm, "pkg", "lib")]) expect(statSync(d).mode & 0o777).toBe(0o555);
  });
});
