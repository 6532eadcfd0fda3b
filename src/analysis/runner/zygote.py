"""The zygote: one process that imports the chapters' libraries once and forks a kernel for each
chapter (`python -m analysis.runner.zygote --root PROJECT SOCKET`).

A chapter's kernel normally costs a Python start, ipykernel's start and the imports of pandas,
matplotlib, seaborn, statsmodels, scipy and the library: seconds of every chapter's few. The
zygote pays the imports once; a kernel forked from it is a new process with its own IPython
shell and a fresh namespace, started exactly as `python -m ipykernel_launcher -f FILE` is (its
command line, environment, working folder and standard streams are the launcher's), so only
the modules already imported differ from a kernel started cold. Nothing of a chapter runs in
the zygote itself.

Protocol, on a Unix socket of packets (`SOCK_SEQPACKET`), one connection per kernel: the client
sends a JSON request (`argv`, `env`, `cwd`) with its standard streams attached (SCM_RIGHTS); the
zygote forks and answers `pid <n>`, and when the kernel ends, `exit <code>`, then closes the
connection. The zygote ends, killing any kernel still running, when its standard input closes
(the build ended, however it ended: even killed, its end of the pipe closes) or on SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import importlib
import json
import os
import pkgutil
import selectors
import signal
import socket
import sys
from pathlib import Path

from analysis.runner.processes import run_forked

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
KERNEL_NAME = b"chapter-kernel"  # a forked kernel's process name (/proc/<pid>/comm)
# What the chapters import, directly or through the library. statsmodels is not among them:
# the library computes its OLS intervals in closed form (tests compare them with statsmodels).
PRELOAD = (
    "numpy",
    "pandas",
    "scipy",
    "scipy.stats",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "mplfonts",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # imported by every kernel at start (debugpy: 60 ms)
    "IPython",
)
LIBRARY_PACKAGES = ("analysis.core", "analysis.inputs", "analysis.methods", "analysis.book")
# The book's Sphinx extensions: loaded by the site's build, never by a chapter (they import
# Sphinx and jieba's dictionary, 0.3 s).
NOT_CHAPTER_CODE = ("analysis.book.sphinx_editions", "analysis.book.sphinx_fixes")
# Modules a kernel must import itself: the inline backend hooks into the kernel's own shell
# when imported, so a zygote that had imported it would give kernels without figures.
NOT_PRELOADED = ("matplotlib_inline.backend_inline",)
MAX_REQUEST = 1 << 20


def preload() -> None:
    """Import what every chapter imports, in the environment a kernel has: ipykernel sets the
    inline backend before anything imports matplotlib."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in PRELOAD:
        importlib.import_module(name)
    for package in LIBRARY_PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if info.name not in NOT_CHAPTER_CODE:
                importlib.import_module(info.name)
    for name in NOT_PRELOADED:
        if name in sys.modules:
            raise RuntimeError(f"the zygote must not import {name}")
    # What the imports made lives as long as the kernel: out of the collector's sight, each of
    # its full collections scans only what the chapter made (without, they scan the libraries'
    # hundreds of thousands of objects: 0.1 s of a chapter's second).
    gc.freeze()


def set_process_name(name: bytes) -> None:
    """The name `ps` and /proc/<pid>/comm show (Linux), so a forked kernel can be told apart."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, ctypes.c_char_p(name), 0, 0, 0)  # PR_SET_NAME


def become_kernel(request: dict, streams: list[int], keep_closed: list[int]) -> int:
    """In the forked child: turn into `python -m ipykernel_launcher ARGS` and run the kernel."""
    os.setsid()  # its own process group, as jupyter_client starts kernels
    for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for fd in keep_closed:
        with contextlib.suppress(OSError):
            os.close(fd)
    for target, fd in enumerate(streams):
        os.dup2(fd, target)
        os.close(fd)
    set_process_name(KERNEL_NAME)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # jupyter_client's launcher names the kernel's parent, whose end ends the kernel: here the
    # zygote (ipykernel read the variable when the zygote imported it, so it is passed on too).
    parent = os.getppid()
    os.environ["JPY_PARENT_PID"] = str(parent)
    import numpy as np

    np.random.seed()  # a fresh global state, as a new process has (random reseeds by itself)
    import ipykernel_launcher

    argv = request["argv"]
    if argv[1:3] != ["-m", "ipykernel_launcher"]:
        raise RuntimeError(f"not an ipykernel command: {argv}")
    sys.argv = [ipykernel_launcher.__file__, *argv[3:]]
    sys.path[0] = os.getcwd()  # `python -m` puts the working folder first
    from ipykernel import kernelapp

    try:
        kernelapp.IPKernelApp.launch_instance(parent_handle=parent)
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def fork_kernel(connection: socket.socket, keep_closed: list[int]) -> int | None:
    """Read one request and fork its kernel; the child never returns from here."""
    message, fds, _, _ = socket.recv_fds(connection, MAX_REQUEST, 3)
    if not message or len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return None
    request = json.loads(message)
    pid = run_forked(
        lambda: become_kernel(request, fds, [connection.fileno(), *keep_closed]), "forked kernel"
    )
    for fd in fds:
        os.close(fd)
    print(f"forked kernel {pid} in {request['cwd']}", file=sys.stderr, flush=True)
    connection.send(f"pid {pid}".encode())
    return pid


def listen(address: str) -> socket.socket:
    """Bound before the imports: a client may connect at once; its request waits for them."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(address + ".binding")
    listener.listen(64)
    os.rename(address + ".binding", address)  # the socket appears ready to connect to
    return listener


def serve(listener: socket.socket, address: str) -> None:
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "parent")
    kernels: dict[int, socket.socket] = {}
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for key, _ in selector.select(timeout=0.05):
                if key.data == "parent":
                    if not os.read(sys.stdin.fileno(), 4096):
                        stopping = True  # the build ended
                elif key.data == "accept":
                    connection, _ = listener.accept()
                    keep_closed = [listener.fileno(), sys.stdin.fileno(), selector.fileno()]
                    keep_closed += [c.fileno() for c in kernels.values()]
                    pid = fork_kernel(connection, keep_closed)
                    if pid is None:
                        connection.close()
                    else:
                        kernels[pid] = connection
            reap(kernels)
    finally:
        for pid in kernels:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        for pid in list(kernels):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            kernels.pop(pid).close()
        listener.close()
        with contextlib.suppress(OSError):
            os.unlink(address)


def reap(kernels: dict[int, socket.socket]) -> None:
    """Tell each ended kernel's client how it ended."""
    while kernels:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        code = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        print(f"kernel {pid} ended: exit {code}, {cpu:.1f} s of CPU", file=sys.stderr, flush=True)
        connection = kernels.pop(pid, None)
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.send(f"exit {code}".encode())
            connection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m analysis.runner.zygote")
    parser.add_argument("--root", type=Path, required=True, help="the project being built")
    parser.add_argument("socket", help="path of the Unix socket to listen on")
    args = parser.parse_args(argv)
    # Ctrl-C reaches the whole terminal's process group: the build stops the zygote itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listener = listen(args.socket)
    print(f"zygote for {args.root.resolve()}", file=sys.stderr, flush=True)
    preload()
    serve(listener, args.socket)


if __name__ == "__main__":
    main()
    # Nothing is left to write: end without tearing down the interpreter, which with these
    # libraries imported takes 0.6 s that every build would wait for.
    sys.stderr.flush()
    os._exit(0)
