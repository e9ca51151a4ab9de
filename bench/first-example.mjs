// Chollet's first example (Deep Learning with Python, 2.1 — lesson 01): MNIST, Dense(512, relu) →
// Dense(10, softmax), rmsprop, sparse categorical crossentropy, batch 128, all 60 000 training images.
// Reports seconds per epoch on the kit's default backend (real, full epochs) and, unless --kit-only,
// on stock tfjs backends (wasm without the kit's kernel fixes, cpu) — those are slow, so they are timed
// on fewer steps and extrapolated (median step time × steps per epoch), and the output says so.
// Every variant runs in its own Node process, so "stock" really is stock.
import { createRequire } from "node:module";
import { fmt, inChild, median } from "../tools/bench.mjs";

const require = createRequire(import.meta.url);
const SAMPLES = 60000;
const BATCH = 128;
const STEPS_PER_EPOCH = Math.ceil(SAMPLES / BATCH); // 469, as Keras counts them
const KIT_EPOCHS = 3;
const WARMUP_STEPS = 3; // not counted in extrapolated figures
/** PyTorch, one thread, same network — the reference figure from the issue that asked for speed. */
const PYTORCH_S_PER_EPOCH = 1.12;

/** One measurement, in a fresh process. spec: { backend?, kernelFixes?, epochs } or { …, steps }. */
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
  const epochSeconds = [];
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
  const acc = history.history.acc ?? history.history.accuracy;
  tf.dispose([x, y]);
  model.dispose();
  return { info, epochSeconds, stepMs, accuracy: acc[acc.length - 1] };
}

/** s/epoch from per-step times: median step (after warm-up) × steps per epoch. */
function extrapolate(stepMs) {
  return (median(stepMs.slice(WARMUP_STEPS)) * STEPS_PER_EPOCH) / 1000;
}

export async function run({ kitOnly = false, log = console.log } = {}) {
  log(
    `first-example: Chollet's first MNIST network (Dense 512 relu → Dense 10 softmax, rmsprop, batch ${BATCH}, ` +
      `${SAMPLES} samples = ${STEPS_PER_EPOCH} steps/epoch)`,
  );
  const kit = await inChild(import.meta.url, { epochs: KIT_EPOCHS });
  const kitS = median(kit.epochSeconds);
  const rows = [
    {
      label: "kit default",
      info: kit.info,
      s: kitS,
      perStep: extrapolate(kit.stepMs),
      how: `median of ${kit.epochSeconds.length} full epochs (${kit.epochSeconds.map((s) => fmt(s)).join(", ")} s), final accuracy ${fmt(kit.accuracy)}`,
    },
  ];
  if (!kitOnly) {
    const variants = [
      { label: "tfjs-node", spec: { backend: "tensorflow", epochs: 2 }, optional: true },
      { label: "stock wasm", spec: { backend: "wasm", kernelFixes: false, steps: 40 } },
      { label: "stock cpu", spec: { backend: "cpu", steps: 12 } },
    ].filter((v) => v.spec.backend !== kit.info.name || v.spec.kernelFixes === false);
    for (const v of variants) {
      let r;
      try {
        r = await inChild(import.meta.url, v.spec);
      } catch (e) {
        if (!v.optional) throw e;
        log(`  ${v.label.padEnd(12)} not available (the ${v.spec.backend} backend did not start)`);
        continue;
      }
      const perStep = extrapolate(r.stepMs);
      if (v.spec.steps) {
        const how = `extrapolated: median of ${r.stepMs.length - WARMUP_STEPS} timed steps × ${STEPS_PER_EPOCH}`;
        rows.push({ label: v.label, info: r.info, s: perStep, perStep, how });
      } else {
        rows.push({ label: v.label, info: r.info, s: median(r.epochSeconds), perStep, how: `median of ${r.epochSeconds.length} full epochs` });
      }
    }
  }
  for (const r of rows) {
    const backend = r.info.line.replace(/^⚠ /, "").replace(/^tfjs backend: /, "").replace(/ — .*$/, "");
    const ratio = r === rows[0] ? "" : `  ${fmt(r.perStep / rows[0].perStep)}× the kit`;
    log(`  ${r.label.padEnd(12)} ${backend.padEnd(40)} ${fmt(r.s).padStart(7)} s/epoch${ratio}  (${r.how})`);
  }
  log(`  (ratios compare median step times; the kit's median step × ${STEPS_PER_EPOCH} = ${fmt(rows[0].perStep)} s/epoch)`);
  log(`  PyTorch reference (1 thread, from the issue): ${PYTORCH_S_PER_EPOCH} s/epoch — the kit takes ${fmt(kitS / PYTORCH_S_PER_EPOCH)}× as long`);
  log(`first-example ${kit.info.name} ${kitS.toFixed(2)} s/epoch`);
  return { backend: kit.info.name, secondsPerEpoch: kitS, rows };
}
