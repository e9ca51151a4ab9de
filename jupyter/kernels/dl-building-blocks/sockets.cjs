// Two fixes to the zeromq 6 sockets tslab 1.0.22 uses (src/runtime/patches.ts: zeromq-send-queue,
// zeromq-bind-wait). Both make a socket wait where tslab does not, instead of throwing EBUSY:
// - send: tslab sends on a socket without waiting for its previous send; zeromq.js throws EBUSY
//   ("Socket is busy writing") when one is still in flight. Each socket's sends are queued. A Reply
//   socket (the heartbeat) answers before it receives again, so it keeps the plain send.
// - bind: tslab starts its receive loops, then binds. A client that connects as soon as the port
//   listens (nbclient does) can get its first message through before the bind's completion reaches
//   JavaScript; the loop's next receive then throws EBUSY ("Socket is blocked by a bind or unbind
//   operation"), the shell loop ends, and the kernel never answers (seen in CI on a loaded machine:
//   "Kernel didn't respond in 60 seconds"). A receive or send on a socket still binding is retried
//   until the bind is done.
// A send on a closed socket (tslab closes them at shutdown while messages are still queued) is dropped
// quietly: its error must not go to console.error, which tslab sends as a message on a closed socket,
// whose error went to console.error… — a loop that kept every kernel busy until Jupyter killed it.
"use strict";

const fs = require("fs");

function writeStderr(text) {
  try {
    fs.writeSync(2, text);
  } catch {
    // no stderr: nowhere to say it
  }
}

/** How long a receive or send waits for a bind at most (a bind to a local port takes milliseconds). */
const BIND_WAIT_MS = 30_000;

/** zeromq.js's error for a socket whose bind (or unbind) has not finished */
const isBlockedByBind = (e) => e && e.code === "EBUSY" && /bind or unbind/.test(String(e.message));

/**
 * op() now, or — while the socket is blocked by a bind — again every few milliseconds until it is not.
 * (Socket.prototype.bind itself cannot be wrapped: zeromq.js defines it read-only and not configurable.)
 */
function whenBound(op, since = Date.now()) {
  try {
    return op();
  } catch (e) {
    if (!isBlockedByBind(e) || Date.now() - since > BIND_WAIT_MS) throw e;
    return new Promise((resolve) => setTimeout(resolve, 2)).then(() => whenBound(op, since));
  }
}

/** @param {any} zmq the zeromq module tslab loads */
function installSocketFixes(zmq) {
  const proto = Object.getPrototypeOf(zmq.Publisher.prototype);
  if (proto.__dlbbSocketFixes) return;
  const plainSend = proto.send;
  const plainReceive = proto.receive;
  /** the last queued send of a socket (settled, never rejected) */
  const tails = new WeakMap();
  const define = (name, value) => Object.defineProperty(proto, name, { configurable: true, writable: false, value });

  define("receive", function receive() {
    return whenBound(() => plainReceive.call(this));
  });
  define("send", function send(msg) {
    if (this.closed) return Promise.resolve();
    if (this instanceof zmq.Reply) return whenBound(() => plainSend.call(this, msg));
    const next = (tails.get(this) ?? Promise.resolve()).then(() => (this.closed ? undefined : whenBound(() => plainSend.call(this, msg))));
    tails.set(
      this,
      next.catch((e) => {
        // straight to the kernel's stderr (the server's log): tslab sends console and process.stderr
        // output as messages
        if (!this.closed) writeStderr(`dl-building-blocks: a kernel message was not sent: ${e && e.stack ? e.stack : e}\n`);
      }),
    );
    return next;
  });
  define("__dlbbSocketFixes", true);
}

module.exports = { installSocketFixes };
