"""The helper processes a build starts (the zygote, the site server) and the children they
fork: what each of them does the same way. Standard library only, so that any of them can
import it before anything else."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable


def run_forked(child: Callable[[], int], what: str) -> int:
    """Fork a process that runs `child` and ends with its exit code, without returning here
    (nothing of the parent's is torn down in it); a failure is reported as "`what` failed:
    ..." on its standard error. Returns the child's pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        code = child()
    except BaseException as error:  # reported on the child's stderr, then the child ends
        with contextlib.suppress(Exception):
            print(f"{what} failed: {type(error).__name__}: {error}", file=sys.stderr)
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """End a helper process, even one still importing: close its input, ask it to end
    (SIGTERM: it ends what it started, then itself), and kill it if it has not within
    `timeout` seconds."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
