"""Drives the kit's kernel over the Jupyter protocol for test/kernel-*.test.ts (issue 19).

Usage: kernel_session.py SCENARIO [ARGS...]   (run by /usr/bin/python3, which has jupyter_client;
JUPYTER_PATH must point at the repository's jupyter/ folder, as tools/jupyter.mjs sets it).
Prints one JSON object per line; the last one has "done": true and the scenario's results.

Scenarios:
  interrupt NOTEBOOK fit|loop
        runs the cells before the training cell, starts it, interrupts the kernel once it prints
        progress, measures the kernel's CPU seconds in the 2 s after the interrupt and the 2 s after
        that, then runs a small cell. The training cell: "fit", the first cell that calls model.fit
        with fitProgress(); "loop", the first cell that awaits a function an earlier cell defined
        with a `new Progress(` loop (a from-scratch training loop).
  cells CODE...
        runs each CODE as a cell in one fresh kernel and reports every cell's status and text.
  shutdown CODE...
        runs each CODE as a cell, then asks the kernel to shut down as Jupyter does (a shutdown_request,
        no signal) and waits up to 20 s for its process to end; reports whether it ended by itself,
        its exit code and the seconds it took. (Jupyter sends SIGTERM after 2.5 s and SIGKILL after 5.)
"""
import json
import os
import queue
import re
import sys
import time

from jupyter_client import KernelManager

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from tslab_quirks import AFTER_ERROR, reply_ok  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def emit(obj):
    print(json.dumps(obj), flush=True)


def ticks_per_second():
    return os.sysconf(os.sysconf_names["SC_CLK_TCK"])


def cpu_seconds(pid):
    """User + system CPU time of a process (and its finished children), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime is field 14, stime 15
    return (int(fields[11]) + int(fields[12])) / ticks_per_second()


class Session:
    def __init__(self, cwd):
        self.km = KernelManager(kernel_name="dl-building-blocks")
        self.km.start_kernel(cwd=cwd)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    @property
    def pid(self):
        return self.km.provisioner.process.pid

    def run(self, code, timeout=600, on_output=None):
        """Executes one cell; returns (status, stdout text, stderr text, seconds)."""
        started = time.time()
        msg_id = self.kc.execute(code, store_history=True)
        out, err = [], []
        status = None
        deadline = started + timeout
        idle = False
        while not (idle and status is not None):
            if time.time() > deadline:
                raise TimeoutError(f"cell did not finish in {timeout} s: {code[:80]!r}")
            try:
                msg = self.kc.get_iopub_msg(timeout=0.2)
                if msg["parent_header"].get("msg_id") == msg_id:
                    t = msg["msg_type"]
                    if t == "stream":
                        (out if msg["content"]["name"] == "stdout" else err).append(msg["content"]["text"])
                        if on_output:
                            on_output(msg["content"]["text"])
                    elif t in ("display_data", "update_display_data", "execute_result"):
                        text = msg["content"].get("data", {}).get("text/plain", "")
                        out.append(text if isinstance(text, str) else "".join(text))
                        if on_output:
                            on_output(out[-1])
                    elif t == "status" and msg["content"]["execution_state"] == "idle":
                        idle = True
            except queue.Empty:
                pass
            if status is None:
                try:
                    reply = self.kc.get_shell_msg(timeout=0.01)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        status = reply["content"]["status"]
                except queue.Empty:
                    pass
        if not reply_ok(status):
            time.sleep(AFTER_ERROR)
        return status, "".join(out), "".join(err), time.time() - started

    def close(self):
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)


def code_cells(path):
    with open(path) as f:
        nb = json.load(f)
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        cells.append(src)
    return cells


def training_cell(cells, kind):
    if kind == "fit":
        return next(i for i, c in enumerate(cells) if ".fit(" in c and "fitProgress(" in c)
    loops = set()
    for i, c in enumerate(cells):
        if "new Progress(" in c:
            loops.update(re.findall(r"async function (\w+)", c))
        elif any(f"await {name}(" in c for name in loops):
            return i
    raise SystemExit("no cell awaits a from-scratch training loop")


def interrupt(notebook, kind):
    cells = code_cells(notebook)
    target = training_cell(cells, kind)
    s = Session(os.path.dirname(os.path.abspath(notebook)))
    try:
        for i in range(target):
            status, out, err, _ = s.run(cells[i])
            if not reply_ok(status):
                emit({"done": True, "error": f"cell {i} failed: {err.strip()[:2000]}"})
                return
        printed = []
        state = {"sent": None}

        def on_output(text):
            printed.append(text)
            # interrupt once training has really started (a progress line with a step count)
            if state["sent"] is None and ("ETA" in text or "/Unknown" in text or "step" in text):
                state["sent"] = time.time()
                state["cpu"] = cpu_seconds(s.pid)
                s.km.interrupt_kernel()

        status, out, err, seconds = s.run(cells[target], timeout=600, on_output=on_output)
        ended = time.time()
        if state["sent"] is None:
            emit({"done": True, "error": "the cell never printed progress, so it was never interrupted", "out": out[-2000:], "err": err[-2000:]})
            return
        # CPU used by the kernel in the 2 s after the interrupt (measured from when it was sent)
        wait = state["sent"] + 2.0 - time.time()
        if wait > 0:
            time.sleep(wait)
        cpu_after = cpu_seconds(s.pid) - state["cpu"]
        # and in a further 2 s, to show it is idle
        c0 = cpu_seconds(s.pid)
        time.sleep(2.0)
        cpu_idle = cpu_seconds(s.pid) - c0
        nstatus, nout, nerr, _ = s.run('console.log("next cell ran: " + (1 + 1));')
        emit({
            "done": True, "error": None, "cell": target, "status": status, "stopSeconds": round(ended - state["sent"], 2),
            "cpuInTwoSeconds": round(cpu_after, 2), "cpuNextTwoSeconds": round(cpu_idle, 2),
            "out": out[-3000:], "err": err[-3000:], "nextStatus": nstatus, "nextOut": nout, "nextErr": nerr,
        })
    finally:
        s.close()


def cells_scenario(codes):
    s = Session(ROOT)
    try:
        results = []
        for code in codes:
            status, out, err, seconds = s.run(code)
            results.append({"status": status, "out": out, "err": err, "seconds": round(seconds, 2)})
        emit({"done": True, "error": None, "cells": results})
    finally:
        s.close()


def shutdown_scenario(codes):
    s = Session(ROOT)
    try:
        for code in codes:
            status, out, err, _ = s.run(code)
            if not reply_ok(status):
                emit({"done": True, "error": f"cell failed: {err.strip()[:2000]}"})
                return
        process = s.km.provisioner.process
        s.kc.stop_channels()
        started = time.time()
        s.km.request_shutdown()
        code = None
        while time.time() - started < 20:
            code = process.poll()
            if code is not None:
                break
            time.sleep(0.05)
        emit({"done": True, "error": None, "ended": code is not None, "code": code, "seconds": round(time.time() - started, 2)})
    finally:
        s.km.shutdown_kernel(now=True)


def main(argv):
    scenario = argv[0]
    if scenario == "interrupt":
        interrupt(argv[1], argv[2])
    elif scenario == "cells":
        cells_scenario(argv[1:])
    elif scenario == "shutdown":
        shutdown_scenario(argv[1:])
    else:
        raise SystemExit(f"unknown scenario {scenario!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
