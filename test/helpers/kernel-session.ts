/** Runs a scenario of test/helpers/kernel_session.py (the kit's kernel over the Jupyter protocol) and returns its result. */
import { spawn } from "child_process";
import { join } from "path";

const root = join(__dirname, "..", "..");

export interface ScenarioResult {
  done: true;
  error: string | null;
  [key: string]: any;
}

/** Runs `kernel_session.py SCENARIO ARGS…` with /usr/bin/python3's Jupyter; resolves to its last JSON line. */
export async function kernelScenario(args: string[], env: Record<string, string> = {}): Promise<ScenarioResult> {
  const jupyter = await import(join(root, "tools", "jupyter.mjs"));
  const python: string = jupyter.ensureJupyter({ quiet: true });
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(__dirname, "kernel_session.py"), ...args], { env: jupyter.jupyterEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = out.split("\n").filter((l) => l.startsWith("{"));
      const last = lines.length ? JSON.parse(lines[lines.length - 1]) : null;
      if (last?.done) resolve(last);
      else reject(new Error(`kernel_session.py ${args[0]} exited with ${code} without a result:\n${out.slice(-3000)}\n${err.slice(-3000)}`));
    });
  });
}
