import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";

const dir = join(__dirname, "..", "notebooks");
const files = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();

describe("committed notebooks", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it.each(files)("%s has no outputs, no execution counts, and names the kit's kernel", (file) => {
    const nb = JSON.parse(readFileSync(join(dir, file), "utf8"));
    expect(nb.metadata.kernelspec?.name).toBe("dl-building-blocks");
    const ids = new Set<string>();
    for (const cell of nb.cells) {
      expect(typeof cell.id).toBe("string");
      expect(ids.has(cell.id)).toBe(false);
      ids.add(cell.id);
      if (cell.cell_type !== "code") continue;
      expect(cell.outputs, `cell ${cell.id} of ${file}`).toEqual([]);
      expect(cell.execution_count, `cell ${cell.id} of ${file}`).toBeNull();
    }
  });
});
