/**
 * Every patch the kit applies to another package, in one place: what it changes, why, where the code
 * is, and how to check that the upstream behaviour it works around still holds. Runtime room: not
 * needed to understand the maths; no lesson imports it.
 *
 * `test/runtime/patches.test.ts` has one test per entry (named by its `id`) that fails when the
 * upstream package stops behaving as `upstream` says — then the patch may be unnecessary or wrong —
 * and checks that every entry has such a test. A new patch gets an entry here and a test there.
 */

export interface Patch {
  /** short, stable name; the test of this patch is named after it */
  id: string;
  /** the package (and version) patched */
  target: string;
  /** what the kit changes */
  what: string;
  /** the upstream behaviour that makes the patch necessary (what the test checks still holds) */
  upstream: string;
  /** the files that apply the patch */
  where: string[];
}

export const PATCHES: readonly Patch[] = [
  {
    id: "tfjs-wasm-matmul",
    target: "@tensorflow/tfjs-backend-wasm 4.22.0: kernels BatchMatMul, _FusedMatMul",
    what:
      "replaced through tfjs's public kernel registry (registry.ts): Dense-layer products go to the kit's threaded " +
      "float32 kernel (gemm-f32.wat, gemm-threads.ts), other transposed products are transposed first",
    upstream:
      "a product with a transposed operand (backprop's xᵀ·dy and dy·Wᵀ) or a stack of matrices skips XNNPACK and " +
      "runs a scalar loop, many times slower than the untransposed product",
    where: ["src/runtime/tfjs-kernels/matmul.ts", "src/runtime/tfjs-kernels/registry.ts", "src/runtime/tfjs-kernels/gemm-threads.ts"],
  },
  {
    id: "tfjs-rmsprop",
    target: "@tensorflow/tfjs-core 4.22.0: RMSPropOptimizer.prototype.applyGradients",
    what:
      "on wasm, non-centered RMSprop updates each weight in one pass over its numbers (same float32 rounding, same bits), " +
      "four at a time in rmsprop-f32.wat, in the backend's own WebAssembly memory (its internal `wasm.asm.memory`)",
    upstream: "the stock update runs many element-wise kernels per weight tensor, each writing a new tensor",
    where: ["src/runtime/tfjs-kernels/rmsprop.ts", "src/runtime/tfjs-kernels/rmsprop-f32.wat"],
  },
  {
    id: "tfjs-wasm-slice",
    target: "@tensorflow/tfjs-backend-wasm 4.22.0: kernel Slice",
    what: "replaced by a kernel that copies runs of numbers inside WebAssembly memory and checks bounds",
    upstream: "Slice copies the whole input out of WebAssembly memory (backend.readSync) before cutting out its part",
    where: ["src/runtime/tfjs-kernels/slice-gather.ts"],
  },
  {
    id: "tfjs-wasm-gather",
    target: "@tensorflow/tfjs-backend-wasm 4.22.0: kernel GatherV2",
    what: "replaced by a kernel that copies whole rows inside WebAssembly memory",
    upstream: "GatherV2 reads its input out of WebAssembly memory (backend.readSync) and computes every number's position",
    where: ["src/runtime/tfjs-kernels/slice-gather.ts"],
  },
  {
    id: "tfjs-cpu-banner",
    target: "@tensorflow/tfjs-backend-cpu 4.22.0: MathBackendCPU.firstUse",
    what: "set to false before the cpu backend is used, so tfjs's multi-line 'install tfjs-node' banner is not printed",
    upstream: "the cpu backend prints its banner on first use when its `firstUse` field is true",
    where: ["src/runtime/backend.ts"],
  },
  {
    id: "zeromq-send-queue",
    target: "zeromq 6 (used by tslab 1.0.22): Socket.prototype.send",
    what:
      "each socket's sends are queued (the heartbeat's Reply socket keeps the plain send); a send on a closed socket is " +
      "dropped, and a failed send is reported on the kernel's own stderr, never through console (tslab sends console " +
      "output as a message: on a closed socket that looped until Jupyter killed the kernel; test/kernel-shutdown.test.ts)",
    upstream: "a second send on a socket while one is in flight throws EBUSY ('Socket is busy writing'); tslab does not wait",
    where: ["jupyter/kernels/dl-building-blocks/sockets.cjs", "jupyter/kernels/dl-building-blocks/launch.cjs"],
  },
  {
    id: "zeromq-bind-wait",
    target: "zeromq 6 (used by tslab 1.0.22): Socket.prototype.receive and send",
    what: "a receive or send on a socket whose bind has not finished is retried every 2 ms until the bind is done",
    upstream:
      "receive and send throw EBUSY ('Socket is blocked by a bind or unbind operation') until a bind's completion " +
      "reaches JavaScript; tslab starts its receive loops before it binds, and its shell loop ends on that error",
    where: ["jupyter/kernels/dl-building-blocks/sockets.cjs", "jupyter/kernels/dl-building-blocks/launch.cjs"],
  },
  {
    id: "tslab-shorthand",
    target: "tslab 1.0.22: converter.createConverter",
    what: "object shorthand `{ epochs }` is expanded to `{ epochs: epochs }` before tslab converts a cell",
    upstream: "tslab rewrites a reference to an earlier cell's variable into `exports.name` but leaves shorthand as it is",
    where: ["jupyter/kernels/dl-building-blocks/shorthand.cjs", "jupyter/kernels/dl-building-blocks/launch.cjs"],
  },
  {
    id: "tslab-display-writer",
    target: "tslab 1.0.22: dist/jupyter.js `lastWriteDisplayData` (internal)",
    what: "the kit sends whole MIME bundles and in-place updates through tslab's own display writer, found in require.cache",
    upstream: "tslab's public `display` sends one MIME type per call and no updates; its module exports `lastWriteDisplayData`",
    where: ["src/figures/display.ts"],
  },
  {
    id: "tfjs-engine-memory",
    target: "@tensorflow/tfjs-core 4.22.0: Engine.trackTensor, disposeTensor, runKernel, state.registeredVariables (internal)",
    what:
      "each new tensor gets a weak reference, variables are held weakly, and after every cell the kernel releases " +
      "the data of tensors nothing reaches; runKernel refuses work from an abandoned (interrupted) cell",
    upstream:
      "a tensor's data stays until dispose(), even when nothing can reach the tensor any more, and the engine's " +
      "registry of variables holds every variable (so every model) for good",
    where: ["src/runtime/memory.ts", "jupyter/kernels/dl-building-blocks/cells.cjs"],
  },
  {
    id: "tfjs-wasm-malloc",
    target: "@tensorflow/tfjs-backend-wasm 4.22.0: the Emscripten module's _malloc (internal)",
    what: "every allocation is checked against the kit's limit: unreachable tensors are released first, else a clear OutOfMemory error",
    upstream: "the wasm backend allocates through the Emscripten module's `_malloc`, and a full memory ends in a bare WebAssembly error",
    where: ["src/runtime/memory.ts"],
  },
  {
    id: "tslab-executor",
    target: "tslab 1.0.22: executor.createExecutor (execute, interrupt)",
    what: "hooks before and after every cell (memory release, explained errors) and a one-second grace on interrupt",
    upstream: "on interrupt tslab rejects the running cell at once ('Interrupted asynchronously') while its code keeps running",
    where: ["jupyter/kernels/dl-building-blocks/cells.cjs", "jupyter/kernels/dl-building-blocks/launch.cjs"],
  },
  {
    id: "tslab-watch-timers",
    target: "tslab 1.0.22: converter.createConverter's fake setTimeout/clearTimeout (through accessors on ts.sys)",
    what:
      "TypeScript's timers wait in a queue behind tslab's one timer slot and all run when tslab fires it at the next " +
      "cell, so a `node_modules` folder appearing next to a notebook (npm install) no longer breaks the kernel",
    upstream:
      "the fake timer has one slot; when a watched folder changes, TypeScript sets a second timer and every later cell " +
      "fails with 'Unexpected pending rebuildTimer'",
    where: ["jupyter/kernels/dl-building-blocks/watch-timers.cjs", "jupyter/kernels/dl-building-blocks/launch.cjs"],
  },
  {
    id: "tslab-history-request",
    target: "tslab 1.0.22: dist/jupyter.js message handling (worked around, not patched)",
    what: "`npm start` drops tslab's 'unknown msg_type: history_request' line from the server's output",
    upstream: "tslab has no handler for history_request, which every frontend sends when it opens a notebook, and logs it",
    where: ["tools/start.mjs"],
  },
  {
    id: "tslab-error-replies",
    target: "tslab 1.0.22: dist/jupyter.js handleExecute (worked around, not patched)",
    what: "the kit's Jupyter clients check every execute_reply's status and wait 300 ms after an error",
    upstream:
      "a failed cell is a stderr stream plus status 'error' (no error output); requests within 200 ms after an error " +
      "are aborted with status 'abort'",
    where: ["tools/tslab_quirks.py", "tools/nbrun.py"],
  },
];
