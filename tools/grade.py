"""Grading worker for tools/grade.mjs: runs graded notebooks on the kit's kernel, one at a time.

Reads jobs from stdin, one JSON object per line, and answers each with one JSON line on stdout:

  job:    {"id", "kernel", "cwd", "env", "grade_file", "token", "timeout", "notebook_timeout",
           "setup": [source…], "exercises": [{"id", "solution": source|null, "note", "checks": [source…]}]}
  result: {"id", "seconds", "restarts", "error": text|null,
           "exercises": {id: {"status", "reason": text|null, "result": {…}|null}}}

Exercise status: "checked" (the check ran and reported), "error" (the solution or check cell failed:
compile error, thrown error), "timeout", "kernel-died" (process.exit(), crash), "missing" (no solution
cell), "no-result" (the check reported nothing), "skipped" (the notebook's time limit was reached),
"grader-error" (the kernel or the master's setup cells failed: not the student's fault).

One kernel per job, in the job's folder with the job's environment. The setup cells go first, as
one request when they combine. Each exercise runs as: the student's solution cell, then the master's
check cell(s); `check` appends its result to grade_file. Output is kept only up to a few thousand
characters per cell (for the reasons); beyond that it is read and dropped.
A timeout or a dead kernel costs that exercise only: the kernel is started again (and the setup
cells re-run) for the next one. Only execute_reply status "ok" counts as success; after an error
reply we wait 300 ms, because tslab aborts requests that arrive within 200 ms of an error.
"""
import json
import os
import signal
import sys
import time

import zmq
from jupyter_client import KernelManager

OUTPUT_LIMIT = 4000  # characters of stdout/stderr kept per cell (for reasons)
RESULT_LIMIT = 1_000_000  # bytes of the grade file read per check
AFTER_ERROR = 0.3


def clip(text, limit=OUTPUT_LIMIT):
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 30] + f"\n… ({len(text) - limit + 30} more characters)"


class Outcome:
    def __init__(self, status, stdout="", stderr="", seconds=0.0):
        self.status = status  # ok | error | abort | timeout | dead
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds

    def message(self):
        return clip(self.stderr) or clip(self.stdout) or f"execute_reply status {self.status!r}"


class Kernel:
    """A kernel process (started and killed by jupyter_client) and our own plain ZMQ sockets to it:
    jupyter_client's blocking client runs an asyncio loop per message, too slow for a flood of output."""

    def __init__(self, name, cwd, env, timeout):
        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel(cwd=cwd, env=env)
        try:
            info = self.km.get_connection_info()
            url = lambda port: f"{info['transport']}://{info['ip']}:{info[port]}"
            self.session = self.km.session
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
        return self.km.is_alive()

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
            for name in ("stdout", "stderr"):
                if sizes[name] > OUTPUT_LIMIT * 2:
                    setattr(out, name, getattr(out, name) + f"\n… (output truncated: {sizes[name]} characters)")
            return out

        poller = zmq.Poller()
        poller.register(self.iopub, zmq.POLLIN)
        poller.register(self.shell, zmq.POLLIN)
        checked = 0.0
        while True:
            now = time.monotonic()
            if reply is not None and (idle or now - reply_at > 2):
                return outcome(reply.get("status", "error"))
            if now >= deadline:
                return outcome("timeout")
            if now - checked > 0.1:
                if not self.alive():
                    return outcome("dead")
                checked = now
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
                        elif kind == "status" and json.loads(body).get("execution_state") == "idle":
                            idle = True
                    if not self.iopub.poll(0):
                        break
            if self.shell in events:
                kind, parent, body = self.recv(self.shell)
                if parent == msg_id and kind == "execute_reply":
                    reply, reply_at = json.loads(body), time.monotonic()

    def shutdown(self):
        """Kills the kernel's whole process group at once (no polite shutdown: it may be looping)."""
        for sock in ("shell", "iopub"):
            try:
                getattr(self, sock).close(linger=0)
            except Exception:
                pass
        proc = getattr(self.km.provisioner, "process", None) if self.km.provisioner else None
        try:
            if proc is not None:
                try:
                    group = os.getpgid(proc.pid)
                    if group == os.getpgid(0):  # never our own group
                        raise OSError("kernel shares the grader's process group")
                    os.killpg(group, signal.SIGKILL)
                except OSError:
                    proc.kill()
                proc.wait(timeout=5)
                self.km.cleanup_resources()
            else:
                self.km.shutdown_kernel(now=True)
        except Exception:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:
                pass


current_kernel = None


def read_result(path, offset, exercise, token):
    """The last line `check` appended for `exercise` since `offset`, with the grader's token."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(RESULT_LIMIT)
    except OSError:
        return None
    found = None
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and obj.get("token") == token and obj.get("exercise") == exercise:
            obj.pop("token", None)
            found = obj
    return found


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


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
            kernel = current_kernel = Kernel(job["kernel"], job["cwd"], job["env"], min(60, max(remaining(), 1)))
        except Exception as e:
            kernel = current_kernel = None
            return f"the kernel did not start: {type(e).__name__}: {e}"
        for i, src in enumerate(sources):
            out = kernel.execute(src, min(cell_timeout, remaining()))
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
            results[eid] = {"status": "missing", "reason": ex.get("note") or "no solution cell", "result": None}
            continue
        if job_error is not None:
            results[eid] = {"status": "grader-error", "reason": job_error, "result": None}
            continue
        if remaining() <= 0:
            results[eid] = {"status": "skipped", "reason": f"the notebook's time limit ({limit:g} s) was reached", "result": None}
            continue
        if kernel is None:
            err = start()
            if err is not None and remaining() <= 0.05:
                results[eid] = {"status": "skipped", "reason": f"the notebook's time limit ({limit:g} s) was reached while starting the kernel", "result": None}
                continue
            if err is not None:
                job_error = err
                results[eid] = {"status": "grader-error", "reason": err, "result": None}
                continue

        def fail(out, what):
            if out.status == "timeout":
                stop()
                if remaining() <= 0.05:
                    return {"status": "skipped", "reason": f"the notebook's time limit ({limit:g} s) was reached in the {what}"}
                return {"status": "timeout", "reason": f"the {what} did not finish within {cell_timeout:g} s (an endless loop?)"}
            if out.status == "dead":
                stop()
                return {"status": "kernel-died", "reason": f"the kernel stopped during the {what} (process.exit() or a crash)" + (f": {clip(out.stderr, 500)}" if out.stderr.strip() else "")}
            time.sleep(AFTER_ERROR)
            if out.status == "abort":
                return {"status": "error", "reason": f"the kernel aborted the {what} (request sent too soon after an error)"}
            return {"status": "error", "reason": f"the {what} failed: {out.message()}"}

        out = kernel.execute(ex["solution"], min(cell_timeout, remaining()))
        if out.status != "ok":
            results[eid] = {**fail(out, "solution cell"), "result": None}
            continue
        offset = file_size(job["grade_file"])
        entry = None
        for src in ex["checks"]:
            out = kernel.execute(src, min(cell_timeout, remaining()))
            if out.status != "ok":
                entry = fail(out, "check cell")
                break
        result = read_result(job["grade_file"], offset, eid, job["token"])
        if entry is None:
            entry = {"status": "checked", "reason": None} if result else {"status": "no-result", "reason": "the check cell ran but reported no result (was `check` redefined?)"}
        elif result is not None and entry["status"] == "error":
            entry = {"status": "checked", "reason": entry["reason"]}
        results[eid] = {**entry, "result": result}
    stop()
    return {"id": job["id"], "seconds": round(time.monotonic() - started, 2), "restarts": max(restarts, 0), "error": job_error, "exercises": results}


def on_term(signum, frame):
    if current_kernel is not None:
        current_kernel.shutdown()
    sys.exit(143)


def main():
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)  # Ctrl-C in the teacher's terminal reaches us too: take the kernel along
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            result = grade(job)
        except Exception as e:  # never leave the caller waiting
            result = {"id": job.get("id"), "seconds": 0, "restarts": 0, "error": f"grader: {type(e).__name__}: {e}", "exercises": {}}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
