// @ts-check
// A pool of kernel workers (tools/grade.py), one per lane, each running one submission at a time.
// Jobs go to a worker's stdin; answers come back on its file descriptor 3, a pipe only this process
// holds (the worker's stdout and stderr, and anything a kernel prints, are never read as answers).
// Every answer is checked (judge.mjs validateAnswer); a malformed one costs that submission only.
// Used by tools/grade.mjs.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { jupyterEnv, root } from "../jupyter.mjs";

export class Pool {
  /**
   * @param {number} size lanes (kernels in parallel)
   * @param {string} python the interpreter with jupyter_client and pyzmq
   * @param {number} watchdogMs a worker that takes longer for one job is killed
   * @param {(job: import("./types.mjs").Job, lane: number) => import("./types.mjs").Job} prepare fills in a job for a lane (its sandbox user, command) just before it runs
   */
  constructor(size, python, watchdogMs, prepare) {
    this.size = size;
    this.python = python;
    this.watchdogMs = watchdogMs;
    this.prepare = prepare;
  }

  /** @returns {import("./types.mjs").Worker} */
  spawnWorker() {
    const env = jupyterEnv({});
    const child = spawn(this.python, [join(root, "tools", "grade.py")], { env, stdio: ["pipe", "pipe", "pipe", "pipe"] });
    /** @type {import("./types.mjs").Worker} */
    const worker = { child, pending: null, buffered: "", stderr: "", dead: false };
    const answers = /** @type {import("node:stream").Readable} */ (child.stdio[3]);
    answers.setEncoding("utf8");
    answers.on("data", (chunk) => {
      worker.buffered += chunk;
      if (worker.buffered.length > 64 * 2 ** 20) worker.buffered = worker.buffered.slice(-(2 ** 20));
      let nl;
      while ((nl = worker.buffered.indexOf("\n")) >= 0) {
        const line = worker.buffered.slice(0, nl);
        worker.buffered = worker.buffered.slice(nl + 1);
        if (!worker.pending) continue;
        const { done } = worker.pending;
        worker.pending = null;
        let answer;
        try {
          answer = JSON.parse(line);
        } catch (e) {
          answer = { unreadable: `grader: unreadable worker answer: ${/** @type {Error} */ (e).message}` };
        }
        done(answer);
      }
    });
    answers.on("error", () => {});
    child.stdout.resume(); // the worker's own prints: not part of the protocol
    child.stderr.on("data", (chunk) => (worker.stderr = (worker.stderr + chunk).slice(-4000)));
    child.stdin.on("error", () => {});
    /** @param {string} why */
    const die = (why) => {
      worker.dead = true;
      if (worker.pending) {
        const { done } = worker.pending;
        worker.pending = null;
        done({ died: `grader: the worker stopped (${why}): ${worker.stderr.trim().slice(-1000)}` });
      }
    };
    child.on("error", (e) => die(e.message));
    child.on("exit", (code, signal) => die(signal ?? `exit code ${code}`));
    return worker;
  }

  /**
   * @param {import("./types.mjs").Worker} worker
   * @param {import("./types.mjs").Job} job
   * @returns {Promise<unknown>}
   */
  runOne(worker, job) {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        worker.child.kill("SIGTERM");
        setTimeout(() => worker.child.kill("SIGKILL"), 5000).unref();
      }, this.watchdogMs);
      worker.pending = {
        done: (/** @type {unknown} */ r) => {
          clearTimeout(timer);
          done(r);
        },
      };
      worker.child.stdin.write(JSON.stringify(job) + "\n");
    });
  }

  /**
   * Runs every job; `onResult(job, answer)` as each finishes (answer: what the worker sent, unchecked).
   * @param {import("./types.mjs").Job[]} jobs
   * @param {(job: import("./types.mjs").Job, answer: unknown) => void} onResult
   */
  async run(jobs, onResult) {
    const queue = [...jobs];
    /** @param {number} index */
    const lane = async (index) => {
      /** @type {import("./types.mjs").Worker | null} */
      let worker = null;
      while (queue.length) {
        const job = /** @type {import("./types.mjs").Job} */ (queue.shift());
        if (!worker || worker.dead) worker = this.spawnWorker();
        let answer;
        try {
          answer = await this.runOne(worker, this.prepare(job, index));
        } catch (e) {
          answer = { died: `grader: could not start the job: ${/** @type {Error | undefined} */ (e)?.message ?? e}` };
        }
        onResult(job, answer);
      }
      if (worker && !worker.dead) {
        worker.child.stdin.end();
        const w = worker;
        await new Promise((r) => (w.dead ? r(undefined) : w.child.once("exit", r)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.size, jobs.length) }, (_, i) => lane(i)));
  }
}
