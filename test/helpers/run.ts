/**
 * Runs a program without blocking the test worker. vitest's worker answers its runner over an RPC
 * channel with a fixed 60 s timeout; a `spawnSync` that lasts longer (an `npm install`, a lesson run,
 * a `tsc` on a loaded machine) starves that channel and fails a green run ("Timeout calling
 * onTaskUpdate"). Tests that run anything longer than a moment use this instead.
 */
import { spawn, type SpawnOptions } from "child_process";

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

export function run(cmd: string, args: string[], options: SpawnOptions & { timeout?: number } = {}): Promise<RunResult> {
  const { timeout, ...rest } = options;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...rest, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let error: Error | undefined;
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = timeout
      ? setTimeout(() => {
          error = new Error(`${cmd} ${args.join(" ").slice(0, 200)}: no result after ${timeout} ms`);
          child.kill("SIGKILL");
        }, timeout)
      : undefined;
    child.on("error", (e) => (error = e));
    child.on("close", (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ...(error ? { error } : {}) });
    });
  });
}

/** Node running an ES-module snippet; its last stdout line parsed as JSON. */
export async function nodeJson<T>(code: string, options: SpawnOptions & { timeout?: number } = {}): Promise<T> {
  const r = await run(process.execPath, ["--input-type=module", "-e", code], options);
  if (r.error || r.status !== 0) throw new Error(`node snippet failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "null") as T;
}
