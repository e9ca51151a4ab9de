/**
 * Choosing where the kit's tensors are computed (every lesson starts with `await ready()`;
 * lesson 01 is the first to train a network and really feel the difference).
 *
 * TensorFlow.js runs the same tensor operations on interchangeable "backends":
 *   - "tensorflow": native TensorFlow through @tensorflow/tfjs-node — fastest, used when installed;
 *   - "wasm": XNNPACK compiled to WebAssembly with SIMD (one thread in Node: tfjs's threaded build
 *     needs browser-style workers), with the kit's kernel fixes (tfjs-kernels/): the matrix products
 *     of Dense layers run on the kit's own float32 kernel on one thread per core (gemm-threads.ts),
 *     and RMSprop updates each weight tensor in one pass (rmsprop.ts);
 *   - "cpu": plain JavaScript loops — always works, but ~20× slower than wasm for training.
 * `ready()` picks the best one that loads, says which in one line, and keeps tfjs's own banners quiet.
 */
import * as os from "os";
import * as tf from "@tensorflow/tfjs";
import { installMatmulFix, isMatmulFixInstalled, uninstallMatmulFix } from "./tfjs-kernels/matmul";
import { installCopyFix, isCopyFixInstalled, uninstallCopyFix } from "./tfjs-kernels/slice-gather";
import { installRmspropFix, uninstallRmspropFix } from "./tfjs-kernels/rmsprop";
import { gemmAvailable, gemmThreadsNote, gemmUnavailableReason, startGemmThreads } from "./tfjs-kernels/gemm-threads";

export { tf };

export type BackendName = "tensorflow" | "wasm" | "cpu";
export const BACKENDS: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

export interface BackendInfo {
  name: BackendName;
  /** wasm only: WebAssembly SIMD instructions are used */
  simd?: boolean;
  /** wasm only: threads the matrix products compute with (the kit's threaded kernel with the kernel
   * fixes, else tfjs's single-threaded XNNPACK) */
  threads?: number;
  /** the kit's kernel fixes are active (wasm): matrix products on the kit's threaded float32 kernel
   * (tfjs-kernels/matmul.ts, gemm-threads.ts), slicing / gathering rows (slice-gather.ts) and the
   * one-pass RMSprop update (rmsprop.ts) */
  kernelFixes: boolean;
  /** the line `ready()` printed */
  line: string;
  /** why the preferred backend is not used, when the kit fell back to cpu */
  fallbackReason?: string;
}

export interface ReadyOptions {
  /** print nothing */
  quiet?: boolean;
  /** use exactly this backend (an Error if it cannot start); default: env DLBB_BACKEND, else the best that loads */
  backend?: BackendName;
  /** wasm: install the kit's kernel fixes (default true; false only to benchmark stock tfjs) */
  kernelFixes?: boolean;
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].replace(/^Error: /, "");
}

function cores(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** The backend named by `option`, else by the DLBB_BACKEND environment variable, else undefined. */
function forcedBackend(option: string | undefined): BackendName | undefined {
  const fromEnv = process.env.DLBB_BACKEND?.trim();
  const value = option ?? (fromEnv === "" ? undefined : fromEnv);
  if (value === undefined) return undefined;
  if (!(BACKENDS as readonly string[]).includes(value)) {
    const source = option !== undefined ? "ready({ backend })" : "the DLBB_BACKEND environment variable";
    throw new Error(`backend.ts: ${source} is "${value}"; it must be one of ${BACKENDS.join(", ")}`);
  }
  return value as BackendName;
}

/**
 * tf.setBackend, with tfjs's multi-line "Initialization of backend … failed" + stack trace
 * captured and turned into an Error whose message is the first line of the cause.
 */
async function switchTo(name: string): Promise<void> {
  const warned: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warned.push(args.map(String).join(" "));
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } finally {
    console.warn = warn;
  }
  if (!ok || tf.getBackend() !== name) {
    const cause = warned.filter((w) => !w.startsWith("Initialization of backend")).join(" ") || "tf.setBackend returned false";
    throw new Error(message(cause));
  }
  for (const w of warned) if (!w.startsWith("Initialization of backend")) warn(w); // not ours to hide
}

/** tfjs's cpu backend prints a multi-line "install tfjs-node" banner on first use; the kit says it in one line. */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend("cpu") as { firstUse?: boolean } | null;
  if (cpu != null && "firstUse" in cpu) cpu.firstUse = false;
}

async function tryTensorflow(): Promise<BackendInfo> {
  if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) process.env.TF_CPP_MIN_LOG_LEVEL = "2"; // TF's C++ info logs
  try {
    require("@tensorflow/tfjs-node"); // registers the "tensorflow" backend on the shared tfjs engine
  } catch (e) {
    throw new Error(`@tensorflow/tfjs-node did not load (${message(e)})`);
  }
  await switchTo("tensorflow");
  return { name: "tensorflow", kernelFixes: false, line: `tfjs backend: tensorflow (native, tfjs-node) — ${cores()} cores` };
}

async function tryWasm(fix: boolean): Promise<BackendInfo> {
  if (fix) {
    installMatmulFix();
    installCopyFix();
    installRmspropFix();
  } else {
    uninstallMatmulFix();
    uninstallCopyFix();
    uninstallRmspropFix();
  }
  await switchTo("wasm");
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
  const kernelFixes = isMatmulFixInstalled() && isCopyFixInstalled();
  const features = [simd ? "SIMD" : "no SIMD", kernelFixes ? "kit kernel fixes" : "stock kernels: slow backprop and batches"];
  let threads = 1;
  let products = "matrix products on 1 thread (tfjs's XNNPACK)";
  if (kernelFixes && gemmAvailable()) {
    threads = await startGemmThreads();
    const note = gemmThreadsNote();
    products = `matrix products on ${threads} thread${threads === 1 ? "" : "s"}${note ? ` (${note})` : ""}`;
  } else if (kernelFixes) {
    products += ` — the kit's threaded kernel is unavailable: ${gemmUnavailableReason()}`;
  }
  const line = `tfjs backend: wasm (${features.join(", ")}) — ${products}, ${cores()} cores`;
  return { name: "wasm", simd, threads, kernelFixes, line };
}

async function useCpu(fallbackReason?: string): Promise<BackendInfo> {
  silenceCpuBanner();
  await switchTo("cpu");
  const line =
    fallbackReason === undefined
      ? "tfjs backend: cpu — the pure-JS backend, ~20× slower than wasm for training (chosen explicitly)"
      : `⚠ tfjs backend: cpu — the slow pure-JS fallback, ~20× slower than wasm for training (${fallbackReason})`;
  return { name: "cpu", kernelFixes: isMatmulFixInstalled() && isCopyFixInstalled(), line, fallbackReason };
}

async function choose(forced: BackendName | undefined, fix: boolean): Promise<BackendInfo> {
  silenceCpuBanner();
  if (forced !== undefined) {
    try {
      return await (forced === "tensorflow" ? tryTensorflow() : forced === "wasm" ? tryWasm(fix) : useCpu());
    } catch (e) {
      throw new Error(`backend.ts: could not start the ${forced} backend that was asked for: ${message(e)}`);
    }
  }
  try {
    return await tryTensorflow();
  } catch {
    /* not installed (the usual case): wasm is the kit's default */
  }
  try {
    return await tryWasm(fix);
  } catch (e) {
    return useCpu(`wasm failed: ${message(e)}`);
  }
}

/**
 * Start TensorFlow.js on the best backend that loads (tensorflow → wasm + kernel fixes → cpu),
 * print one line saying which, and return what was chosen. Calling it again returns the same
 * info and prints nothing, unless a different backend (or kernelFixes setting) is asked for.
 */
export async function ready(options: ReadyOptions = {}): Promise<BackendInfo> {
  const forced = forcedBackend(options.backend);
  const fix = options.kernelFixes ?? true;
  while (pending !== undefined) await pending.catch(() => undefined);
  const same =
    current !== undefined &&
    (forced === undefined || forced === current.name) &&
    (options.kernelFixes === undefined || current.name !== "wasm" || options.kernelFixes === current.kernelFixes);
  if (same && tf.getBackend() === current!.name) return current!;
  const attempt = choose(forced, fix);
  pending = attempt;
  try {
    current = await attempt;
  } finally {
    pending = undefined;
  }
  if (!options.quiet) (current.fallbackReason ? console.warn : console.log)(current.line);
  return current;
}
