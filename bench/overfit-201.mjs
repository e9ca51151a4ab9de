// Lesson 07's experiment (Saito §6.4.1, ch06/overfit_weight_decay.py with λ = 0): the first 300
// MNIST training images, MultiLayerNet with 6 hidden layers of 100 ReLU units (He init), SGD
// lr 0.01, batches of 100 (3 iterations per epoch), 201 epochs, with the accuracy on all 300
// training images and all 10,000 test images after every epoch.
//
// The yardstick: Python + numpy (float64) took 13.7 s on the development machine. This
// machine's speed drifts by a third from hour to hour, so the benchmark also runs the same
// experiment in numpy (bench/overfit-201.py) with a current numpy wheel (bench/python.mjs says
// where it is looked for), alternating kit and numpy runs, each in a fresh process, and reports
// the medians and their ratio. `--kit-only` skips numpy.
// Prints `overfit-201 SECONDS s` (the kit's median) and the final accuracies.
// Needs the compiled kit: `node tools/setup.mjs`.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt, inChild, median } from "../tools/bench.mjs";
import { findPython, pythonEnv } from "../tools/bench-python.mjs";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 3;
const EPOCHS = 201;
const NUMPY_REFERENCE = 13.7;

/** One run of the kit, in this process. */
export async function child() {
  const kit = require("../dist/network/index.js");
  const float64 = require("../dist/runtime/float64/index.js");
  kit.setProductKernel(float64.float64Products); // as the kit's entry point (src/index.ts) does
  const { loadData } = require("../dist/data/mnist.js");
  const [[trainImages, trainLabels], [testImages, testLabels]] = loadData();
  const xTrain = kit.imagesToMatrix(trainImages, 300);
  const tTrain = kit.labelsToArray(trainLabels, 300);
  const xTest = kit.imagesToMatrix(testImages);
  const tTest = kit.labelsToArray(testLabels);
  const rng = new kit.Rng(0);
  const network = new kit.MultiLayerNet({ inputSize: 784, hiddenSizes: [100, 100, 100, 100, 100, 100], outputSize: 10, weightInit: "he", rng });
  await float64.startMatmulThreads(); // (the workers otherwise start during the first epochs)

  const optimizer = new kit.SGD(0.01);
  const t0 = performance.now();
  // Saito's loop: an epoch is 300 / 100 = 3 updates; accuracy on train and test after each epoch
  let train = NaN;
  let test = NaN;
  for (let i = 0, epoch = 0; epoch < EPOCHS; i++) {
    const batch = rng.choice(xTrain.rows, 100);
    optimizer.update(network.params, network.gradient(xTrain.pickRows(batch), Array.from(batch, (/** @type {number} */ r) => tTrain[r])));
    if (i % 3 === 0) {
      train = network.accuracy(xTrain, tTrain);
      test = network.accuracy(xTest, tTest);
      epoch++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, train, test };
}

/** One run of bench/overfit-201.py, or null when no Python with numpy was found. */
function numpyRun() {
  const { mnistDataDir } = require("../dist/data/mnist.js");
  const { python } = findPython("numpy");
  if (python === null) return null;
  const p = spawnSync(python, [join(here, "overfit-201.py"), mnistDataDir(), String(EPOCHS)], { encoding: "utf8", env: pythonEnv() });
  if (p.error || p.status !== 0) {
    if (/No module named .?numpy/.test(p.stderr ?? "") || p.error) return null;
    throw new Error(`bench/overfit-201.py failed: ${(p.stderr || "").trim().split("\n").slice(-2).join(" | ")}`);
  }
  const seconds = Number(/numpy-overfit-201 ([\d.]+) s/.exec(p.stdout)?.[1]);
  const [, train, test] = /train accuracy ([\d.]+), test accuracy ([\d.]+)/.exec(p.stdout) ?? [];
  return { seconds, train: Number(train), test: Number(test) };
}

/** @param {{ log?: (line: string) => void, kitOnly?: boolean }} [opts] */
export async function run(opts = {}) {
  const log = opts.log ?? console.log;
  const kitRuns = [];
  const numpyRuns = [];
  let numpy = !opts.kitOnly;
  for (let round = 1; round <= ROUNDS; round++) {
    const kit = await inChild(import.meta.url, {});
    kitRuns.push(kit);
    let line = `round ${round}: kit ${fmt(kit.seconds)} s (train ${kit.train.toFixed(3)}, test ${kit.test.toFixed(4)})`;
    if (numpy) {
      const np = numpyRun();
      if (np === null) {
        numpy = false;
        log("(no Python with numpy found — set DLBB_BENCH_PYTHON to one, e.g. a venv with `pip install --retries 0 numpy`, to compare)");
      } else {
        numpyRuns.push(np);
        line += `   numpy ${fmt(np.seconds)} s (train ${np.train.toFixed(3)}, test ${np.test.toFixed(4)})`;
      }
    }
    log(line);
  }
  const kitSeconds = median(kitRuns.map((r) => r.seconds));
  log(`overfit-201 ${kitSeconds.toFixed(2)} s`);
  const last = kitRuns.at(-1);
  log(`final train accuracy ${last.train.toFixed(3)}, test accuracy ${last.test.toFixed(4)}`);
  if (numpyRuns.length > 0) {
    const numpySeconds = median(numpyRuns.map((r) => r.seconds));
    log(`numpy (same machine, same run): median ${fmt(numpySeconds)} s — the kit takes ${fmt(kitSeconds / numpySeconds)}× numpy's time`);
  }
  log(`issue's yardstick: numpy ${NUMPY_REFERENCE} s on the development machine — the kit's median is ${fmt(kitSeconds / NUMPY_REFERENCE)}× that`);
  return { seconds: kitSeconds };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run({ kitOnly: process.argv.includes("--kit-only") });
