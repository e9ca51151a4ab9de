// The kit's kernel ends by itself when Jupyter asks it to (a shutdown_request: closing a notebook,
// stopping the server, every headless lesson run). It used to spin at 100% of a core instead — a send
// on a socket tslab had closed failed, its error went to console.error, which tslab sends as a message
// on that closed socket, … (sockets.cjs) — until Jupyter sent SIGTERM 2.5 s later: 2.5 core-seconds
// and 2.5 s of waiting per kernel, in every lesson run of `npm test`.
import { describe, expect, it } from "vitest";
import { kernelScenario } from "./helpers/kernel-session";

describe("shutting down the kit's kernel", () => {
  it("a kernel that imported the kit and ran tensors ends by itself, with exit code 0", async () => {
    const r = await kernelScenario([
      "shutdown",
      'import { tf, ready } from "dl-building-blocks";',
      "await ready();",
      "console.log(tf.matMul(tf.ones([300, 300]), tf.ones([300, 300])).sum().dataSync()[0]);",
    ]);
    expect(r.error).toBeNull();
    expect(r.ended, `still running ${r.seconds} s after the shutdown request`).toBe(true);
    expect(r.code, "exit code (negative: killed by that signal)").toBe(0);
  }, 300_000);
});
