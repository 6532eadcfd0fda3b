"""Warm execution: papermill runs each chapter as before, on a kernel forked from the zygote
(`analysis.runner.zygote`), which has imported the libraries once for the whole build.

- `Zygote` starts the zygote process for one build and stops it, with every kernel it forked,
  when the build ends however it ends (`with Zygote(root) as address: ...`); `KeptZygote` keeps
  one between builds (the preview's), and `warm_zygote` / `scenario_zygote` give a build or a
  scenario run the zygote it uses.
- The kernels themselves, their provisioner, manager and client, are in
  `analysis.runner.kernels`. This module does not import jupyter_client, so that a command
  starts its zygote before it spends time importing anything else.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from analysis.inputs.locations import PROJECT_ROOT_VARIABLE
from analysis.runner.processes import stop_process
from analysis.runner.sources import library_digest
from analysis.runner.state import BuildFailure

READY_TIMEOUT = 60.0  # seconds for the zygote to listen (it imports after it listens)
STOP_TIMEOUT = 10.0


class ZygoteFailure(RuntimeError):
    """The zygote could not be started or did not answer."""


class Zygote:
    """The zygote process of one build, and the folder of its socket."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        self.folder = Path(tempfile.mkdtemp(prefix="analysis-zygote-"))
        address = str(self.folder / "socket")
        with open(self.folder / "zygote.log", "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "analysis.runner.zygote", "--root", str(self.root), address],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=log,
                env={**os.environ, PROJECT_ROOT_VARIABLE: str(self.root)},
                cwd=self.root,
            )
        deadline = time.monotonic() + READY_TIMEOUT
        try:
            while not os.path.exists(address):
                if self.process.poll() is not None:
                    raise ZygoteFailure(f"the zygote ended at start: {self.log()}")
                if time.monotonic() > deadline:
                    raise ZygoteFailure(f"the zygote did not listen within {READY_TIMEOUT:.0f} s")
                time.sleep(0.01)
        except BaseException:
            self.stop()
            raise
        return address

    def log_lines(self) -> list[str]:
        """What the zygote wrote: a line for each kernel it forked, and any error."""
        assert self.folder is not None
        return (self.folder / "zygote.log").read_text(errors="replace").strip().splitlines()

    def log(self) -> str:
        lines = self.log_lines()
        return lines[-1] if lines else "no message"

    def stop(self) -> None:
        """End it (it kills the kernels still running), even while it is still importing, and
        wait for it."""
        if self.process is not None:
            stop_process(self.process, STOP_TIMEOUT)
            self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __exit__(self, *exc: object) -> None:
        self.stop()


class KeptZygote:
    """A zygote kept between builds (by `analysis preview`): it is started again only when what
    it imported may have changed (the library's source, the lock file, the package definition)
    or when it has ended; `stop` ends it. While it runs, `_build/zygote.json` says where it
    listens, so that a scenario run meanwhile (`open_zygote`) forks its kernel from it too."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.zygote: Zygote | None = None
        self.address: str | None = None
        self.digest: str | None = None

    def current(self) -> str:
        """The address of a zygote that imported the library as it is now."""
        digest = library_digest(self.root)
        zygote = self.zygote
        alive = zygote is not None and zygote.process is not None and zygote.process.poll() is None
        if not alive or digest != self.digest:
            self.stop()
            zygote, self.address = started_zygote(self.root)
            self.zygote, self.digest = zygote, digest
            assert zygote.process is not None
            announced = {"address": self.address, "digest": digest, "pid": zygote.process.pid}
            announcement = self.root / ANNOUNCEMENT
            announcement.parent.mkdir(parents=True, exist_ok=True)
            announcement.write_text(json.dumps(announced) + "\n")
        assert self.address is not None
        return self.address

    def stop(self) -> None:
        (self.root / ANNOUNCEMENT).unlink(missing_ok=True)
        if self.zygote is not None:
            self.zygote.stop()
        self.zygote = self.address = self.digest = None


ANNOUNCEMENT = "_build/zygote.json"  # where a kept zygote listens, while it runs


def started_zygote(root: Path) -> tuple[Zygote, str]:
    """A new zygote of the project and its address; a build failure when it cannot start."""
    zygote = Zygote(root)
    try:
        return zygote, zygote.__enter__()
    except ZygoteFailure as error:
        raise BuildFailure(f"{error}; `build --cold` starts each kernel anew") from None


@contextlib.contextmanager
def warm_zygote(root: Path, cold: bool, kept: str | None = None) -> Iterator[str | None]:
    """The zygote's socket for the chapters' kernels (None: cold, each kernel started anew);
    it is stopped, with any kernel it forked, when the block ends, unless it is `kept`, the
    address of a zygote that outlives the build."""
    if cold or kept:
        yield None if cold else kept
        return
    zygote, address = started_zygote(root)
    try:
        yield address
    finally:
        zygote.stop()


def scenario_zygote(root: Path, cold: bool) -> contextlib.AbstractContextManager[str | None]:
    """The zygote of a scenario run: a preview's, when one is open on the project (the kernel
    then skips importing the libraries, and fails with the preview if that is stopped
    meanwhile), else one of its own, unless `cold`. Entered before the run imports its own
    modules, so that the zygote imports the chapters' libraries meanwhile."""
    return warm_zygote(root, cold, None if cold else open_zygote(root))


def open_zygote(root: Path) -> str | None:
    """The address of a kept zygote of this project (a preview's) that imported the library as
    it is now, or None: none runs, it has ended, or the library has changed since."""
    try:
        announced = json.loads((root / ANNOUNCEMENT).read_text())
        os.kill(int(announced["pid"]), 0)  # raises when that process has ended
    except (OSError, ValueError, KeyError, TypeError):
        return None
    address = str(announced["address"])
    if not os.path.exists(address) or announced["digest"] != library_digest(root):
        return None
    return address
