// The kernel's zeromq fixes (jupyter/kernels/dl-building-blocks/sockets.cjs), run in a child process
// so the fixes do not reach this worker's zeromq (test/runtime/patches.test.ts checks the unpatched one).
import { join } from "path";
import { describe, expect, it } from "vitest";
import { nodeJson } from "../helpers/run";

const root = join(__dirname, "..", "..");
const zeromq = JSON.stringify(require.resolve("zeromq", { paths: [join(root, "node_modules", "tslab", "dist")] }));
const sockets = JSON.stringify(join(root, "jupyter", "kernels", "dl-building-blocks", "sockets.cjs"));

/**
 * What tslab's shell loop meets when a client's first message gets in before the bind's completion
 * reaches JavaScript: its next receive (and the status sends) on a socket that is still binding.
 */
function bindRace(fixed: boolean): Promise<{ receive: string; got: string; sends: string[] }> {
  return nodeJson(
    `import { createRequire } from "module";
     const require = createRequire(import.meta.url);
     const zmq = require(${zeromq});
     if (${fixed}) require(${sockets}).installSocketFixes(zmq);
     const shell = new zmq.Router();
     const bound = shell.bind("tcp://127.0.0.1:*");
     let receive = "ok";
     const next = (async () => shell.receive())().catch((e) => { receive = e.code; return [null, Buffer.from("")]; });
     const sends = [];
     const iopub = new zmq.Publisher();
     const pub = iopub.bind("tcp://127.0.0.1:*");
     await Promise.all([0, 1].map((i) => (async () => iopub.send("status " + i))().then(() => sends.push("sent"), (e) => sends.push(e.code))));
     await Promise.all([bound, pub]);
     const client = new zmq.Dealer({ linger: 0 });
     client.connect(shell.lastEndpoint);
     if (receive === "ok") await client.send("kernel_info_request");
     const [, msg] = await next;
     for (const s of [shell, iopub, client]) s.close();
     console.log(JSON.stringify({ receive, got: msg.toString(), sends }));`,
    { timeout: 60_000 },
  );
}

describe("the kernel's zeromq fixes (sockets.cjs)", () => {
  it("unfixed, a receive or send while the socket binds throws EBUSY (what tslab's receive loop dies of)", async () => {
    const r = await bindRace(false);
    expect(r.receive).toBe("EBUSY");
    expect(r.sends).toContain("EBUSY");
  });

  it("fixed, a receive and sends during the bind wait for it and get through", async () => {
    const r = await bindRace(true);
    expect(r).toEqual({ receive: "ok", got: "kernel_info_request", sends: ["sent", "sent"] });
  });
});
