"""Warm execution: papermill runs each chapter as before, on a kernel forked from the zygote
(`analysis.runner.zygote`), which has imported the libraries once for the whole build.

- `Zygote` starts the zygote process for one build and stops it, with every kernel it forked,
  when the build ends however it ends (`with Zygote(root) as address: ...`).
- `ForkingProvisioner` is a jupyter_client kernel provisioner: instead of starting
  `python -m ipykernel_launcher -f FILE` it asks the zygote to fork a process that becomes that
  kernel; the connection file, ports, interrupt, shutdown and kill work as for a local kernel
  (signals go to the kernel's process group).
- `warm_kernel_manager(address)` is the kernel manager class handed to papermill (nbclient's
  `kernel_manager_class`), whose kernels use that provisioner.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from analysis.inputs.locations import PROJECT_ROOT_VARIABLE
from analysis.runner.sources import library_digest
from analysis.runner.state import BuildFailure

READY_TIMEOUT = 60.0  # seconds for the zygote to listen (it imports after it listens)
FORK_TIMEOUT = 300.0  # seconds for the zygote to answer a request (its imports come first)
STOP_TIMEOUT = 10.0
IOPUB_WAIT = 0.2  # seconds for a kernel's IOPub to answer before the handshake is tried again
EXIT_POLL = 0.01  # seconds between looks at whether a kernel that was asked to end has ended


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
        """Close its input (it kills the kernels still running and ends), then wait for it."""
        process = self.process
        if process is not None:
            with contextlib.suppress(OSError):
                assert process.stdin is not None
                process.stdin.close()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
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


class ForkingProvisioner(LocalProvisioner):
    """A local kernel, forked by the zygote at `zygote_address` instead of started anew."""

    zygote_address: str = ""
    connection: socket.socket | None = None
    pidfd: int | None = None
    exit_code: int | None = None
    launched = False

    @property
    def has_process(self) -> bool:
        return self.launched

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if not self.zygote_address:
            raise ZygoteFailure("no zygote to fork the kernel from")
        request = {
            "argv": cmd,
            "env": kwargs.get("env") or dict(os.environ),
            "cwd": str(kwargs.get("cwd") or os.getcwd()),
        }
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        connection.settimeout(FORK_TIMEOUT)
        with open(os.devnull, "rb") as nothing:
            try:
                connection.connect(self.zygote_address)
                streams = [nothing.fileno(), 1, 2]  # what a started kernel inherits
                socket.send_fds(connection, [json.dumps(request).encode()], streams)
                answer = connection.recv(64).decode()
            except OSError as error:
                connection.close()
                raise ZygoteFailure(f"the zygote did not fork a kernel: {error}") from None
        if not answer.startswith("pid "):
            connection.close()
            raise ZygoteFailure("the zygote ended before forking a kernel")
        self.pid = self.pgid = int(answer.split()[1])
        self.connection = connection
        connection.setblocking(False)
        try:
            self.pidfd = os.pidfd_open(self.pid)
        except OSError:  # it ended already; the zygote tells how
            self.pidfd = None
        self.exit_code = None
        self.launched = True
        self.cwd = request["cwd"]
        return self.connection_info

    def ended(self) -> int | None:
        """The kernel's exit code once it has ended (-1 when the zygote could not tell)."""
        if self.exit_code is not None:
            return self.exit_code
        if self.connection is not None:
            try:
                message = self.connection.recv(64).decode()
            except BlockingIOError:
                message = None
            except OSError:
                message = ""
            if message is not None:
                self.connection.close()
                self.connection = None
                if message.startswith("exit "):
                    self.exit_code = int(message.split()[1])
                    return self.exit_code
        if self.connection is None and (
            self.pidfd is None or select.select([self.pidfd], [], [], 0)[0]
        ):
            self.exit_code = -1  # the zygote is gone; the kernel has ended too
        return self.exit_code

    async def poll(self) -> int | None:
        return self.ended() if self.launched else 0

    async def wait(self) -> int | None:
        if not self.launched:
            return 0
        while self.ended() is None:
            await asyncio.sleep(EXIT_POLL)
        self.launched = False
        return self.exit_code

    async def send_signal(self, signum: int) -> None:
        """To the kernel's process group, as for a local kernel, while it runs."""
        if self.launched and self.ended() is None:
            try:
                os.killpg(self.pid, signum)
            except ProcessLookupError:
                if self.pidfd is not None:
                    with contextlib.suppress(ProcessLookupError):
                        signal.pidfd_send_signal(self.pidfd, signum)

    async def kill(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


class WarmKernelClient(AsyncKernelClient):
    """jupyter_client's client, but ready as soon as the kernel is.

    jupyter_client's `wait_for_ready` sends kernel_info until both the reply and an IOPub
    message arrive (IOPub is then known to be connected), then drains IOPub until it has been
    quiet for 0.2 s: a fixed 0.2 s of every chapter. This one waits instead for the last
    message the kernel publishes for that request, its `idle` status: everything published
    before it has arrived too, so nothing is left to drain. As there, a kernel whose IOPub does
    not answer within IOPUB_WAIT is asked again."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            with contextlib.suppress(Empty):
                reply = await self.shell_channel.get_msg(timeout=1)
                answered = reply["parent_header"].get("msg_id") == request
                if answered and await self._idle_after(request):
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _idle_after(self, request: str) -> bool:
        """Whether IOPub brings the kernel's `idle` status for `request` in good time."""
        until = time.monotonic() + IOPUB_WAIT
        while (left := until - time.monotonic()) > 0:
            try:
                message = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (
                message["msg_type"] == "status"
                and message["content"].get("execution_state") == "idle"
                and message["parent_header"].get("msg_id") == request
            ):
                return True
        return False

    wait_for_ready = _async_wait_for_ready


class WarmKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forked by the zygote at `zygote_address`."""

    zygote_address = ""
    client_factory = WarmKernelClient

    async def _async_wait(self, pollinterval: float = EXIT_POLL) -> None:
        """After a shutdown request, look for the kernel's end every EXIT_POLL seconds instead
        of every 0.1 s (the zygote's message that it ended is a non-blocking read)."""
        while await self._async_is_alive():
            await asyncio.sleep(EXIT_POLL)

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or str(uuid.uuid4())
            provisioner = ForkingProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
            provisioner.zygote_address = self.zygote_address
            self.provisioner = provisioner
        return await super()._async_pre_start_kernel(**kw)

    pre_start_kernel = _async_pre_start_kernel


def warm_kernel_manager(address: str) -> type[WarmKernelManager]:
    """The kernel manager class for papermill (it instantiates the class it is given)."""
    return type("ZygoteKernelManager", (WarmKernelManager,), {"zygote_address": address})
