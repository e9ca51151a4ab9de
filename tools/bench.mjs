// @ts-check
// Benchmark runner: `node tools/bench.mjs [NAME…] [--kit-only]` (`npm run bench` compiles the kit first).
//
// Each benchmark is one file bench/NAME.mjs exporting
//     export async function run(opts)   // opts = { kitOnly, root, log }
// which prints its own results. Without NAMEs every bench/*.mjs runs, in alphabetical order.
// A benchmark that needs a fresh process per measurement (e.g. "stock" tfjs kernels vs the kit's)
// also exports `async function child(spec)` and calls `inChild(import.meta.url, spec)` from run():
// this file then runs `child(spec)` in a new Node process and returns what it returned (as JSON);
// if the child fails, inChild rejects with an Error carrying the end of the child's stderr.
// Benchmarks import the compiled kit from ../dist/*.js (run `node tools/setup.mjs` first).
// The helpers below (median, inChild, fmt) are exported for the benchmarks.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const benchDir = join(root, "bench");
const RESULT = "BENCH_CHILD_RESULT ";

/**
 * What `run(opts)` of each bench/NAME.mjs receives.
 * @typedef {{ kitOnly: boolean, root: string, log: (...args: unknown[]) => void }} BenchOptions
 */

/**
 * The median of a non-empty list of numbers.
 * @param {number[]} xs
 */
export function median(xs) {
  if (xs.length === 0) throw new Error("median: empty list");
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A number with `digits` significant figures' worth of decimals (12.3, 1.23, 123).
 * @param {number} x
 */
export function fmt(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x) || 1)));
  return x.toFixed(Math.min(decimals, 6));
}

/**
 * Run `child(spec)` of the benchmark module at `moduleUrl` in a new Node process and resolve to
 * its return value. The child's other output is passed through; `env` is merged into its environment.
 * @param {string} moduleUrl
 * @param {unknown} spec
 * @param {{ env?: Record<string, string | undefined>, timeoutSeconds?: number }} [options]
 * @returns {Promise<any>}
 */
export function inChild(moduleUrl, spec, { env = {}, timeoutSeconds = 900 } = {}) {
  const file = fileURLToPath(moduleUrl);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", file, JSON.stringify(spec)], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    /** @type {unknown} */
    let result;
    let buffered = "";
    let errors = "";
    p.stderr.setEncoding("utf8");
    p.stderr.on("data", (chunk) => void (errors += chunk));
    p.stdout.setEncoding("utf8");
    p.stdout.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith(RESULT)) result = JSON.parse(line.slice(RESULT.length));
        else process.stdout.write(line + "\n");
      }
    });
    const timer = setTimeout(() => p.kill(), timeoutSeconds * 1000);
    p.on("error", reject);
    p.on("close", (code, signal) => {
      clearTimeout(timer);
      if (buffered) process.stdout.write(buffered);
      if (code === 0 && result !== undefined) {
        if (errors) process.stderr.write(errors);
        resolve(result);
      } else {
        const why = errors.trim().split("\n").slice(-3).join(" | ") || "no message";
        reject(new Error(`${basename(file)} child ${JSON.stringify(spec)} ended with ${signal ?? `exit code ${code}`}: ${why}`));
      }
    });
  });
}

/**
 * @param {string} file
 * @param {string} specJson
 */
async function childMain(file, specJson) {
  const mod = await import(pathToFileURL(file).href);
  if (typeof mod.child !== "function") throw new Error(`${file} has no exported child(spec) function`);
  const out = await mod.child(JSON.parse(specJson));
  process.stdout.write(RESULT + JSON.stringify(out ?? null) + "\n");
}

function available() {
  return existsSync(benchDir)
    ? readdirSync(benchDir)
        .filter((f) => f.endsWith(".mjs"))
        .map((f) => f.slice(0, -".mjs".length))
        .sort()
    : [];
}

/** @param {string[]} argv */
async function main(argv) {
  if (argv[0] === "--child") return childMain(argv[1], argv[2]);
  const names = argv.filter((a) => !a.startsWith("--"));
  const flags = argv.filter((a) => a.startsWith("--"));
  const all = available();
  if (flags.includes("--help")) {
    console.log(`usage: node tools/bench.mjs [NAME…] [--kit-only]\nbenchmarks: ${all.join(", ") || "(none)"}`);
    return;
  }
  const unknownFlags = flags.filter((f) => f !== "--kit-only");
  if (unknownFlags.length > 0) throw new Error(`bench: unknown option ${unknownFlags.join(" ")} (known: --kit-only, --help)`);
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length > 0) throw new Error(`bench: no benchmark named ${unknown.join(", ")} (there are: ${all.join(", ")})`);
  if (!existsSync(join(root, "dist", "runtime", "backend.js"))) throw new Error("bench: dist/ is missing — run `node tools/setup.mjs` first");
  /** @type {BenchOptions} */
  const opts = { kitOnly: flags.includes("--kit-only"), root, log: (...a) => console.log(...a) };
  const load = loadavg()[0];
  const busy = load > availableParallelism() * 0.5 ? " — the machine is busy, so timings are inflated" : "";
  console.log(`machine: ${availableParallelism()} cores, Node ${process.version}, load average ${fmt(load, 2)}${busy}\n`);
  let failed = 0;
  for (const name of names.length > 0 ? names : all) {
    const mod = await import(pathToFileURL(join(benchDir, `${name}.mjs`)).href);
    if (typeof mod.run !== "function") throw new Error(`bench/${name}.mjs does not export async function run(opts)`);
    const t0 = performance.now();
    try {
      await mod.run(opts);
      console.log(`(${name}: ${fmt((performance.now() - t0) / 1000)} s)\n`);
    } catch (e) {
      failed++;
      console.error(`${name} FAILED: ${e instanceof Error ? e.stack : e}\n`);
    }
  }
  if (failed > 0) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
