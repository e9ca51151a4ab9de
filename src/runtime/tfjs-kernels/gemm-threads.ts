/**
 * Float32 matrix products on several threads, for the kit's wasm-backend BatchMatMul/_FusedMatMul
 * (matmul.ts). Lesson 01 trains Chollet's first network through it; nothing here is needed to
 * understand the maths.
 *
 * tfjs's wasm backend runs on one thread in Node and its memory cannot be shared with other
 * threads. So a product is done here instead: the operands are copied into a WebAssembly memory of
 * our own that is shared (SharedArrayBuffer) with a few worker threads, each thread — this one
 * included — takes blocks of 16 rows of C from a shared counter and computes them with the kernel in
 * `gemm-f32.wat`, and the result is copied back into a tensor the wasm backend owns. A thread that
 * the operating system pauses holds nobody up: the others take the blocks it has not taken.
 * Every row is computed by the same code whichever thread takes it, so the numbers never depend on
 * the number of threads.
 *
 * The workers start in the background (`startGemmThreads`); until they are ready, and for small
 * products, everything runs on the calling thread. Without SharedArrayBuffer or worker threads the
 * kernel runs on this thread alone. DLBB_MATMUL_THREADS=N (or setGemmThreads) sets how many
 * threads, this one included, big products use; the default is one per core, at most 4.
 */
import { MessageChannel, Worker } from "worker_threads";
import { availableParallelism } from "os";
import { wasmBinary } from "../wasm-binary";
import { MAX_PAGES, WebAssemblyApi, align, ensureMemory, type WasmMemory } from "../wasm-memory";

type GemmFn = (
  a: number, aRow: number, aCol: number, b: number, ldb: number, c: number, ldc: number,
  bias: number, relu: number, K: number, n4: number, r0: number, r1: number, pairs: number,
) => void;


/** Rows of C per call of the kernel (its scratch holds 16 lists of pairs). */
const BLOCK_ROWS = 16;
/**
 * Below this many multiply-adds (4.2 M) a product stays on the calling thread: waking a worker costs
 * a system call, and on a busy machine a worker that claimed a block may be paused by the operating
 * system while this thread waits for it. The first network's two big products (51 M each) use the
 * workers; its small ones (0.7 M: the 10-unit layer) take ~0.1-0.4 ms on one thread.
 */
const PARALLEL_MIN_WORK = 1 << 22;

// The job all threads share (an Int32Array on a SharedArrayBuffer):
//   [0..10] the kernel's first 11 arguments, [11] the rows of C, [12] the scratch of thread 0,
//   [13] the scratch bytes per thread, [14] the ticket, [15] blocks done, [16] blocks in the job,
//   [17] a worker's kernel failed, [18] the wake-up generation, [19] 1: workers, quit.
// The ticket is (job number << 20) | next block: a thread claims a block by compare-and-swap on it,
// so a worker that wakes late finds a later job's number (or no block left) and claims nothing.
// It reads the job's arguments after reading the ticket and before claiming, and this thread only
// writes the next job's arguments once every claimed block is done: a claimed block always runs
// with its own job's arguments. So this thread never waits for a worker that is slow to wake, only
// for blocks that a worker has actually claimed.
const TICKET = 14;
const DONE = 15;
const BLOCKS = 16;
const FAILED = 17;
const GEN = 18;
const QUIT = 19;
const JOB_LENGTH = 20;
const BLOCK_BITS = 20;
const MAX_BLOCKS = (1 << BLOCK_BITS) - 1;
const JOB_NUMBERS = 1 << 11;

/**
 * Claims and computes blocks of rows of the current job until none is left; `self` (0 = this
 * thread) picks the thread's scratch. Sent to the workers as source text, so it uses nothing but
 * its arguments. Returns when the job has no block left or is no longer the current one.
 */
function takeBlocks(gemm: GemmFn, job: Int32Array, self: number, blockRows: number, jobNumber: number): void {
  for (;;) {
    const ticket = Atomics.load(job, 14);
    if (ticket >>> 20 !== jobNumber) return;
    const block = ticket & 0xfffff;
    const M = job[11];
    if (block >= job[16]) return;
    const args = [job[0], job[1], job[2], job[3], job[4], job[5], job[6], job[7], job[8], job[9], job[10], job[12] + self * job[13]];
    if (Atomics.compareExchange(job, 14, ticket, ticket + 1) !== ticket) continue; // another thread took it
    try {
      const r0 = block * blockRows;
      gemm(args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8], args[9], args[10], r0, Math.min(M, r0 + blockRows), args[11]);
    } catch (e) {
      Atomics.store(job, 17, 1);
      if (self === 0) throw e;
    } finally {
      if (Atomics.add(job, 15, 1) + 1 === job[16]) Atomics.notify(job, 15);
    }
  }
}

const WORKER_SOURCE = `
const { workerData } = require("worker_threads");
const { memory, module, self } = workerData;
const job = new Int32Array(workerData.job);
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const takeBlocks = ${takeBlocks.toString()};
let seen = Atomics.load(job, ${GEN});
workerData.port.postMessage("ready");
for (;;) {
  Atomics.wait(job, ${GEN}, seen);
  seen = Atomics.load(job, ${GEN});
  if (Atomics.load(job, ${QUIT}) === 1) break;
  takeBlocks(gemm, job, self, ${BLOCK_ROWS}, Atomics.load(job, ${TICKET}) >>> ${BLOCK_BITS});
}
`;

interface Helper {
  worker: Worker;
  ready: boolean;
  dead: boolean;
}

interface Kernel {
  module: object;
  memory: WasmMemory;
  gemm: GemmFn;
  job: Int32Array;
  jobNumber: number;
}

let kernel: Kernel | null | undefined;
let kernelError = "";
const helpers: Helper[] = [];
let threads = defaultThreads();
/** Why products run on fewer threads than asked for, if they do. */
let noThreadsReason = "";

function defaultThreads(): number {
  const fromEnv = Number(process.env.DLBB_MATMUL_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  return Math.max(1, Math.min(4, availableParallelism()));
}

function loadKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    if (WebAssemblyApi === undefined) throw new Error("this JavaScript engine has no WebAssembly");
    // The kernel imports a shared memory; without SharedArrayBuffer there is no kernel (and the
    // caller keeps tfjs's own single-threaded XNNPACK product).
    if (typeof SharedArrayBuffer !== "function") throw new Error("SharedArrayBuffer is not available");
    const bytes = wasmBinary(__dirname, "gemm-f32");
    const memory = new WebAssemblyApi.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
    const module = new WebAssemblyApi.Module(bytes);
    const gemm = new WebAssemblyApi.Instance(module, { env: { memory } }).exports.gemm as GemmFn;
    const job = new Int32Array(new SharedArrayBuffer(JOB_LENGTH * 4));
    kernel = { module, memory, gemm, job, jobNumber: 0 };
  } catch (e) {
    kernelError = e instanceof Error ? e.message : String(e);
  }
  return kernel;
}

/** True when the float32 kernel can run here; otherwise `gemmUnavailableReason()` says why. */
export function gemmAvailable(): boolean {
  return loadKernel() !== null;
}

export function gemmUnavailableReason(): string {
  loadKernel();
  return kernelError;
}

/** How many threads (this one included) big products use now: 1 until the workers are ready. */
export function gemmThreads(): number {
  if (loadKernel() === null) return 0;
  return readyHelpers().length + 1;
}

/** Why products use fewer threads than set, or "". */
export function gemmThreadsNote(): string {
  return noThreadsReason;
}

/** Sets how many threads (this one included) big products may use; returns the old number. */
export function setGemmThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`gemm-threads.ts: setGemmThreads needs a positive integer, got ${n}`);
  const old = threads;
  threads = n;
  if (helpers.length > n - 1) stopGemmThreads();
  return old;
}

/** Ends every worker (they are unref'd, so this is only needed to free them early). */
export function stopGemmThreads(): void {
  const k = kernel;
  if (k == null || helpers.length === 0) return;
  Atomics.store(k.job, QUIT, 1);
  Atomics.add(k.job, GEN, 1);
  Atomics.notify(k.job, GEN);
  for (const h of helpers.splice(0)) void h.worker.terminate();
  // workers started from now on get a fresh job array, so that QUIT stays for the old ones
  const job = new Int32Array(new SharedArrayBuffer(JOB_LENGTH * 4));
  k.job = job;
}

/**
 * Starts the worker threads now (they otherwise start with the first big product) and resolves,
 * once they are ready or after `timeoutMs`, to how many threads products will use.
 */
export async function startGemmThreads(timeoutMs = 10_000): Promise<number> {
  if (loadKernel() === null) return 0;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ready = readyHelpers().length;
    if (ready >= helpers.length || Date.now() > until) return ready + 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Starts the missing workers (in the background) and returns those ready to work. */
function readyHelpers(): Helper[] {
  const k = kernel;
  if (k == null) return [];
  while (helpers.length < threads - 1) {
    try {
      const { port1, port2 } = new MessageChannel();
      const workerData = { module: k.module, memory: k.memory, job: k.job.buffer, self: helpers.length + 1, port: port2 };
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData, transferList: [port2] });
      const helper: Helper = { worker, ready: false, dead: false };
      port1.once("message", () => {
        helper.ready = true;
        port1.close();
      });
      port1.unref();
      worker.on("error", () => (helper.dead = true));
      worker.on("exit", () => (helper.dead = true));
      worker.unref(); // an idle worker must not keep Node (or a notebook's kernel) from exiting
      helpers.push(helper);
    } catch (e) {
      noThreadsReason = `worker threads could not start (${e instanceof Error ? e.message : String(e)})`;
      threads = helpers.length + 1;
    }
  }
  return helpers.filter((h) => h.ready && !h.dead);
}

/**
 * Runs the job written in k.job[0..13] over `blocks` blocks: wakes the workers if `wake`, takes
 * blocks on this thread too, and returns once every claimed block is done — also when this
 * thread's kernel throws, so that no worker still writes into the memory afterwards.
 */
function runJob(k: Kernel, blocks: number, wake: boolean): void {
  const job = k.job;
  k.jobNumber = (k.jobNumber + 1) % JOB_NUMBERS;
  Atomics.store(job, DONE, 0);
  Atomics.store(job, FAILED, 0);
  Atomics.store(job, BLOCKS, blocks);
  Atomics.store(job, TICKET, k.jobNumber << BLOCK_BITS);
  if (wake) {
    Atomics.add(job, GEN, 1);
    Atomics.notify(job, GEN);
  }
  let claimed = blocks;
  try {
    takeBlocks(k.gemm, job, 0, BLOCK_ROWS, k.jobNumber);
  } catch (e) {
    // no more claims: wait only for the blocks already taken
    const ticket = Atomics.exchange(job, TICKET, (k.jobNumber << BLOCK_BITS) | MAX_BLOCKS);
    claimed = Math.min(blocks, ticket & MAX_BLOCKS);
    throw e;
  } finally {
    for (let done = Atomics.load(job, DONE); done < claimed; done = Atomics.load(job, DONE)) {
      Atomics.wait(job, DONE, done, 50);
    }
  }
  if (Atomics.load(job, FAILED) === 1) throw new Error("gemm-threads.ts: the float32 kernel failed in a worker thread");
}

/** One product C = op(A)·op(B) (+ bias) (→ ReLU), op(A) M×K and op(B) K×N, all row-major float32. */
export interface GemmJob {
  /** A (M×K), or Aᵀ (K×M) when transA */
  a: Float32Array;
  transA: boolean;
  /** B (K×N), or Bᵀ (N×K) when transB */
  b: Float32Array;
  transB: boolean;
  M: number;
  K: number;
  N: number;
  /** N numbers added to every row, or 1 number added everywhere */
  bias?: Float32Array;
  relu?: boolean;
  /** where C goes (M×N) */
  out: Float32Array;
}

/**
 * Computes the product into `job.out`. Returns false (and does nothing) when the kernel is not
 * available here or the operands do not fit in its memory; shapes are the caller's to check.
 */
export function gemm(job: GemmJob): boolean {
  const k = loadKernel();
  if (k === null) return false;
  const { a, transA, b, transB, M, K, N, bias, out } = job;
  if (M === 0 || N === 0) return true;
  // columns per row of B and C: a multiple of 4 (one SIMD register), and of 16 for narrow products,
  // whose rows then take one pass of the kernel's 16-column strips (N = 10: 16 rather than 3 × 4)
  const n4 = N < 64 ? Math.ceil(N / 16) * 16 : Math.ceil(N / 4) * 4;
  const blocks = Math.ceil(M / BLOCK_ROWS);
  if (blocks > MAX_BLOCKS) return false;
  const wake = M * K * N >= PARALLEL_MIN_WORK && blocks > 1 && readyHelpers().length > 0;
  const slots = helpers.length + 1;

  const biasAt = 64;
  const bAt = biasAt + align(n4 * 4);
  const aAt = bAt + align(K * n4 * 4);
  const cAt = aAt + align(M * K * 4);
  const scratchAt = cAt + align(M * n4 * 4);
  const scratchBytes = align(64 + BLOCK_ROWS * K * 8);
  if (!ensureMemory(k.memory, scratchAt + slots * scratchBytes)) return false;
  const mem = new Float32Array(k.memory.buffer);

  // bias, padded to n4 (the padding only reaches C's padding columns, which are never read)
  if (bias === undefined) mem.fill(0, biasAt / 4, biasAt / 4 + n4);
  else if (bias.length === 1) mem.fill(bias[0], biasAt / 4, biasAt / 4 + n4);
  else mem.set(bias.subarray(0, N), biasAt / 4);
  // B as K rows of n4 numbers; its padding is zeroed (leftovers could be slow subnormal numbers)
  const b0 = bAt / 4;
  if (n4 !== N) mem.fill(0, b0, b0 + K * n4);
  if (!transB && n4 === N) mem.set(b.subarray(0, K * N), b0);
  else if (!transB) for (let kk = 0; kk < K; kk++) mem.set(b.subarray(kk * N, kk * N + N), b0 + kk * n4);
  else transposeInto(b, N, K, mem, b0, n4);
  // A as it is stored: the kernel reads a stored Aᵀ with swapped steps
  mem.set(a.subarray(0, M * K), aAt / 4);

  k.job.set([aAt, transA ? 4 : K * 4, transA ? M * 4 : 4, bAt, n4 * 4, cAt, n4 * 4, biasAt, job.relu ? 1 : 0, K, n4, M, scratchAt, scratchBytes]);
  runJob(k, blocks, wake);

  const c0 = cAt / 4;
  if (n4 === N) out.set(mem.subarray(c0, c0 + M * N));
  else for (let i = 0; i < M; i++) out.set(mem.subarray(c0 + i * n4, c0 + i * n4 + N), i * N);
  return true;
}

/** dst[at + kk·stride + jj] = src[jj·K + kk]: the rows×K matrix `src`, transposed, in 32×32 tiles. */
function transposeInto(src: Float32Array, rows: number, K: number, dst: Float32Array, at: number, stride: number): void {
  const T = 32;
  for (let j0 = 0; j0 < rows; j0 += T) {
    const j1 = Math.min(rows, j0 + T);
    for (let k0 = 0; k0 < K; k0 += T) {
      const k1 = Math.min(K, k0 + T);
      for (let jj = j0; jj < j1; jj++) {
        const from = jj * K;
        for (let kk = k0; kk < k1; kk++) dst[at + kk * stride + jj] = src[from + kk];
      }
    }
  }
}
