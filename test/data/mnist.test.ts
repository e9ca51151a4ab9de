import { mkdtempSync, writeFileSync, readFileSync, copyFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, describe, expect, it } from "vitest";
import { imageAt, loadData, mnistDataDir, readIdx } from "../../src/data/mnist";

const dir = mkdtempSync(join(tmpdir(), "mnist-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function idx(magic: number, dims: number[], body: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(body)]);
}
function write(name: string, content: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe("readIdx", () => {
  it("parses a small images file into shape and bytes", () => {
    const file = write("ok-images", idx(2051, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
    const t = readIdx(file, "images");
    expect(t.shape).toEqual([2, 2, 3]);
    expect(t.dtype).toBe("uint8");
    expect(Array.from(t.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(imageAt(t, 1)).toEqual([[250, 251, 252], [253, 254, 255]]);
  });

  it("names the file when it is missing", () => {
    expect(() => readIdx(join(dir, "nope"), "images")).toThrow(/nope.*file not found/);
  });

  it("rejects a wrong magic number, naming both numbers", () => {
    const file = write("labels-as-images", idx(2049, [3], [1, 2, 3]));
    expect(() => readIdx(file, "images")).toThrow(/labels-as-images.*magic number 2049, expected 2051/);
  });

  it("rejects a truncated body and a truncated header", () => {
    const body = write("short-body", idx(2051, [2, 28, 28], new Array(28 * 28 + 5).fill(0)));
    expect(() => readIdx(body, "images")).toThrow(/short-body is truncated: 805 bytes, expected 1584/);
    const head = write("short-head", Buffer.from([0, 0, 8, 3, 0]));
    expect(() => readIdx(head, "images")).toThrow(/short-head is truncated: 5 bytes/);
  });

  it("rejects trailing bytes and out-of-range labels", () => {
    const long = write("long-labels", Buffer.concat([idx(2049, [2], [1, 2]), Buffer.from([7])]));
    expect(() => readIdx(long, "labels")).toThrow(/long-labels is longer than its header says/);
    const bad = write("bad-labels", idx(2049, [3], [1, 12, 3]));
    expect(() => readIdx(bad, "labels")).toThrow(/bad-labels has label 12 at index 1/);
  });

  it("rejects a folder and never modifies the file it reads", () => {
    expect(() => readIdx(dir, "labels")).toThrow(/cannot read/);
    const file = write("kept", idx(2049, [2], [4, 5]));
    const before = readFileSync(file);
    readIdx(file, "labels");
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe("loadData on the real MNIST files", () => {
  it("has 60,000 train and 10,000 test samples of 28×28 bytes", () => {
    const [[trainImages, trainLabels], [testImages, testLabels]] = loadData();
    expect(trainImages.shape).toEqual([60000, 28, 28]);
    expect(trainLabels.shape).toEqual([60000]);
    expect(testImages.shape).toEqual([10000, 28, 28]);
    expect(testLabels.shape).toEqual([10000]);
    // Known facts of MNIST: first train label is 5, first test label is 7, pixel values span 0..255.
    expect(trainLabels.data[0]).toBe(5);
    expect(testLabels.data[0]).toBe(7);
    expect(Math.max(...trainImages.data.subarray(0, 784 * 100))).toBe(255);
    // every digit class appears in the test set
    expect(new Set(testLabels.data).size).toBe(10);
  });

  it("reports a mismatch between image and label counts", () => {
    const d = mkdtempSync(join(dir, "mixed-"));
    const src = mnistDataDir();
    for (const f of ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-labels-idx1-ubyte"]) {
      copyFileSync(join(src, f), join(d, f));
    }
    copyFileSync(join(src, "t10k-images-idx3-ubyte"), join(d, "train-images-idx3-ubyte"));
    expect(() => loadData(d)).toThrow(/train-\*: 10000 images but 60000 labels/);
  });
});
