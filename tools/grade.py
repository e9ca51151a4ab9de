"""Grading worker for tools/grade.mjs: runs graded notebooks on the kit's kernel, one at a time.

Reads jobs from stdin, one JSON object per line, and answers each with one JSON line on file
descriptor 3 (a pipe only the grader holds; stdout is not part of the protocol, and no kernel ever
gets stdout, stderr or fd 3 of this process: its output goes to a log file):

  job:    {"id", "argv": [kernel command, "{connection_file}" in it], "cwd", "env", "sockdir", "log",
           "timeout", "notebook_timeout", "memory_mb",
           "setup": [source…], "exercises": [{"id", "solution": source|null, "note", "checks": [source…]}]}
  answer: {"id", "seconds", "restarts", "error": text|null,
           "exercises": {id: {"status", "reason": text|null, "probes": data|null}}}

`argv` is the whole command, sandbox included (tools/grading/sandbox.mjs builds it); the kernel
listens on ipc sockets in `sockdir` (no network needed: the sandbox has none). `probes` is what the
check cell's `check` showed as application/vnd.dlbb.probes+json: the values the student's functions
gave, which the grader (not this worker, not the kernel) compares with the expected values.

Exercise status: "checked" (the check ran and showed probes), "error" (the solution or check cell
failed: compile error, thrown error), "timeout", "kernel-died" (process.exit(), a crash, or more than
memory_mb of memory), "missing" (no solution cell), "no-result" (the check showed no probes),
"skipped" (the notebook's time limit was reached), "grader-error" (the kernel or the master's setup
cells failed: not the student's fault).

One kernel per job. The setup cells go first, as one request when they combine. Each exercise runs
as: the student's solution cell, then the master's check cell(s). Output is kept only up to a few
thousand characters per cell (for the reasons). A timeout or a dead kernel costs that exercise only:
the kernel is started again (and the setup cells re-run) for the next one. tslab's quirks (reply
status, aborted requests after an error) are handled by tools/tslab_quirks.py.
"""
import json
import os
import secrets
import signal
import subprocess
import sys
import time

import zmq
from jupyter_client.session import Session

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tslab_quirks import AFTER_ERROR, reply_ok  # noqa: E402

OUTPUT_LIMIT = 4000  # characters of stdout/stderr kept per cell (for reasons)
PROBE_MIME = "application/vnd.dlbb.probes+json"
PROBE_LIMIT = 4_000_000  # characters of probe data kept per cell
SETUP_TIMEOUT = 120  # seconds at least for each of the master's setup cells
MEMORY_EVERY = 0.5  # seconds between two looks at the kernel's memory


def clip(text, limit=OUTPUT_LIMIT):
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 30] + f"\n… ({len(text) - limit + 30} more characters)"


class Outcome:
    def __init__(self, status, stdout="", stderr="", seconds=0.0):
        self.status = status  # ok | error | abort | timeout | dead | memory
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.probes = []  # application/vnd.dlbb.probes+json bundles shown by this cell

    def message(self):
        return clip(self.stderr) or clip(self.stdout) or f"execute_reply status {self.status!r}"


def process_tree(root):
    """{pid: resident bytes} of process `root` and all its descendants (the sandbox's processes)."""
    parent, rss = {}, {}
    page = os.sysconf("SC_PAGE_SIZE")
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                data = f.read()
        except OSError:
            continue
        fields = data[data.rindex(b")") + 2 :].split()
        parent[int(name)] = int(fields[1])
        rss[int(name)] = int(fields[21]) * page
    inside = {root}
    changed = True
    while changed:
        changed = False
        for pid, pp in parent.items():
            if pp in inside and pid not in inside:
                inside.add(pid)
                changed = True
    return {pid: rss.get(pid, 0) for pid in inside if pid in rss}


def finished(pid):
    """True when process `pid` is gone, or is a zombie all of whose threads have exited: killed, holding
    no memory, waiting only to be reaped. Reaping an orphan is its new parent's job (the machine's init
    once the sandbox's PID namespace is gone); some inits reap only every second or two, and waiting
    for them cost each graded notebook ~1.5 s here."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        if data[data.rindex(b")") + 2 : data.rindex(b")") + 3] not in (b"Z", b"X"):
            return False
        return len(os.listdir(f"/proc/{pid}/task")) <= 1
    except (OSError, ValueError):
        return True


def tree_rss_mb(root):
    """Resident memory (MB) of process `root` and all its descendants."""
    return sum(process_tree(root).values()) / 2**20


class Kernel:
    """A kernel process started with the job's command (the sandbox around the kit's kernel) and our
    own plain ZMQ sockets to it over ipc: jupyter_client's blocking client runs an asyncio loop per
    message, too slow for a flood of output."""

    def __init__(self, job, timeout):
        sockdir = job["sockdir"]
        for name in os.listdir(sockdir):  # a restarted kernel binds afresh
            os.unlink(os.path.join(sockdir, name))
        key = secrets.token_hex(32)
        ip = os.path.join(sockdir, "k")
        conn = {"transport": "ipc", "ip": ip, "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
                "key": key, "signature_scheme": "hmac-sha256", "kernel_name": "dl-building-blocks"}
        path = os.path.join(sockdir, "connection.json")
        with open(path, "w") as f:
            json.dump(conn, f)
        os.chmod(path, 0o644)
        self.memory_mb = float(job.get("memory_mb") or 0)
        self.memory_seen = 0.0
        self.log = open(job["log"], "ab")
        argv = [a.replace("{connection_file}", path) for a in job["argv"]]
        self.proc = subprocess.Popen(argv, cwd=job["cwd"], env=job["env"], stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                     start_new_session=True, close_fds=True)
        try:
            # tslab binds "<transport>://<ip>:<port>" (jupyter_client would say "<ip>-<port>" for ipc)
            url = lambda port: f"ipc://{ip}:{conn[port]}"
            self.session = Session(key=key.encode(), signature_scheme="hmac-sha256")
            self.ctx = zmq.Context.instance()
            self.shell = self.ctx.socket(zmq.DEALER)
            self.shell.linger = 0
            self.shell.connect(url("shell_port"))
            self.iopub = self.ctx.socket(zmq.SUB)
            self.iopub.linger = 0
            self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
            self.iopub.connect(url("iopub_port"))
            self.wait_ready(timeout)
        except Exception:
            self.shutdown()
            raise

    def alive(self):
        return self.proc.poll() is None

    def over_memory(self):
        """True when the kernel and everything it started hold more than memory_mb (then it is killed)."""
        if self.memory_mb <= 0:
            return False
        self.memory_seen = tree_rss_mb(self.proc.pid)
        return self.memory_seen > self.memory_mb

    def wait_ready(self, timeout):
        """Sends kernel_info requests until the kernel answers and its iopub messages reach us."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg_id = self.session.send(self.shell, "kernel_info_request", {})["header"]["msg_id"]
            replied = False
            until = min(deadline, time.monotonic() + 2)
            while not replied and time.monotonic() < until:
                if not self.alive():
                    raise RuntimeError("the kernel exited while starting")
                if self.shell.poll(50):
                    replied = self.recv(self.shell)[1] == msg_id
            if replied and self.iopub.poll(200):
                self.drain_iopub()
                return
            # no answer yet (still starting), or our iopub subscription missed it: ask again
        raise TimeoutError(f"the kernel did not answer within {timeout:g} s")

    @staticmethod
    def recv(socket):
        """(msg_type, parent msg_id, content bytes) of the next message, without checking signatures."""
        frames = socket.recv_multipart()
        i = frames.index(b"<IDS|MSG>")
        header, parent, _metadata, content = frames[i + 2 : i + 6]
        return json.loads(header).get("msg_type"), json.loads(parent).get("msg_id"), content

    def drain_iopub(self):
        while self.iopub.poll(0):
            self.recv(self.iopub)

    def execute(self, code, timeout):
        started = time.monotonic()
        deadline = started + max(timeout, 0.1)
        content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False, "stop_on_error": False}
        msg_id = self.session.send(self.shell, "execute_request", content)["header"]["msg_id"]
        streams = {"stdout": [], "stderr": []}
        sizes = {"stdout": 0, "stderr": 0}
        reply, idle, reply_at = None, False, None

        def keep(name, text):
            if sizes.get(name, 0) < OUTPUT_LIMIT * 2:
                streams.setdefault(name, []).append(text[: OUTPUT_LIMIT * 2])
            sizes[name] = sizes.get(name, 0) + len(text)

        def outcome(status):
            out = Outcome(status, "".join(streams["stdout"]), "".join(streams["stderr"]), time.monotonic() - started)
            out.probes = probes
            for name in ("stdout", "stderr"):
                if sizes[name] > OUTPUT_LIMIT * 2:
                    setattr(out, name, getattr(out, name) + f"\n… (output truncated: {sizes[name]} characters)")
            return out

        poller = zmq.Poller()
        poller.register(self.iopub, zmq.POLLIN)
        poller.register(self.shell, zmq.POLLIN)
        checked = 0.0
        memory_at = time.monotonic()
        probes, probe_size = [], 0
        while True:
            now = time.monotonic()
            if reply is not None and (idle or now - reply_at > 2):
                status = reply.get("status", "error")
                return outcome("ok" if reply_ok(status) else status if status in ("error", "abort") else "error")
            if now >= deadline:
                return outcome("timeout")
            if now - checked > 0.1:
                if not self.alive():
                    return outcome("dead")
                checked = now
            if now - memory_at > MEMORY_EVERY:
                memory_at = now
                if self.over_memory():
                    self.shutdown()
                    return outcome("memory")
            events = dict(poller.poll(max(1, min(100, int((deadline - now) * 1000)))))
            if self.iopub in events:
                for _ in range(1000):  # a burst of output: read on without polling
                    kind, parent, body = self.recv(self.iopub)
                    if parent == msg_id:
                        if kind == "stream":
                            if sizes["stdout"] + sizes["stderr"] < OUTPUT_LIMIT * 4:
                                c = json.loads(body)
                                keep(c.get("name", "stdout"), c.get("text", ""))
                            else:
                                sizes["stdout"] += len(body)
                        elif kind == "error":
                            c = json.loads(body)
                            keep("stderr", "\n".join(c.get("traceback", [])) or c.get("evalue", ""))
                        elif kind == "display_data" and PROBE_MIME.encode() in body and probe_size < PROBE_LIMIT:
                            data = json.loads(body).get("data", {})
                            if isinstance(data, dict) and PROBE_MIME in data:
                                probe_size += len(body)
                                probes.append(data[PROBE_MIME])
                        elif kind == "status" and json.loads(body).get("execution_state") == "idle":
                            idle = True
                    if not self.iopub.poll(0):
                        break
            if self.shell in events:
                kind, parent, body = self.recv(self.shell)
                if parent == msg_id and kind == "execute_reply":
                    reply, reply_at = json.loads(body), time.monotonic()

    def shutdown(self):
        """Kills the kernel's whole session at once (no polite shutdown: it may be looping). In the
        sandbox, killing its first process takes every process of its PID namespace along."""
        for sock in ("shell", "iopub"):
            try:
                getattr(self, sock).close(linger=0)
            except Exception:
                pass
        proc = getattr(self, "proc", None)
        if proc is not None:
            try:
                tree = set(process_tree(proc.pid)) - {proc.pid}
            except Exception:
                tree = set()
            tree_pids = set(tree)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                proc.kill()
                proc.wait(timeout=5)
            except Exception:
                pass
            # the PID namespace ends with its first process; wait until its processes have ended (so
            # the next kernel of this lane's user starts with none of them running or holding memory)
            deadline = time.monotonic() + 5
            while tree and time.monotonic() < deadline:
                tree = {p for p in tree if not finished(p)}
                if tree:
                    time.sleep(0.05)
            ended.update(tree_pids)
        try:
            self.log.close()
        except Exception:
            pass


current_kernel = None
ended = set()  # processes of killed kernels: gone or zombies; the worker waits for all of them to be gone before it exits


def wait_reaped(pids, seconds=5):
    """Waits until none of `pids` is left in /proc, zombies included (at most `seconds`)."""
    deadline = time.monotonic() + seconds
    while pids and time.monotonic() < deadline:
        pids = {p for p in pids if os.path.exists(f"/proc/{p}")}
        if pids:
            time.sleep(0.05)


def grade(job):
    global current_kernel
    started = time.monotonic()
    limit = float(job["notebook_timeout"])
    cell_timeout = float(job["timeout"])
    deadline = started + limit
    results = {}
    restarts = -1  # kernel starts beyond the first
    combine = True  # send the setup cells as one request
    kernel = None
    job_error = None

    def remaining():
        return deadline - time.monotonic()

    def stop():
        nonlocal kernel
        global current_kernel
        if kernel is not None:
            kernel.shutdown()
        kernel = current_kernel = None

    def boot(sources):
        """Starts a kernel and runs `sources`; returns None or why it failed."""
        nonlocal kernel, restarts
        global current_kernel
        restarts += 1
        try:
            kernel = current_kernel = Kernel(job, min(60, max(remaining(), 1)))
        except Exception as e:
            kernel = current_kernel = None
            return f"the kernel did not start: {type(e).__name__}: {e}"
        for i, src in enumerate(sources):
            # the master's setup is not the student's code: a busy machine must not fail it
            out = kernel.execute(src, min(max(cell_timeout, SETUP_TIMEOUT), remaining()))
            if out.status != "ok":
                stop()
                return f"setup cell {i + 1} of the master failed ({out.status}): {out.message()}"
        return None

    def start():
        """A kernel with the master's setup cells run: sent as one request (each request costs the
        kernel a TypeScript pass), or one by one if they do not combine (a name declared twice)."""
        nonlocal combine
        setup = job["setup"]
        if len(setup) <= 1 or not combine:
            return boot(setup)
        err = boot(["\n".join(setup)])
        if err is not None and remaining() > 0.05:
            combine = False
            err = boot(setup)
        return err

    for ex in job["exercises"]:
        eid = ex["id"]
        if ex["solution"] is None:
            results[eid] = {"status": "missing", "reason": ex.get("note") or "no solution cell", "probes": None}
            continue
        if job_error is not None:
            results[eid] = {"status": "grader-error", "reason": job_error, "probes": None}
            continue
        if remaining() <= 0:
            results[eid] = {"status": "skipped", "reason": f"the notebook's time limit ({limit:g} s) was reached", "probes": None}
            continue
        if kernel is None:
            err = start()
            if err is not None and remaining() <= 0.05:
                results[eid] = {"status": "skipped", "reason": f"the notebook's time limit ({limit:g} s) was reached while starting the kernel", "probes": None}
                continue
            if err is not None:
                job_error = err
                results[eid] = {"status": "grader-error", "reason": err, "probes": None}
                continue

        def fail(out, what):
            if out.status == "timeout":
                stop()
                if remaining() <= 0.05:
                    return {"status": "skipped", "reason": f"the notebook's time limit ({limit:g} s) was reached in the {what}"}
                return {"status": "timeout", "reason": f"the {what} did not finish within {cell_timeout:g} s (an endless loop?)"}
            if out.status == "memory":
                stop()
                return {"status": "kernel-died", "reason": f"the kernel was stopped in the {what}: it used more than {job.get('memory_mb')} MB of memory"}
            if out.status == "dead":
                stop()
                return {"status": "kernel-died", "reason": f"the kernel stopped during the {what} (process.exit() or a crash)" + (f": {clip(out.stderr, 500)}" if out.stderr.strip() else "")}
            time.sleep(AFTER_ERROR)
            if out.status == "abort":
                return {"status": "error", "reason": f"the kernel aborted the {what} (request sent too soon after an error)"}
            return {"status": "error", "reason": f"the {what} failed: {out.message()}"}

        out = kernel.execute(ex["solution"], min(cell_timeout, remaining()))
        if out.status != "ok":
            results[eid] = {**fail(out, "solution cell"), "probes": None}
            continue
        entry = None
        probes = []
        for src in ex["checks"]:
            out = kernel.execute(src, min(cell_timeout, remaining()))
            probes += [p for p in out.probes if isinstance(p, dict) and p.get("exercise") == eid]
            if out.status != "ok":
                entry = fail(out, "check cell")
                break
        result = probes[-1].get("probes") if probes else None
        if entry is None:
            entry = {"status": "checked", "reason": None} if result is not None else {"status": "no-result", "reason": "the check cell ran but showed no results (was `check` redefined?)"}
        elif result is not None and entry["status"] == "error":
            entry = {"status": "checked", "reason": entry["reason"]}
        results[eid] = {**entry, "probes": result}
    stop()
    return {"id": job["id"], "seconds": round(time.monotonic() - started, 2), "restarts": max(restarts, 0), "error": job_error, "exercises": results}


def on_term(signum, frame):
    if current_kernel is not None:
        current_kernel.shutdown()
    sys.exit(143)


def main():
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)  # Ctrl-C in the teacher's terminal reaches us too: take the kernel along
    answers = os.fdopen(3, "w", encoding="utf-8")
    os.set_inheritable(3, False)
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            result = grade(job)
        except Exception as e:  # never leave the caller waiting
            result = {"id": job.get("id"), "seconds": 0, "restarts": 0, "error": f"grader: {type(e).__name__}: {e}", "exercises": {}}
        answers.write(json.dumps(result) + "\n")
        answers.flush()
    # the batch is over: no process of a graded kernel outlives the grader, not even as a zombie
    wait_reaped(ended)


if __name__ == "__main__":
    main()
