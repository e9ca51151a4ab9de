/**
 * Memory that stays bounded however often a student re-runs a cell (issue 19), and the readout
 * `memoryUsage()`. Lesson 01 is the first to meet it: its `xTrain` is 188 MB of float32, and
 * re-running that cell used to add ~420 MB each time until the WebAssembly backend crashed.
 * Plumbing; nothing in it is needed to understand the maths.
 *
 * tfjs keeps a tensor's numbers outside JavaScript's garbage collector (in WebAssembly memory) until
 * `dispose()` is called, so a tensor a cell replaces (`const xTrain = …` run again) or never kept
 * (`tf.tensor2d(…).div(255)`'s intermediate) stays in memory for ever. The kit releases exactly
 * the tensors JavaScript can no longer reach:
 *
 * - every tensor tfjs creates is noted with a weak reference (the engine's `trackTensor`);
 *   `dispose()` removes the note;
 * - tfjs's registry of variables (which holds every `tf.Variable`, so every model's weights, for
 *   ever) holds them weakly too: a model the cells no longer reach can be collected;
 * - after each cell (the kit's kernel calls the hook) and before giving up on an allocation, a noted
 *   tensor whose weak reference is empty was unreachable from everything — variables, arrays,
 *   closures, models, optimizers — and its data is released. What anything can still reach is never
 *   touched. Weak references empty only when the garbage collector runs, so the kit runs it (a full
 *   collection, ~0.1 s with a lesson's heap) before giving up on an allocation, after a cell that
 *   created at least {@link TENSOR_SWEEP_BYTES} of tensors, and after every cell while ArrayBuffers
 *   hold {@link BUFFER_SWEEP_BYTES} (the from-scratch lessons' matrices); after other cells, what V8
 *   collected on its own is released (a collection after every cell cost lesson 01 a second in ten cells).
 *
 * On the wasm backend every allocation is checked: when the kit's tensors would pass the limit
 * (3.5 GiB of the 4 GiB WebAssembly memory, or `DLBB_MEMORY_LIMIT_MB`), unreachable tensors are
 * released and, if that is not enough, an {@link OutOfMemoryError} says what fills memory and how to
 * recover, before WebAssembly fails with "memory access out of bounds".
 */
import * as tf from "@tensorflow/tfjs";
import * as util from "util";
import * as v8 from "v8";
import * as vm from "vm";
import { afterInterrupt, InterruptError, kernelState, type CellInfo } from "./interrupt";
import { say } from "../language/language";

// ES2021 names the kit's lib setting (ES2020) does not declare.
interface WeakRefLike<T> {
  deref(): T | undefined;
}
const WeakRefCtor = (globalThis as unknown as { WeakRef: new <T extends object>(target: T) => WeakRefLike<T> }).WeakRef;

/** The few tfjs engine internals the kit hooks (tfjs-core 4.22's Engine). */
interface EngineInternals {
  runKernel(kernelName: string, inputs: unknown, attrs?: unknown): unknown;
  trackTensor(a: tf.Tensor, backend: unknown): void;
  disposeTensor(a: { dataId: object; dtype: tf.DataType; size: number; shape: number[] }): void;
  backend: unknown;
  backendName: string;
  state: { numBytes: number; numTensors: number; registeredVariables: Record<string, tf.Variable> };
}

/** What the kit knows about one live tensor, enough to release its data without the tensor object. */
interface Note {
  ref: WeakRefLike<tf.Tensor>;
  dataId: object;
  dtype: tf.DataType;
  size: number;
  shape: number[];
  bytes: number;
  /** The cell (execution count) that created it, when in the kit's kernel. */
  cell: number | null;
}

const GiB = 2 ** 30;
const MiB = 2 ** 20;
/** Default limit for the kit's tensors on wasm: the 4 GiB WebAssembly memory less room for XNNPACK's buffers and fragmentation. */
export const DEFAULT_LIMIT_BYTES = 3.5 * GiB;
/** After a cell, while ArrayBuffers hold at least this much, a garbage collection frees the unreachable ones. */
export const BUFFER_SWEEP_BYTES = 64 * MiB;
/**
 * After a cell, a garbage collection runs once the tensors created since the last one reach this many
 * bytes, so that what a re-run cell replaced is released at once; smaller garbage waits for V8's own
 * collections (or for this much more), so memory stays bounded either way.
 */
export const TENSOR_SWEEP_BYTES = 16 * MiB;
/** A cell that adds at least this much gets a one-line memory note under it. */
export const NOTE_BYTES = 100 * MiB;

const notes = new Set<Note>();
const wrappedHeaps = new WeakSet<object>();
let installed = false;
let engine: EngineInternals;
let plainDispose: EngineInternals["disposeTensor"];
let createdSinceSweep = 0;
let createdBytesSinceSweep = 0;
let limitBytes = DEFAULT_LIMIT_BYTES;

/** Thrown instead of a bare WebAssembly crash when the kit's tensors would not fit. */
export class OutOfMemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutOfMemory";
  }
}

function limitFromEnv(): number {
  const raw = process.env.DLBB_MEMORY_LIMIT_MB?.trim();
  if (raw === undefined || raw === "") return DEFAULT_LIMIT_BYTES;
  const mb = Number(raw);
  if (!(Number.isFinite(mb) && mb > 0)) throw new Error(`memory.ts: the DLBB_MEMORY_LIMIT_MB environment variable is "${raw}"; it must be a number of megabytes > 0`);
  return mb * MiB;
}

/** "188 MB", "3.36 GB", "512 kB" (powers of 1,000, as the issue and the lessons count). */
export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [[1e9, "GB"], [1e6, "MB"], [1e3, "kB"]];
  for (const [size, unit] of units) {
    if (Math.abs(bytes) >= size) {
      const v = bytes / size;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
    }
  }
  return `${bytes} B`;
}

let gcFunction: (() => void) | null | undefined;
/** Runs V8's full garbage collection (exposing `gc` first if Node was started without --expose-gc). */
function collectGarbage(): void {
  if (gcFunction === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === "function") gcFunction = existing;
    else {
      try {
        v8.setFlagsFromString("--expose-gc");
        gcFunction = vm.runInNewContext("gc") as () => void;
      } catch {
        gcFunction = null;
      }
    }
  }
  gcFunction?.();
}

/** tfjs's variable registry, holding each variable weakly (a Proxy over a Map of weak references). */
function weakRegistry(initial: Record<string, tf.Variable>): Record<string, tf.Variable> {
  const refs = new Map<string, WeakRefLike<tf.Variable>>();
  for (const name of Object.keys(initial)) refs.set(name, new WeakRefCtor(initial[name]));
  const live = (name: string | symbol): tf.Variable | undefined => {
    if (typeof name !== "string") return undefined;
    const v = refs.get(name)?.deref();
    if (v === undefined) refs.delete(name);
    return v;
  };
  return new Proxy({} as Record<string, tf.Variable>, {
    get: (_t, name) => live(name),
    set: (_t, name, value) => {
      if (typeof name === "string") refs.set(name, new WeakRefCtor(value));
      return true;
    },
    deleteProperty: (_t, name) => {
      if (typeof name === "string") refs.delete(name);
      return true;
    },
    has: (_t, name) => live(name) !== undefined,
    ownKeys: () => [...refs.keys()].filter((name) => live(name) !== undefined),
    getOwnPropertyDescriptor: (_t, name) => {
      const value = live(name);
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
  });
}

const NOTE = Symbol("dl-building-blocks.note");
type Noted = tf.Tensor & { [NOTE]?: Note };

/**
 * Tensors created in the current synchronous run, held strongly until it ends: most (a training
 * step's intermediates inside tf.tidy) are disposed before then and never cost a weak reference.
 */
const pending = new Set<tf.Tensor>();
let flushScheduled = false;

function flushPending(): void {
  flushScheduled = false;
  const cell = kernelState()?.running ?? null;
  for (const a of pending) {
    const bytes = a.dtype === "string" || a.dtype === "complex64" ? 0 : a.size * tf.util.bytesPerElement(a.dtype);
    const n: Note = { ref: new WeakRefCtor(a), dataId: a.dataId, dtype: a.dtype, size: a.size, shape: a.shape.slice(), bytes, cell };
    Object.defineProperty(a, NOTE, { value: n, writable: true, configurable: true, enumerable: false });
    notes.add(n);
  }
  pending.clear();
}

function note(a: Noted): void {
  createdSinceSweep++;
  if (a.dtype !== "string" && a.dtype !== "complex64") createdBytesSinceSweep += a.size * tf.util.bytesPerElement(a.dtype);
  const existing = a[NOTE];
  if (existing !== undefined) {
    // a Variable after assign(): same object, new data
    existing.dataId = a.dataId;
    notes.add(existing);
    return;
  }
  pending.add(a);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushPending);
  }
}

interface WasmHeap {
  _malloc(bytes: number): number;
  HEAPU8: Uint8Array;
}

function wasmHeapOf(backend: unknown): WasmHeap | undefined {
  const wasm = (backend as { wasm?: WasmHeap } | null)?.wasm;
  return wasm && typeof wasm._malloc === "function" && typeof wasm.HEAPU8?.length === "number" ? wasm : undefined;
}

/** Checks every allocation of the wasm backend against the limit; releases the unreachable, else throws OutOfMemoryError. */
function guardWasm(backend: unknown): void {
  const wasm = wasmHeapOf(backend);
  if (wasm === undefined || wrappedHeaps.has(wasm)) return;
  wrappedHeaps.add(wasm);
  // Emscripten's first call of `_malloc` replaces the property with the raw export: keep the guard
  // in front of whatever is assigned.
  let malloc = wasm._malloc;
  const guardedMalloc = function (this: unknown, bytes: number): number {
    if (bytes > 0 && engine.state.numBytes + bytes > limitBytes) {
      releaseUnreachable();
      if (engine.state.numBytes + bytes > limitBytes) throw new OutOfMemoryError(outOfMemoryMessage(bytes));
    }
    let at = malloc.call(this, bytes);
    if (at === 0 && bytes > 0) {
      releaseUnreachable();
      at = malloc.call(this, bytes);
      if (at === 0) throw new OutOfMemoryError(outOfMemoryMessage(bytes));
    }
    return at;
  };
  Object.defineProperty(wasm, "_malloc", {
    configurable: true,
    enumerable: true,
    get: () => guardedMalloc,
    set: (f: WasmHeap["_malloc"]) => {
      malloc = f;
    },
  });
}

/**
 * Hooks tfjs's engine so that tensors nothing can reach any more can be released (see the module
 * comment). Idempotent; the kit's kernel installs it when the library is imported.
 */
export function installMemoryGuard(options: { limitBytes?: number } = {}): void {
  limitBytes = options.limitBytes ?? limitFromEnv();
  if (installed) return;
  installed = true;
  engine = tf.engine() as unknown as EngineInternals;
  const plainTrack = engine.trackTensor;
  plainDispose = engine.disposeTensor;
  engine.trackTensor = function (this: EngineInternals, a, backend) {
    plainTrack.call(this, a, backend);
    note(a);
    guardWasm(backend ?? this.backend);
  };
  engine.disposeTensor = function (this: EngineInternals, a) {
    const n = (a as Noted)[NOTE];
    if (n !== undefined) notes.delete(n);
    else pending.delete(a as tf.Tensor);
    plainDispose.call(this, a);
  };
  engine.state.registeredVariables = weakRegistry(engine.state.registeredVariables);
  // After an interrupt whose cell did not stop in time, code still running in the background stops
  // at its next tensor operation (the kit's kernel clears the flag when the next cell starts).
  const plainRunKernel = engine.runKernel;
  engine.runKernel = function (this: EngineInternals, kernelName, inputs, attrs) {
    if (kernelState()?.abandoned === true) {
      throw new InterruptError(
        say({
          en: `a tensor operation (${kernelName}) of an interrupted cell was stopped. ${afterInterrupt()}`,
          ko: `중단된 셀의 텐서 연산(${kernelName})을 멈췄습니다. ${afterInterrupt()}`,
        }),
      );
    }
    return plainRunKernel.call(this, kernelName, inputs, attrs);
  };
  if (engine.backendName === "wasm") guardWasm(engine.backend);
}

/** Runs the garbage collector and releases the data of every tensor nothing can reach any more. */
export function releaseUnreachable(): { tensors: number; bytes: number } {
  if (!installed) return { tensors: 0, bytes: 0 };
  createdSinceSweep = 0;
  createdBytesSinceSweep = 0;
  flushPending();
  collectGarbage();
  return releaseCollected();
}

/** Releases the noted tensors whose weak reference is empty, without running the garbage collector. */
function releaseCollected(): { tensors: number; bytes: number } {
  let tensors = 0;
  let bytes = 0;
  for (const n of [...notes]) {
    if (n.ref.deref() !== undefined) continue;
    notes.delete(n);
    plainDispose.call(engine, { dataId: n.dataId, dtype: n.dtype, size: n.size, shape: n.shape });
    tensors++;
    bytes += n.bytes;
  }
  return { tensors, bytes };
}

/** One group of live tensors of the same dtype and shape. */
export interface TensorGroup {
  dtype: tf.DataType;
  shape: number[];
  count: number;
  bytes: number;
  /** Cells (execution counts) that created them. */
  cells: number[];
}

/** A notebook variable that holds tensors (directly, in an array or object, or as a model's weights). */
export interface HeldBy {
  name: string;
  tensors: number;
  bytes: number;
}

/** What `memoryUsage()` returns; printing it shows a short summary. */
export interface MemoryUsage {
  backend: string;
  /** tfjs's count of live tensors and their bytes (tf.memory()). */
  tensors: number;
  bytes: number;
  /** How far the kit's tensors may grow on this backend (wasm), else null. */
  limitBytes: number | null;
  /** Size of the WebAssembly memory (it grows, never shrinks), wasm only. */
  wasmMemoryBytes: number | null;
  /** The process's resident memory. */
  processBytes: number;
  /** The largest groups of tensors, largest first. */
  largest: TensorGroup[];
  /** The notebook's variables holding the most tensor bytes, largest first. */
  heldBy: HeldBy[];
}

function tensorsIn(value: unknown, depth: number, seen: Set<unknown>, out: Set<tf.Tensor>): void {
  if (value === null || typeof value !== "object" || seen.has(value) || depth > 3) return;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    if (!value.isDisposed) out.add(value);
    return;
  }
  const model = value as { weights?: unknown; countParams?: unknown };
  if (Array.isArray(model.weights) && typeof model.countParams === "function") {
    // a tfjs model or layer: its weights are LayerVariables whose read() gives the tf.Variable
    for (const w of model.weights as Array<{ read?: () => tf.Tensor }>) if (typeof w.read === "function") tensorsIn(w.read(), depth + 1, seen, out);
    return;
  }
  if (ArrayBuffer.isView(value)) return;
  const items = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value as object);
  for (const item of items.slice(0, 10000)) tensorsIn(item, depth + 1, seen, out);
}

/** The tslab kernel's top-level variables (`globalThis.__tslab__.exports`), or {} elsewhere. */
function notebookVariables(): Record<string, unknown> {
  const exportsObject = (globalThis as { __tslab__?: { exports?: Record<string, unknown> } }).__tslab__?.exports;
  return exportsObject ?? {};
}

function heldBy(): HeldBy[] {
  const rows: HeldBy[] = [];
  const vars = notebookVariables();
  for (const name of Object.keys(vars)) {
    const found = new Set<tf.Tensor>();
    try {
      tensorsIn(vars[name], 0, new Set(), found);
    } catch {
      continue; // a getter that throws: not ours to judge
    }
    if (found.size === 0) continue;
    let bytes = 0;
    for (const t of found) bytes += t.dtype === "string" ? 0 : t.size * tf.util.bytesPerElement(t.dtype);
    rows.push({ name, tensors: found.size, bytes });
  }
  return rows.sort((a, b) => b.bytes - a.bytes);
}

function largestGroups(limit: number): TensorGroup[] {
  const groups = new Map<string, TensorGroup>();
  for (const n of notes) {
    const key = `${n.dtype}[${n.shape.join(",")}]`;
    const g = groups.get(key) ?? { dtype: n.dtype, shape: n.shape, count: 0, bytes: 0, cells: [] };
    g.count++;
    g.bytes += n.bytes;
    if (n.cell !== null && !g.cells.includes(n.cell)) g.cells.push(n.cell);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, limit);
}

function describeGroup(g: TensorGroup): string {
  const each = g.count > 1 ? ` × ${g.count} (${formatBytes(g.bytes / g.count)} each, ${formatBytes(g.bytes)})` : ` (${formatBytes(g.bytes)})`;
  const cells = g.cells.length ? `, made by cell${g.cells.length > 1 ? "s" : ""} ${g.cells.slice(0, 5).map((c) => `[${c}]`).join(" ")}` : "";
  return `${g.dtype} [${g.shape.join(", ")}]${each}${cells}`;
}

/** The readout as text: one summary line, then the largest tensors and the variables that hold them. */
export function formatMemoryUsage(u: MemoryUsage): string {
  const limit = u.limitBytes !== null ? ` of the ${formatBytes(u.limitBytes)} the ${u.backend} backend may use` : "";
  const lines = [`${plural(u.tensors, "tensor")}, ${formatBytes(u.bytes)}${limit} (the kernel process: ${formatBytes(u.processBytes)})`];
  if (u.largest.length) lines.push("largest: " + u.largest.slice(0, 3).map(describeGroup).join("; "));
  if (u.heldBy.length) lines.push("held by: " + u.heldBy.slice(0, 5).map((h) => `${h.name} ${formatBytes(h.bytes)}${h.tensors > 1 ? ` (${h.tensors} tensors)` : ""}`).join(", "));
  return lines.join("\n");
}

/**
 * How much memory the kit's tensors use now: their number and bytes, the largest, and which of the
 * notebook's variables hold them. Tensors nothing can reach any more are released first, so the
 * figures count only what the notebook still holds. In a cell, `memoryUsage()` prints a summary.
 */
export function memoryUsage(): MemoryUsage {
  releaseUnreachable();
  const state = (tf.engine() as unknown as EngineInternals).state;
  const m = { numTensors: state.numTensors, numBytes: state.numBytes };
  const backendName = (tf.engine() as unknown as EngineInternals).backendName ?? "none";
  const wasm = installed ? wasmHeapOf(engine.backend) : undefined;
  const usage: MemoryUsage = {
    backend: backendName,
    tensors: m.numTensors,
    bytes: m.numBytes,
    limitBytes: wasm ? limitBytes : null,
    wasmMemoryBytes: wasm ? wasm.HEAPU8.length : null,
    processBytes: process.memoryUsage().rss,
    largest: largestGroups(5),
    heldBy: heldBy(),
  };
  Object.defineProperty(usage, util.inspect.custom, { value: () => formatMemoryUsage(usage), enumerable: false });
  Object.defineProperty(usage, "toString", { value: () => formatMemoryUsage(usage), enumerable: false });
  return usage;
}

function outOfMemoryMessage(requested: number): string {
  const u = {
    backend: engine.backendName,
    tensors: notes.size,
    bytes: engine.state.numBytes,
    largest: largestGroups(3),
    heldBy: heldBy(),
  };
  const largest = u.largest.map(describeGroup).join("; ");
  const held = u.heldBy.slice(0, 4).map((h) => `${h.name} (${formatBytes(h.bytes)}${h.tensors > 1 ? `, ${h.tensors} tensors` : ""})`).join(", ");
  const lines = say({
    en: [
      `Out of memory: this step needs ${formatBytes(requested)} more, but the kit's tensors already hold ${formatBytes(u.bytes)} of the ${formatBytes(limitBytes)} the ${u.backend} backend can use.`,
      `What fills it: ${plural(u.tensors, "tensor")}; the largest: ${largest || "none"}.`,
      ...(held ? [`Variables holding the most: ${held}.`] : []),
      "To recover: free what you no longer need — tf.dispose(name), or give the variable a new value — and run this cell again;" +
        " memoryUsage() shows what is left. If other cells fail after this, restart the kernel (Kernel → Restart) and run the cells from the top.",
    ].join("\n"),
    ko: [
      `메모리 부족: 이 단계에 ${formatBytes(requested)}가 더 필요하지만, 키트의 텐서가 ${u.backend} 백엔드가 쓸 수 있는 ${formatBytes(limitBytes)} 중 ${formatBytes(u.bytes)}를 이미 차지하고 있습니다.`,
      `메모리를 채운 것: 텐서 ${u.tensors}개, 가장 큰 것: ${largest || "없음"}.`,
      ...(held ? [`가장 많이 차지한 변수: ${held}.`] : []),
      "해결 방법: 더는 필요 없는 것을 해제하고(tf.dispose(name), 또는 변수에 새 값을 할당) 이 셀을 다시 실행하세요." +
        " 남은 메모리는 memoryUsage()로 볼 수 있습니다. 이후에도 다른 셀이 실패하면 커널을 다시 시작하고(Kernel → Restart) 맨 위 셀부터 실행하세요.",
    ].join("\n"),
  }).split("\n");
  return lines.join("\n");
}

/** What fills memory, for the kernel's message after WebAssembly itself ran out. */
function describeMemory(): string {
  const usage = memoryUsage();
  return formatMemoryUsage(usage);
}

/** Bytes of the live tensors (tf.memory().numBytes, without starting a backend as tf.memory() would). */
function trackedBytes(): number {
  return (tf.engine() as unknown as EngineInternals).state.numBytes;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

function beforeCell(info: CellInfo): void {
  info.tensorBytesBefore = trackedBytes();
  info.bufferBytesBefore = process.memoryUsage().arrayBuffers;
}

async function afterCell(info: CellInfo): Promise<void> {
  // A new task first: weak references to objects the cell's last synchronous run touched can only
  // clear after it.
  await new Promise((resolve) => setImmediate(resolve));
  // One garbage collection (~0.1 s with a lesson's heap) when the cell made enough tensors to be worth
  // releasing at once, or while the from-scratch networks' ArrayBuffers (Float64Array, outside tfjs)
  // hold BUFFER_SWEEP_BYTES: V8 frees those only when its own heuristics next run a full collection,
  // and a cell can let go of a big one without adding anything (re-running lesson 05's
  // `xAcc = xTrain.sliceRows(0, 100)` drops the last view into the previous xTrain, 376 MB). Otherwise
  // only the tensors V8 has already collected are released.
  let usage = process.memoryUsage();
  if (installed && (createdBytesSinceSweep >= TENSOR_SWEEP_BYTES || usage.arrayBuffers >= BUFFER_SWEEP_BYTES)) {
    const started = Date.now();
    const released = releaseUnreachable();
    info.released = released.tensors;
    info.releasedBytes = released.bytes;
    info.sweepMs = Date.now() - started;
    usage = process.memoryUsage();
  } else if (installed && (notes.size > 0 || createdSinceSweep > 0)) {
    flushPending();
    const released = releaseCollected();
    info.released = released.tensors;
    info.releasedBytes = released.bytes;
  }
  const after = trackedBytes();
  info.tensorBytesAfter = after;
  info.heapBytesAfter = usage.rss;
  info.bufferBytesAfter = usage.arrayBuffers;
  const added = after - (info.tensorBytesBefore ?? after);
  if (added >= NOTE_BYTES) {
    console.log(`(memory: this cell added ${formatBytes(added)} of tensors; the notebook now holds ${plural(notes.size, "tensor")}, ${formatBytes(after)} — memoryUsage() shows which)`);
  }
}

/** In the kit's kernel: install the guard and the per-cell hooks (once). */
export function attachToKernel(): boolean {
  const kernel = kernelState();
  if (kernel === undefined) return false;
  installMemoryGuard();
  if (!kernel.afterCell.includes(afterCell)) {
    kernel.beforeCell.push(beforeCell);
    kernel.afterCell.push(afterCell);
    kernel.describeMemory = describeMemory;
  }
  return true;
}

attachToKernel();
