// Lesson 05's slow yardstick (Saito's ch05/gradient_check.py): the numerical gradient of
// TwoLayerNet(784, 50, 10) on 3 MNIST training images — 39,760 parameters, two forward passes each.
// Python + numpy takes 6.9 s on the development machine. Prints `numerical-gradient SECONDS s`,
// then the book's check: mean |numerical − backprop| per parameter.
// Needs the compiled kit: `node tools/setup.mjs`.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

export async function run() {
  const kit = require("../dist/network/index.js");
  kit.setProductKernel(require("../dist/runtime/float64/index.js").float64Products); // as src/index.ts does
  const { loadData } = require("../dist/data/mnist.js");
  const [[trainImages, trainLabels]] = loadData();
  const x = kit.imagesToMatrix(trainImages, 3);
  const t = Array.from(kit.labelsToArray(trainLabels, 3));
  const net = new kit.TwoLayerNet(784, 50, 10, 0.01, { rng: new kit.Rng(0) });

  const t0 = performance.now();
  const numeric = net.numericalGradient(x, t);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`numerical-gradient ${seconds.toFixed(2)} s`);

  const backprop = net.gradient(x, t);
  const diffs = Object.keys(numeric).map((key) => {
    let sum = 0;
    for (let i = 0; i < numeric[key].length; i++) sum += Math.abs(numeric[key][i] - backprop[key][i]);
    return `${key}: ${(sum / numeric[key].length).toExponential(2)}`;
  });
  console.log(`mean |numerical − backprop|  ${diffs.join("  ")}`);
  return { seconds };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
