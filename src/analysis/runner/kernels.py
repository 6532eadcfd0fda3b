"""Kernels forked by the zygote, for papermill: a jupyter_client kernel provisioner, kernel
manager and client (kept apart from `analysis.runner.warm`, which starts and stops the zygote,
so that a command can start its zygote before it imports jupyter_client).

- `ForkingProvisioner` is a jupyter_client kernel provisioner: instead of starting
  `python -m ipykernel_launcher -f FILE` it asks the zygote to fork a process that becomes that
  kernel; the connection file, ports, interrupt, shutdown and kill work as for a local kernel
  (signals go to the kernel's process group).
- `WarmKernelClient` is ready as soon as the kernel is (see its docstring).
- `warm_kernel_manager(address)` is the kernel manager class handed to papermill (nbclient's
  `kernel_manager_class`), whose kernels use that provisioner and that client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import signal
import socket
import time
import uuid
from queue import Empty
from typing import Any

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from analysis.runner.warm import ZygoteFailure

FORK_TIMEOUT = 300.0  # seconds for the zygote to answer a request (its imports come first)
IOPUB_WAIT = 0.2  # seconds for a kernel's IOPub to answer before the handshake is tried again
EXIT_POLL = 0.01  # seconds between looks at whether a kernel that was asked to end has ended


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
