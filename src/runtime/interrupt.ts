/**
 * Stop means stop (issue 19): Jupyter's stop button ends the kit's training loops and long library
 * calls within about a second, leaving the model usable, and the cell says where it stopped.
 * Plumbing met first in lesson 01 (stopping `model.fit`); nothing in it is needed for the maths.
 *
 * The kit's kernel (jupyter/kernels/dl-building-blocks/launch.cjs) keeps a small state object on
 * `globalThis[Symbol.for("dl-building-blocks.kernel")]`. On an interrupt (SIGINT) it sets
 * `interrupted`, gives the running cell a grace period to stop on its own, and only then lets tslab
 * abandon the cell. The flag is cleared when the next cell starts. Two ways to stop:
 *
 * - loops that yield to the event loop (model.fit with `fitProgress()`, the lessons' loops that call
 *   `Progress.stepEnd`) check `interruptRequested()` between steps and end cleanly after a whole
 *   step, throwing an {@link InterruptError} that says where they stopped;
 * - long synchronous library calls (`train`, `quickOverfit`) never let the SIGINT handler run, so
 *   they run inside {@link interruptible}: Node's `breakOnSigint` ends them at the signal, between
 *   two JavaScript statements; the parameters keep the values of the last update.
 */
import * as vm from "vm";
import { say } from "../language/language";

/** What the kit's kernel shares with the library (absent outside the kernel). */
export interface KernelState {
  /** Set by an interrupt, cleared when the next cell starts. */
  interrupted: boolean;
  /** Set when the grace period after an interrupt ran out and tslab left the cell; cleared when the next cell starts. */
  abandoned?: boolean;
  /** Number of the cell running now (counting from 1), or null between cells. */
  running: number | null;
  /** The record of the cell running now (set by the kernel with `running`; absent in older kernels). */
  current?: CellInfo | null;
  /** Functions the kernel calls before every cell, in order. */
  beforeCell: Array<(cell: CellInfo) => void>;
  /** Functions the kernel awaits after every cell, in order. */
  afterCell: Array<(cell: CellInfo) => void | Promise<void>>;
  /** Per-cell figures the kernel records (the last 1,000 cells; for tests and `memoryUsage`). */
  cells: CellInfo[];
  /** Set by the memory module: a description of what fills memory, for the kernel's out-of-memory message. */
  describeMemory?: () => string;
}

/** One executed cell, as the kernel saw it. */
export interface CellInfo {
  cell: number;
  ok: boolean;
  ms: number;
  /** Filled in by the memory module's hooks. */
  tensorBytesBefore?: number;
  tensorBytesAfter?: number;
  /** The process's resident memory after the cell. */
  heapBytesAfter?: number;
  /** Bytes of ArrayBuffers (Float64Array matrices, MNIST, WebAssembly memories) before and after the cell. */
  bufferBytesBefore?: number;
  bufferBytesAfter?: number;
  released?: number;
  releasedBytes?: number;
  /** Milliseconds the garbage collection and release took after the cell. */
  sweepMs?: number;
  /** Training loops the cell started (each progress bar counts one: see {@link noteTraining}). */
  trainings?: number;
}

const KERNEL = Symbol.for("dl-building-blocks.kernel");

/** The kernel's shared state, or undefined outside the kit's kernel (tests, scripts, the grader's checks). */
export function kernelState(): KernelState | undefined {
  return (globalThis as Record<symbol, KernelState | undefined>)[KERNEL];
}

/**
 * Records in the kernel's per-cell figures that the running cell trains (the kit's progress bars call
 * it when they start). The re-run test (tools/rerun.py) re-runs cells that build big tensors or models,
 * never trainings. Does nothing outside the kit's kernel.
 */
export function noteTraining(): void {
  const info = kernelState()?.current;
  if (info) info.trainings = (info.trainings ?? 0) + 1;
}

/** True once the student pressed stop during the current cell. */
export function interruptRequested(): boolean {
  return kernelState()?.interrupted === true;
}

/** Thrown by the kit's loops when they stop at an interrupt; the message says where. */
export class InterruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Interrupted";
  }
}

/** The sentence every interrupt message ends with, in the kit's language. */
export function afterInterrupt(): string {
  return say({
    en: "The network keeps the weights of its last update; run the cell again to go on training (a cell that also builds the network starts over).",
    ko: "신경망은 마지막 업데이트의 가중치를 그대로 가지고 있습니다. 셀을 다시 실행하면 훈련을 이어 갑니다(신경망을 만드는 코드도 들어 있는 셀이면 처음부터 다시 합니다).",
  });
}

/** "model.fit stopped at epoch 2/5, step 130/469. …" in the kit's language. */
export function stoppedMessage(what: string, where: string): string {
  return say({ en: `${what} stopped at ${where}. ${afterInterrupt()}`, ko: `${what}: ${where}에서 멈췄습니다. ${afterInterrupt()}` });
}

/** Throws an {@link InterruptError} naming `where()` (e.g. "epoch 2/5, step 130/469") if an interrupt is pending. */
export function stopIfInterrupted(what: string, where: () => string): void {
  if (interruptRequested()) throw new InterruptError(stoppedMessage(what, where()));
}

const SLOT = Symbol.for("dl-building-blocks.interruptible");
let script: vm.Script | undefined;

/**
 * Runs the synchronous `f` so that an interrupt (SIGINT) ends it at once: `f` runs inside a vm script
 * with `breakOnSigint`, and the interruption becomes an {@link InterruptError} naming `what` and
 * `where()` (the loop keeps its position up to date). Other errors pass through unchanged.
 */
export function interruptible<T>(what: string, where: () => string, f: () => T): T {
  script ??= new vm.Script(`globalThis[Symbol.for("dl-building-blocks.interruptible")]()`, { filename: "dl-building-blocks/interruptible" });
  const g = globalThis as Record<symbol, unknown>;
  const outer = g[SLOT];
  let result: T | undefined;
  g[SLOT] = () => {
    result = f();
  };
  try {
    script.runInThisContext({ breakOnSigint: true });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
      throw new InterruptError(stoppedMessage(what, where()));
    }
    throw e;
  } finally {
    g[SLOT] = outer;
  }
  return result as T;
}
