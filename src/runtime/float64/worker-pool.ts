/**
 * Runs the WebAssembly kernel `gemm.wat` (assembled into gemm.wasm at build time): copies the
 * operands into the kernel's memory, has this thread and a few worker threads compute the rows of
 * the result, and copies it back. Runtime room: plumbing for lessons 05–08, nothing in it is needed
 * to understand the maths (`index.ts` is what the network plugs in).
 *
 * Two jobs: `fastGemm` (one matrix product) and `fastForward` (a whole stack of Affine → ReLU layers
 * in test mode, for measuring accuracy on thousands of images without copying every intermediate
 * matrix in and out).
 *
 * A job is cut into chunks of rows; every thread takes the next chunk from a shared counter until
 * none is left, so a thread that the operating system pauses does not hold the others up. Each row
 * is computed by the same code whichever thread takes it, so the numbers never depend on the
 * number of threads. The workers start in the background the first time a big job runs; until they
 * are ready, and for small jobs, everything runs on the calling thread. `setMatmulThreads(1)` (or
 * the environment variable DL_SCRATCH_THREADS=1) keeps everything on one thread.
 */

import { Worker } from "worker_threads";
import { availableParallelism } from "os";
import { wasmBinary } from "../wasm-binary";
import { MAX_PAGES, WebAssemblyApi, align, ensureMemory, type WasmMemory } from "../wasm-memory";

interface KernelExports {
  gemm(
    a: number, b: number, c: number, M: number, K: number, N: number,
    scratch: number, R: number, bias: number, aRowStep: number, aColStep: number, relu: number, scale: number,
  ): void;
}


/** Rows per block inside the gemm kernel (they share the columns of B held in the cache). */
const GEMM_BLOCK_ROWS = 16;
/** Rows per chunk of `fastForward` (their activations stay in the cache from layer to layer). */
const FORWARD_CHUNK_ROWS = 64;
/** Below this many multiply-adds a job is not worth waking the workers for. */
const PARALLEL_MIN_WORK = 1 << 20;

// One worker's signals (Int32Array on shared memory).
const GEN = 0; // incremented by the main thread: "a new job is ready"
const DONE = 1; // set by the worker to the job number it finished
const READY = 2; // 1 once the worker has instantiated the kernel
const FAILED = 3; // 1 if a kernel threw in the worker
const QUIT = 4;

// The job all threads share: `queue` (Int32) holds [next chunk, rows that may be read], `job`
// (Float64) the job's description:
//   gemm:    [0, M, chunkRows, a, b, c, K, N, scratchBase, scratchBytes, R, bias, aRowStep, aColStep]
//   forward: [1, rows, chunkRows, prog, areaBase, areaBytes]
const NEXT = 0;
const AVAILABLE = 1;

/**
 * Runs rows r0 … r1-1 of a `fastForward` job through every layer. The layer table starts at `prog`
 * (see fastForward). Sent to the workers as source text, so it uses nothing but its arguments.
 */
function forwardRows(ex: KernelExports, memory: WasmMemory, prog: number, r0: number, r1: number, area: number): void {
  const head = new Float64Array(memory.buffer, prog, 8);
  const layers = head[0], x = head[2], inputs = head[3], out = head[4], bufBytes = head[5], gemmRows = head[6];
  const table = new Float64Array(memory.buffer, prog + 64, layers * 6);
  const scratch = area + 2 * bufBytes;
  const rows = r1 - r0;
  let src = x + r0 * inputs * 8;
  for (let l = 0; l < layers; l++) {
    const W = table[l * 6], b = table[l * 6 + 1], K = table[l * 6 + 2], N = table[l * 6 + 3];
    const dst = l === layers - 1 ? out + r0 * N * 8 : l % 2 === 0 ? area : area + bufBytes;
    ex.gemm(src, W, dst, rows, K, N, scratch, gemmRows, b, K * 8, 8, table[l * 6 + 4], table[l * 6 + 5]);
    src = dst;
  }
}

/**
 * Takes chunks of the shared job until none is left; `self` (0 = main thread) picks the thread's
 * own scratch memory. Sent to the workers as source text, like forwardRows.
 */
function runChunks(ex: KernelExports, memory: WasmMemory, job: Float64Array, queue: Int32Array, self: number): void {
  const kind = job[0], M = job[1], chunkRows = job[2];
  for (;;) {
    const first = Atomics.add(queue, 0, 1) * chunkRows; // queue[NEXT]
    if (first >= M) return;
    const end = Math.min(M, first + chunkRows);
    for (let available = Atomics.load(queue, 1); available < end; available = Atomics.load(queue, 1)) {
      Atomics.wait(queue, 1, available, 1000); // the main thread is still copying these rows in
    }
    if (kind === 0) {
      const rowStep = job[12];
      ex.gemm(
        job[3] + first * rowStep, job[4], job[5] + first * job[7] * 8, end - first, job[6], job[7],
        job[8] + self * job[9], job[10], job[11], rowStep, job[13], 0, 1,
      );
    } else {
      forwardRows(ex, memory, job[3], first, end, job[4] + self * job[5]);
    }
  }
}

const WORKER_SOURCE = `
const { workerData } = require("worker_threads");
const { memory, self } = workerData;
const ctl = new Int32Array(workerData.control);
const job = new Float64Array(workerData.job);
const queue = new Int32Array(workerData.queue);
const ex = new WebAssembly.Instance(workerData.module, { env: { memory } }).exports;
const forwardRows = ${forwardRows.toString()};
const runChunks = ${runChunks.toString()};
Atomics.store(ctl, ${READY}, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${GEN}, seen);
  seen = Atomics.load(ctl, ${GEN});
  if (Atomics.load(ctl, ${QUIT}) === 1) break;
  try {
    runChunks(ex, memory, job, queue, self);
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

interface Helper {
  worker: Worker;
  ctl: Int32Array;
  dead: boolean;
}

interface Kernel {
  module: object;
  memory: WasmMemory;
  ex: KernelExports;
  job: Float64Array;
  queue: Int32Array;
}

let kernel: Kernel | null | undefined;
const helpers: Helper[] = [];
let threads = defaultThreads();

function defaultThreads(): number {
  const fromEnv = Number(process.env.DL_SCRATCH_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  return Math.max(1, Math.min(4, availableParallelism()));
}

function loadKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  if (WebAssemblyApi === undefined) return (kernel = null);
  const bytes = wasmBinary(__dirname, "gemm"); // throws, every time, if the build did not make gemm.wasm
  kernel = null;
  try {
    // The kernel imports a shared memory (so that worker threads can share it); Node ≥ 20 has them.
    const memory = new WebAssemblyApi.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const module = new WebAssemblyApi.Module(bytes);
    const ex = new WebAssemblyApi.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    const job = new Float64Array(new SharedArrayBuffer(16 * 8));
    const queue = new Int32Array(new SharedArrayBuffer(2 * 4));
    kernel = { module, memory, ex, job, queue };
  } catch {
    /* no shared memory or no SIMD in this engine: the network's plain loops do the work */
  }
  return kernel;
}

/** True when the WebAssembly kernel can run in this JavaScript engine. */
export function fastKernelsAvailable(): boolean {
  return loadKernel() !== null;
}

/** How many threads big products may use (including the calling one); returns the old number. */
export function setMatmulThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setMatmulThreads: n must be a positive integer, got ${n}`);
  const old = threads;
  threads = n;
  while (helpers.length > n - 1) {
    const h = helpers.pop() as Helper;
    Atomics.store(h.ctl, QUIT, 1);
    Atomics.add(h.ctl, GEN, 1);
    Atomics.notify(h.ctl, GEN);
    void h.worker.terminate();
  }
  return old;
}

/**
 * Starts the worker threads now (they otherwise start with the first big product) and resolves,
 * once they are ready or after `timeoutMs`, to how many are ready.
 */
export async function startMatmulThreads(timeoutMs = 10_000): Promise<number> {
  const k = loadKernel();
  if (k === null) return 0;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ready = readyHelpers(k).length;
    if (ready >= threads - 1 || Date.now() > until) return ready;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts the missing workers (in the background) and returns those ready to work. */
function readyHelpers(k: Kernel): Helper[] {
  while (helpers.length < threads - 1) {
    const control = new SharedArrayBuffer(16 * 4);
    try {
      const workerData = { module: k.module, memory: k.memory, control, job: k.job.buffer, queue: k.queue.buffer, self: helpers.length + 1 };
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
      const helper: Helper = { worker, ctl: new Int32Array(control), dead: false };
      worker.on("error", () => (helper.dead = true));
      worker.on("exit", () => (helper.dead = true));
      worker.unref(); // an idle worker must not keep Node (or a notebook's kernel) from exiting
      helpers.push(helper);
    } catch {
      threads = helpers.length + 1; // no worker threads here
    }
  }
  return helpers.filter((h) => !h.dead && Atomics.load(h.ctl, READY) === 1);
}

/** Wakes the workers of `team`: the job described in k.job is ready. */
function wake(team: Helper[]): void {
  for (const h of team) {
    Atomics.add(h.ctl, GEN, 1);
    Atomics.notify(h.ctl, GEN);
  }
}

/** Waits until worker h has finished its last job (it always has, unless that job was cut short by an exception). */
function settle(h: Helper): void {
  const job = Atomics.load(h.ctl, GEN);
  for (let done = Atomics.load(h.ctl, DONE); done !== job; done = Atomics.load(h.ctl, DONE)) {
    Atomics.wait(h.ctl, DONE, done, 1000);
  }
}

/** Takes chunks of the job on this thread too, then waits until the team has finished theirs. */
function finish(k: Kernel, team: Helper[]): void {
  runChunks(k.ex, k.memory, k.job, k.queue, 0);
  for (const h of team) settle(h);
  for (const h of team) {
    if (Atomics.load(h.ctl, FAILED) === 1) {
      h.dead = true;
      throw new Error("matmul: a WebAssembly kernel failed in a worker thread");
    }
  }
}

/** The workers worth waking for `work` multiply-adds. */
function teamFor(k: Kernel, work: number): Helper[] {
  const team = work < PARALLEL_MIN_WORK ? [] : readyHelpers(k);
  for (const h of team) settle(h);
  return team;
}

const gemmScratchBytes = (K: number): number => align((GEMM_BLOCK_ROWS + 1) * 4 + 16 + GEMM_BLOCK_ROWS * K * 16);

/**
 * out (M×N) = op(A)·op(B) (+ bias in every row), where op(A) is M×K and op(B) is K×N.
 * `a` holds A row-major (M×K), or Aᵀ (K×M) when `transA`; likewise `b` holds B (K×N) or Bᵀ (N×K).
 * Returns false (and does nothing) when the kernel is not available or the operands do not fit in
 * its memory; shapes are checked by the caller.
 */
export function fastGemm(
  a: Float64Array, transA: boolean, b: Float64Array, transB: boolean,
  M: number, K: number, N: number, out: Float64Array, bias?: Float64Array,
): boolean {
  const k = loadKernel();
  if (k === null) return false;
  const team = teamFor(k, M * K * N);
  const slots = helpers.length + 1;

  const biasAt = 64;
  const bAt = biasAt + align(N * 8);
  const aAt = bAt + align(K * N * 8);
  const cAt = aAt + align(M * K * 8);
  const scratchAt = cAt + align(M * N * 8);
  const scratchBytes = gemmScratchBytes(K);
  if (!ensureMemory(k.memory, scratchAt + slots * scratchBytes)) return false;
  const mem = new Float64Array(k.memory.buffer);

  if (bias === undefined) mem.fill(0, biasAt / 8, biasAt / 8 + N);
  else mem.set(bias, biasAt / 8);
  if (!transB) mem.set(b, bAt / 8);
  else {
    for (let kk = 0; kk < K; kk++) {
      const o = bAt / 8 + kk * N;
      for (let j = 0; j < N; j++) mem[o + j] = b[j * K + kk];
    }
  }
  mem.set(a, aAt / 8); // a stored Aᵀ stays as it is: the kernel reads it with swapped steps

  const chunkRows = team.length === 0 ? M : Math.max(GEMM_BLOCK_ROWS, Math.ceil(M / (4 * (team.length + 1))));
  k.job.set([0, M, chunkRows, aAt, bAt, cAt, K, N, scratchAt, scratchBytes, GEMM_BLOCK_ROWS, biasAt, transA ? 8 : K * 8, transA ? M * 8 : 8]);
  Atomics.store(k.queue, NEXT, 0);
  Atomics.store(k.queue, AVAILABLE, M);
  wake(team);
  finish(k, team);

  out.set(mem.subarray(cAt / 8, cAt / 8 + M * N));
  return true;
}

/** One Affine layer (W is inputs×outputs, row-major) followed, if `relu`, by max(·, 0)·scale. */
export interface DenseLayer {
  W: Float64Array;
  b: Float64Array;
  inputs: number;
  outputs: number;
  relu: boolean;
  /** 1, or 1 − ratio for a Dropout layer in test mode after the ReLU. */
  scale: number;
}

/**
 * The scores (rows × outputs of the last layer) of x (rows × inputs of the first layer) through
 * `layers`, computed chunk by chunk inside the kernel's memory — the same arithmetic, in the same
 * order, as the layers' own forward passes, so the numbers are identical. Returns null when the
 * kernel is not available or the job does not fit in its memory.
 */
export function fastForward(x: Float64Array, rows: number, layers: DenseLayer[]): Float64Array | null {
  const k = loadKernel();
  if (k === null || layers.length === 0) return null;
  const inputs = layers[0].inputs;
  const outputs = layers[layers.length - 1].outputs;
  const maxK = Math.max(...layers.map((l) => l.inputs));
  const maxN = Math.max(...layers.map((l) => l.outputs));
  const team = teamFor(k, rows * layers.reduce((s, l) => s + l.inputs * l.outputs, 0));
  const slots = helpers.length + 1;

  const prog = 64;
  let at = prog + align(64 + layers.length * 6 * 8);
  const placed = layers.map((l) => {
    const W = at;
    const b = W + align(l.inputs * l.outputs * 8);
    at = b + align(l.outputs * 8);
    return { W, b };
  });
  const xAt = at;
  const outAt = xAt + align(rows * inputs * 8);
  const areaAt = outAt + align(rows * outputs * 8);
  const bufBytes = align(FORWARD_CHUNK_ROWS * maxN * 8);
  const areaBytes = 2 * bufBytes + gemmScratchBytes(maxK);
  if (!ensureMemory(k.memory, areaAt + slots * areaBytes)) return null;
  const mem = new Float64Array(k.memory.buffer);

  mem.set([layers.length, FORWARD_CHUNK_ROWS, xAt, inputs, outAt, bufBytes, GEMM_BLOCK_ROWS], prog / 8);
  layers.forEach((l, i) => {
    mem.set(l.W, placed[i].W / 8);
    mem.set(l.b, placed[i].b / 8);
    mem.set([placed[i].W, placed[i].b, l.inputs, l.outputs, l.relu ? 1 : 0, l.scale], (prog + 64) / 8 + i * 6);
  });
  k.job.set([1, rows, FORWARD_CHUNK_ROWS, prog, areaAt, areaBytes]);
  Atomics.store(k.queue, NEXT, 0);
  Atomics.store(k.queue, AVAILABLE, 0);
  // The workers start at once; the rows of x are copied in a piece at a time just ahead of them.
  wake(team);
  const piece = team.length === 0 ? rows : 8 * FORWARD_CHUNK_ROWS;
  for (let r = 0; r < rows; r += piece) {
    const end = Math.min(rows, r + piece);
    mem.set(x.subarray(r * inputs, end * inputs), xAt / 8 + r * inputs);
    Atomics.store(k.queue, AVAILABLE, end);
    Atomics.notify(k.queue, AVAILABLE);
  }
  finish(k, team);

  return mem.slice(outAt / 8, outAt / 8 + rows * outputs);
}
