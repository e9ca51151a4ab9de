// @ts-check
// Chollet's first example (Deep Learning with Python, 2.1 — lesson 01): MNIST, Dense(512, relu) →
// Dense(10, softmax), rmsprop, sparse categorical crossentropy, batch 128, all 60 000 training images.
//
// The yardstick is PyTorch (CPU, its default threads) on the same machine in the same run: this
// machine has 2 cores shared with other work, and its speed drifts, so only figures measured side by
// side compare. Three rounds alternate a fresh kit process and a fresh PyTorch process
// (bench/first-example.py), each training 2 epochs; a round's figure is its second epoch (the first
// includes warm-up: compiling, starting threads). Printed: both medians and their ratio.
// PyTorch is looked for in DLBB_BENCH_PYTHON, else the project's .venv/bin/python, else python3 on
// PATH; if none imports torch the comparison is skipped, with a note. (Debian's python3-torch 1.13 is
// pathologically slow on this CPU; install the current wheel in a venv:
// `python3 -m venv /work/bench-venv && /work/bench-venv/bin/pip install torch numpy`.)
//
// Unless --kit-only, stock tfjs backends (wasm without the kit's kernel fixes, cpu) are also timed,
// on a few steps extrapolated to an epoch (they are slow), each in its own process so that "stock"
// really is stock. Prints `first-example BACKEND SECONDS s/epoch` (the kit's median) last.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt, inChild, median } from "../tools/bench.mjs";
import { findPython, pythonEnv } from "../tools/bench-python.mjs";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const SAMPLES = 60000;
const BATCH = 128;
const STEPS_PER_EPOCH = Math.ceil(SAMPLES / BATCH); // 469, as Keras counts them
const ROUNDS = 3;
const WARMUP_BATCHES = 20; // untimed steps before the timed epoch, in every process
const WARMUP_STEPS = 3; // not counted in extrapolated figures

/**
 * @typedef {{ backend?: "tensorflow" | "wasm" | "cpu", kernelFixes?: boolean, epochs: number, steps?: number, warmup?: boolean }} Spec
 * @typedef {{ info: { name: string, line: string }, epochSeconds: number[], stepMs: number[], accuracy: number }} ChildResult
 */

/**
 * One measurement, in a fresh process.
 * @param {Spec} spec
 * @returns {Promise<ChildResult>}
 */
export async function child(spec) {
  const { ready, tf } = require("../dist/runtime/backend.js");
  const { loadData } = require("../dist/data/mnist.js");
  const info = await ready({ backend: spec.backend, kernelFixes: spec.kernelFixes, quiet: true });
  const [[images, labels]] = loadData();
  const n = spec.steps ? Math.min(SAMPLES, (spec.steps + WARMUP_STEPS) * BATCH) : SAMPLES;
  const pixels = images.shape[1] * images.shape[2];
  const x = tf.tidy(() => tf.tensor2d(images.data.subarray(0, n * pixels), [n, pixels], "float32").div(255));
  const y = tf.tensor1d(labels.data.subarray(0, n), "float32");
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [pixels], units: 512, activation: "relu" }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: "rmsprop", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
  if (spec.warmup) {
    const [wx, wy] = [x.slice(0, WARMUP_BATCHES * BATCH), y.slice(0, WARMUP_BATCHES * BATCH)];
    await model.fit(wx, wy, { epochs: 1, batchSize: BATCH, verbose: 0 });
    tf.dispose([wx, wy]);
  }
  /** @type {number[]} */
  const epochSeconds = [];
  /** @type {number[]} */
  const stepMs = [];
  let t = 0;
  let epochStart = 0;
  const history = await model.fit(x, y, {
    epochs: spec.steps ? 1 : spec.epochs,
    batchSize: BATCH,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => void (epochStart = t = performance.now()),
      onBatchEnd: async () => {
        const now = performance.now();
        stepMs.push(now - t);
        t = now;
      },
      onEpochEnd: async () => void epochSeconds.push((performance.now() - epochStart) / 1000),
    },
  });
  const acc = /** @type {number[]} */ (history.history.acc ?? history.history.accuracy);
  tf.dispose([x, y]);
  model.dispose();
  return { info: { name: info.name, line: info.line }, epochSeconds, stepMs, accuracy: acc[acc.length - 1] };
}

/**
 * s/epoch from per-step times: median step (after warm-up) × steps per epoch.
 * @param {number[]} stepMs
 */
function extrapolate(stepMs) {
  return (median(stepMs.slice(WARMUP_STEPS)) * STEPS_PER_EPOCH) / 1000;
}


/**
 * One run of bench/first-example.py in a fresh process.
 * @param {string} python
 * @param {number | "default"} threads
 * @returns {{ epochSeconds: number[], about: string }}
 */
function torchRun(python, threads) {
  const { mnistDataDir } = require("../dist/data/mnist.js");
  const args = [join(here, "first-example.py"), mnistDataDir(), "1", String(threads)];
  const p = spawnSync(python, args, { encoding: "utf8", env: pythonEnv(), timeout: 1800_000 });
  if (p.error || p.status !== 0) {
    const why = p.error ? p.error.message : (p.stderr || "").trim().split("\n").slice(-2).join(" | ");
    throw new Error(`bench/first-example.py failed (${python}): ${why}`);
  }
  const times = /torch-first-example ([\d. ]+) s/.exec(p.stdout)?.[1];
  if (times === undefined) throw new Error(`bench/first-example.py printed no timing: ${p.stdout.trim()}`);
  const about = /^torch .*$/m.exec(p.stdout)?.[0] ?? "torch";
  return { epochSeconds: times.trim().split(/\s+/).map(Number), about };
}

/** @param {number[]} xs */
const list = (xs) => xs.map((s) => fmt(s)).join(", ");

/** @param {{ kitOnly?: boolean, log?: (...args: unknown[]) => void }} [opts] */
export async function run({ kitOnly = false, log = console.log } = {}) {
  log(
    `first-example: Chollet's first MNIST network (Dense 512 relu → Dense 10 softmax, rmsprop, batch ${BATCH}, ` +
      `${SAMPLES} samples = ${STEPS_PER_EPOCH} steps/epoch); ${ROUNDS} rounds, each a fresh kit process then a fresh ` +
      `PyTorch process, each timing one epoch after ${WARMUP_BATCHES} warm-up steps`,
  );
  const { python, tried } = findPython("torch");
  if (python === null) {
    log(
      `  (no PyTorch: none of ${tried.join(", ") || "DLBB_BENCH_PYTHON, .venv/bin/python, python3"} imports torch — ` +
        "set DLBB_BENCH_PYTHON to a Python with the current torch wheel to compare; the comparison is skipped)",
    );
  }
  /** @type {ChildResult[]} */
  const kitRuns = [];
  /** @type {number[]} */
  const torchSeconds = [];
  let torchAbout = "";
  for (let round = 1; round <= ROUNDS; round++) {
    const kit = /** @type {ChildResult} */ (await inChild(import.meta.url, { epochs: 1, warmup: true }));
    kitRuns.push(kit);
    let line = `  round ${round}: kit ${list(kit.epochSeconds)} s/epoch (accuracy ${fmt(kit.accuracy)})`;
    if (python !== null) {
      const t = torchRun(python, "default");
      torchSeconds.push(t.epochSeconds[t.epochSeconds.length - 1]);
      torchAbout = t.about;
      line += `   PyTorch ${list(t.epochSeconds)} s/epoch`;
    }
    log(line);
  }
  const kitWarm = kitRuns.map((r) => r.epochSeconds[r.epochSeconds.length - 1]);
  const kitS = median(kitWarm);
  const kitLine = kitRuns[0].info.line;
  log(`  kit      ${fmt(kitS)} s/epoch  median of ${list(kitWarm)}   [${kitLine.replace(/^tfjs backend: /, "")}]`);
  if (torchSeconds.length > 0) {
    const torchS = median(torchSeconds);
    log(`  PyTorch  ${fmt(torchS)} s/epoch  median of ${list(torchSeconds)}   [${torchAbout}, ${python}]`);
    log(`  the kit takes ${fmt(kitS / torchS)}× PyTorch's time per epoch (target: at most 2×)`);
    const one = torchRun(/** @type {string} */ (python), 1).epochSeconds[0];
    log(`  PyTorch on 1 thread, once: ${fmt(one)} s/epoch (the kit takes ${fmt(kitS / one)}× that)`);
  }

  if (!kitOnly) {
    const variants = [
      { label: "tfjs-node", spec: { backend: /** @type {const} */ ("tensorflow"), epochs: 2 }, optional: true },
      { label: "stock wasm", spec: { backend: /** @type {const} */ ("wasm"), kernelFixes: false, epochs: 1, steps: 40 }, optional: false },
      { label: "stock cpu", spec: { backend: /** @type {const} */ ("cpu"), epochs: 1, steps: 12 }, optional: false },
    ].filter((v) => v.spec.backend !== kitRuns[0].info.name || v.spec.kernelFixes === false);
    for (const v of variants) {
      /** @type {ChildResult} */
      let r;
      try {
        r = /** @type {ChildResult} */ (await inChild(import.meta.url, v.spec));
      } catch (e) {
        if (!v.optional) throw e;
        log(`  ${v.label.padEnd(10)} not available (the ${v.spec.backend} backend did not start)`);
        continue;
      }
      const s = v.spec.steps ? extrapolate(r.stepMs) : median(r.epochSeconds);
      const how = v.spec.steps ? `extrapolated: median of ${r.stepMs.length - WARMUP_STEPS} timed steps × ${STEPS_PER_EPOCH}` : `median of ${r.epochSeconds.length} epochs`;
      log(`  ${v.label.padEnd(10)} ${fmt(s)} s/epoch  ${fmt(s / kitS)}× the kit  (${how})`);
    }
  }
  log(`first-example ${kitRuns[0].info.name} ${kitS.toFixed(2)} s/epoch`);
  return { backend: kitRuns[0].info.name, secondsPerEpoch: kitS };
}
