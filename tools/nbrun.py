"""Executes notebooks headless on the kit's tslab kernel and reports each one honestly.

Called by tools/lessons.mjs (with the Python that has nbclient). tslab's quirks (tools/tslab_quirks.py)
hide failures from nbclient, so this runner checks the status of every reply itself: any status other
than "ok" fails the notebook, and so does an uncaught exception or unhandled rejection that tslab
prints to stderr later.

Usage: nbrun.py --out DIR [--timeout SECONDS] [--cwd DIR] [--rerun ROUNDS,TOP,MAX_SECONDS,FRACTION] NOTEBOOK...
Prints one JSON object per notebook on stdout:
  {"notebook": path, "output": path, "ok": bool, "seconds": float, "cell": index|null, "error": text|null}
With --rerun, a notebook that ran without error then has its biggest cells re-run in the same kernel
(tools/rerun.py), and the object gets "rerun": {"chosen", "limitSeconds", "rounds", "error"}.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rerun import rerun  # noqa: E402
from tslab_quirks import late_failure, reply_ok, stderr_text  # noqa: E402


class StrictClient(NotebookClient):
    """A NotebookClient that treats every non-"ok" execute_reply as a failure."""

    def __init__(self, nb, **kw):
        super().__init__(nb, **kw)
        self.failure = None  # (cell index, message)
        self.current = None  # index of the cell being executed
        self.on_cell_start = self._started
        self.on_cell_executed = self._check_reply

    def _started(self, cell, cell_index):
        self.current = cell_index

    def _check_reply(self, cell, cell_index, execute_reply):
        status = execute_reply["content"].get("status")
        if not reply_ok(status) and self.failure is None:
            detail = stderr_text(cell).strip() or f"execute_reply status {status!r}"
            self.failure = (cell_index, detail)
            raise CellExecutionError(detail, "CellFailed", detail)


def run(path, out_dir, timeout, cwd, rerun_args=None):
    nb = nbformat.read(path, as_version=4)
    client = StrictClient(
        nb,
        timeout=timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "dl-building-blocks"),
        resources={"metadata": {"path": cwd or os.path.dirname(os.path.abspath(path))}},
        record_timing=False,
    )
    if rerun_args:
        client.owns_km = False  # keep the kernel up after the run, for the re-runs; shut down below
    started = time.time()
    cell, error = None, None
    rerun_report = None
    try:
        client.execute()
    except CellTimeoutError:
        cell, error = client.current, f"cell timed out after {timeout} s"
    except DeadKernelError as e:
        cell, error = client.current, f"kernel died: {e}"
    except CellExecutionError as e:
        cell, error = client.failure if client.failure else (client.current, str(e))
    except Exception as e:  # kernel failed to start, bad notebook, ...
        cell, error = None, f"{type(e).__name__}: {e}"
    if error is None:
        for i, c in enumerate(nb.cells):
            text = stderr_text(c)
            if late_failure(text):
                cell, error = i, text.strip()
                break
    seconds = time.time() - started
    if rerun_args:
        try:
            if error is None:
                pid = client.km.provisioner.process.pid
                rerun_report = rerun(client, nb, pid, *rerun_args)
        except Exception as e:  # the kernel died, or is not the kit's
            rerun_report = {"error": f"{type(e).__name__}: {e}", "rounds": [], "chosen": []}
        finally:
            if client.km is not None:
                client._cleanup_kernel()
    out = os.path.join(out_dir, os.path.basename(path))
    nbformat.write(nb, out)
    result = {"notebook": path, "output": out, "ok": error is None, "seconds": round(seconds, 1), "cell": cell, "error": error}
    if rerun_report is not None:
        result["rerun"] = rerun_report
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--cwd", default=None)
    ap.add_argument("--rerun", default=None, help="ROUNDS,TOP,MAX_SECONDS,FRACTION")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rerun_args = None
    if args.rerun:
        r = args.rerun.split(",")
        rerun_args = (int(r[0]), int(r[1]), float(r[2]), float(r[3]) if len(r) > 3 else 0.1)
    for path in args.notebooks:
        print(json.dumps(run(path, args.out, args.timeout, args.cwd, rerun_args)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
