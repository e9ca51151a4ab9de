"""Re-running a lesson's biggest cells in the kernel that just ran it (issue 19).

Students re-run cells. After tools/nbrun.py has run a notebook top to bottom (Restart & Run All), and
while its kernel is still up, `rerun` picks up to TOP cells, those that added the most bytes (tensors,
plus ArrayBuffers such as the float64 matrices), as many as fit in a round of at most MAX_SECONDS or
FRACTION of the whole run, whichever is more (a shared machine can be many times slower than a quiet
one), never a cell that trains (one that started a progress bar: the kernel's record counts them) and never one
that added less than MIN_BYTES (it builds nothing large; only when no cell added that much is the one that added
the most taken): the cells that build the lesson's largest tensors or models, not its trainings. It re-runs them in
notebook order, ROUNDS times, in a copy of the notebook (the executed one keeps its top-to-bottom outputs), and
reports the kernel's resident memory and tensor bytes after each round.

Per-cell bytes and times come from the kit's kernel itself (jupyter/kernels/dl-building-blocks/
cells.cjs records every cell; src/runtime/memory.ts fills in the bytes).
"""
import copy
import json

from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell

MIN_BYTES = 1_000_000
STATS = 'console.log("@@dlbb " + JSON.stringify((globalThis as any)[Symbol.for("dl-building-blocks.kernel")]?.cells ?? null));'


def rss_bytes(pid):
    """The resident memory of a process, from /proc/PID/status."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def kernel_cells(client):
    """The kernel's record of the cells it ran (oldest first), read by running one more cell."""
    cell = new_code_cell(STATS)
    client.nb.cells.append(cell)
    client.execute_cell(cell, len(client.nb.cells) - 1)
    for out in cell.get("outputs", []):
        for line in out.get("text", "").splitlines():
            if line.startswith("@@dlbb "):
                return json.loads(line[len("@@dlbb "):]) or []
    raise RuntimeError("the kernel did not report its cells (is this the kit's kernel?)")


def executed_code_cells(nb):
    """Indices of the cells nbclient sent to the kernel: code cells with some source."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]


def rerun(client, nb, pid, rounds, top, max_seconds, fraction):
    # nbclient writes every cell it executes back into its notebook, by index (self.nb.cells[i] = cell):
    # give it a scratch copy for the re-runs, so that the executed notebook keeps its own outputs.
    executed = client.nb
    client.nb = copy.deepcopy(nb)
    try:
        return _rerun(client, client.nb, pid, rounds, top, max_seconds, fraction)
    finally:
        client.nb = executed


def _rerun(client, nb, pid, rounds, top, max_seconds, fraction):
    indices = executed_code_cells(nb)
    records = kernel_cells(client)[-len(indices):] if indices else []
    if len(records) != len(indices):
        raise RuntimeError(f"the kernel recorded {len(records)} cells, the notebook has {len(indices)} to run")
    first = []
    for i, rec in zip(indices, records):
        tensors = (rec.get("tensorBytesAfter") or 0) - (rec.get("tensorBytesBefore") or 0)
        buffers = (rec.get("bufferBytesAfter") or 0) - (rec.get("bufferBytesBefore") or 0)
        first.append({"index": i, "seconds": round(rec.get("ms", 0) / 1000, 2), "added": tensors + max(0, buffers), "trains": bool(rec.get("trainings"))})
    limit = max(max_seconds, fraction * sum(c["seconds"] for c in first))
    candidates = sorted((c for c in first if c["added"] > 0 and not c["trains"]), key=lambda c: -c["added"])
    candidates = [c for c in candidates if c["added"] >= MIN_BYTES] or candidates[:1]
    chosen, spent = [], 0.0
    for c in candidates:
        if len(chosen) < top and spent + c["seconds"] <= limit:
            chosen.append(c)
            spent += c["seconds"]
    chosen.sort(key=lambda c: c["index"])
    report = {"chosen": chosen, "limitSeconds": round(limit, 1), "rounds": [], "error": None}
    for r in range(rounds):
        for c in chosen:
            cell = nb.cells[c["index"]]
            try:
                client.execute_cell(cell, c["index"])
            except CellExecutionError as e:
                report["error"] = f"re-run {r + 1} of cell {c['index']} failed: {str(e).strip()[:2000]}"
                return report
        last = kernel_cells(client)[-1]  # the last re-run cell (the stats cell is recorded once it has run)
        report["rounds"].append({"round": r + 1, "rss": rss_bytes(pid), "tensorBytes": last.get("tensorBytesAfter")})
    return report
