"""How tslab (the kit's kernel) differs from what Jupyter clients expect, handled in one place.

Both Python clients of the kit's kernel use this module: tools/nbrun.py (runs lessons headless) and
the grader's kernel worker. The quirks (tslab 1.0.22; test/kernel.test.ts and the patch list in
src/runtime/patches.ts check that they still hold):

1. A failed cell arrives as text on the stderr stream plus an execute_reply whose status is "error";
   there is no `error` output. A client must look at every reply's status, not at the outputs.
2. After an error tslab aborts the requests that arrive within 200 ms (execute_reply status "abort"),
   which nbclient passes over silently. A client must treat "abort" as a failure, or wait
   AFTER_ERROR seconds after an error before sending the next request.
3. An exception thrown after a cell finished (a callback, a rejected promise nobody awaited) is only
   printed to stderr later, prefixed by one of STDERR_FAILURES.
"""

AFTER_ERROR = 0.3  # seconds to wait after an error reply: tslab aborts requests within 200 ms of it
STDERR_FAILURES = ("UncaughtException:", "UnhandledPromiseRejection:")


def reply_ok(status):
    """Quirks 1 and 2: only an execute_reply status of "ok" is a success ("error" and "abort" are not)."""
    return status == "ok"


def stderr_text(cell):
    """The stderr stream text of an executed nbformat cell, where tslab puts its errors (quirk 1)."""
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")


def late_failure(text):
    """Quirk 3: does this stderr text report an exception thrown after its cell finished?"""
    return any(marker in text for marker in STDERR_FAILURES)
