"""The site server: one process that imports Jupyter Book, Sphinx and the book's extensions
once, and builds each edition's site in a process forked from it.

A site build started anew spends about half its time importing (Jupyter Book, Sphinx, myst-nb,
the themes and extensions, jupyter-cache with SQLAlchemy, IPython...), most of it on modules
that an extension imports only while the build runs. The build starts the server with the
zygote, so that it imports while the chapters execute; after them, each edition only builds.
`analysis preview` keeps one server for every rebuild. It runs at a lower priority than the
zygote and the kernels (whose imports every chapter waits for), and so do its site builds.

Which modules a site build imports is learned: each forked build writes the names of the
modules it had imported to `_build/sphinx-modules.txt`, and the next server imports them when it
starts. Without that list (a clean project) it imports the extensions the book's configuration
names. A module that no longer imports is passed over: importing ahead is only a head start,
and the build itself imports what it needs. Caches that every build fills the same way are
filled here too (`warm_ahead`); the page templates are compiled once and kept on disk by the
book's extension (`analysis.book.sphinx_fixes.keep_compiled_templates`).

    python -m analysis.runner.sphinx_server --root PROJECT

Protocol, one JSON line each way: the client writes {"stages": [...]}; the server forks one
`jupyter-book build STAGE` per stage, side by side, and answers {"results": [[code, output],
...]} in the same order. It serves until its standard input closes (the build ended, however it
ended), or until SIGTERM; then it kills any site build still running and ends. A site build
dies with the server (Linux's parent-death signal).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

from analysis.runner.lean import jupyter_book, leave_out_unused_imports
from analysis.runner.processes import run_forked, stop_process
from analysis.runner.sources import library_digest
from analysis.runner.state import BUILD_DIR, BuildFailure

MODULES_FILE = f"{BUILD_DIR}/sphinx-modules.txt"
STOP_TIMEOUT = 10.0
PR_SET_PDEATHSIG = 1
NICENESS = 10


def sphinx_arguments(stage: Path) -> list[str]:
    """`jupyter-book build` of one edition's stage: warnings are errors, all of them reported."""
    return ["build", str(stage), "--builder", "html", "-n", "-W", "--keep-going", "--quiet"]


# --- the server ---------------------------------------------------------------------------


def configured_extensions(root: Path) -> list[str]:
    """The Sphinx extensions and theme Jupyter Book loads for the book's _config.yml."""
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(
        user_yaml=root / "_config.yml",
        cli_config={"latex_individualpages": False},
        sourcedir=root,
    )
    return [*config.get("extensions", []), config.get("html_theme", "")]


def modules_to_import(root: Path) -> list[str]:
    learned = root / MODULES_FILE
    if learned.is_file():
        return learned.read_text(encoding="utf-8").split()
    try:
        return configured_extensions(root)
    except Exception:  # a configuration the site build itself will report on
        return []


def import_ahead(names: list[str]) -> None:
    for name in names:
        if name and name not in sys.modules:
            # A module that no longer imports (or fails outside a build) is left to the build.
            with contextlib.suppress(Exception):
                importlib.import_module(name)


def warm_ahead() -> None:
    """Fill, once for every site build forked from here, a cache each build would fill the
    same way: soupsieve compiles the regular expressions of its CSS grammar at the first
    selector (0.1 s), and the theme selects with CSS in every page's navigation."""
    soupsieve = sys.modules.get("soupsieve")
    if soupsieve is not None:
        with contextlib.suppress(Exception):  # a head start only, as the imports are
            soupsieve.compile("li.toctree-l1 > details, .toc-h1")


def imported_modules() -> list[str]:
    """What this process has imported, in the order it did (what to import ahead next time)."""
    return [
        name
        for name, module in list(sys.modules.items())
        if module is not None and not name.startswith("__")
    ]


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def die_with_parent() -> None:
    """Have Linux send this process SIGKILL when its parent, the server, ends."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def fork_site_build(root: Path, stage: Path, output: IO[bytes], answers: IO[str]) -> int:
    """Fork one edition's site build, its output going to `output` (never to the server's
    `answers`); returns its pid."""

    def site_build() -> int:
        die_with_parent()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.close(answers.fileno())
        with open(os.devnull, "rb") as nothing:
            os.dup2(nothing.fileno(), 0)
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        code = jupyter_book(sphinx_arguments(stage))
        with contextlib.suppress(OSError):
            write_atomically(root / MODULES_FILE, "\n".join(imported_modules()) + "\n")
        return code

    return run_forked(site_build, "site build")


def build_sites(
    root: Path, stages: list[Path], running: dict[int, Path], answers: IO[str]
) -> list[list]:
    """Every stage's site, side by side, each in a forked process: [[code, output], ...]."""
    with contextlib.ExitStack() as files:
        outputs = [files.enter_context(tempfile.TemporaryFile()) for _ in stages]
        pids = []
        for stage, output in zip(stages, outputs, strict=True):
            pids.append(fork_site_build(root, stage, output, answers))
            running[pids[-1]] = stage
        results = []
        for pid, output in zip(pids, outputs, strict=True):
            _, status = os.waitpid(pid, 0)
            del running[pid]
            output.seek(0)
            text = output.read().decode("utf-8", errors="replace")
            results.append([os.waitstatus_to_exitcode(status), text])
        return results


def serve(root: Path, answers: IO[str]) -> None:
    running: dict[int, Path] = {}

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        for line in sys.stdin:
            stages = [Path(stage) for stage in json.loads(line)["stages"]]
            results = build_sites(root, stages, running, answers)
            answers.write(json.dumps({"results": results}) + "\n")
            answers.flush()
            import_ahead(modules_to_import(root))  # what that build learned, for the next
            warm_ahead()
            gc.freeze()
    finally:
        for pid in running:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in running:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m analysis.runner.sphinx_server")
    parser.add_argument("--root", type=Path, required=True, help="the project being built")
    args = parser.parse_args(argv)
    # Ctrl-C reaches the whole terminal's process group: the build stops the server itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The answers go to the client on the standard output it was given; anything else this
    # process prints (a module that prints when imported) goes to its log.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # Below the zygote and the kernels: its imports are not needed until the chapters have
    # run, and on two cores they would otherwise slow the zygote's, which are.
    os.nice(NICENESS)
    leave_out_unused_imports()
    import_ahead(["jupyter_book.cli.main", *modules_to_import(args.root)])
    warm_ahead()
    # What the imports made is kept for good: a site build's full collections then scan only
    # what it made (see `analysis.runner.zygote.preload`).
    gc.freeze()
    print("ready", file=sys.stderr, flush=True)
    serve(args.root, answers)


# --- the client ---------------------------------------------------------------------------


class SphinxServer:
    """The site server of one build, or of a preview's every rebuild: once started it imports
    in the background; `build(stages)` builds them; `stop()` (or the block's end) ends it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.process: subprocess.Popen[str] | None = None
        self.folder: Path | None = None

    def __enter__(self) -> SphinxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="analysis-sphinx-"))
        with open(self.folder / "server.log", "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "analysis.runner.sphinx_server", "--root", str(self.root)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                cwd=self.root,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def build(self, stages: list[Path]) -> list[tuple[int, str]]:
        """Each stage's exit code and output, in order; a BuildFailure if the server ended."""
        process = self.process
        assert process is not None and process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps({"stages": [str(s) for s in stages]}) + "\n")
            process.stdin.flush()
            answer = process.stdout.readline()
        except (BrokenPipeError, ValueError):
            answer = ""
        if not answer:
            raise BuildFailure(f"the site's build server ended: {self.last_words()}")
        try:
            return [(int(code), str(output)) for code, output in json.loads(answer)["results"]]
        except (ValueError, KeyError, TypeError):
            raise BuildFailure(f"the site's build server answered {answer[:200]!r}") from None

    def last_words(self) -> str:
        log = self.folder / "server.log" if self.folder else None
        lines = log.read_text(errors="replace").strip().splitlines() if log else []
        return lines[-1] if lines else "no message"

    def stop(self) -> None:
        """End it, with any site build it is running, and wait for it."""
        if self.process is not None:
            stop_process(self.process, STOP_TIMEOUT)  # it kills a site build still running
            self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class KeptSphinxServer:
    """A site server kept between builds (by `analysis preview`): started again only when the
    library it imported has changed (the book's extensions are part of it) or when it has
    ended; `stop` ends it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.server: SphinxServer | None = None
        self.digest: str | None = None

    def current(self) -> SphinxServer:
        digest = library_digest(self.root)
        if self.server is None or not self.server.alive() or digest != self.digest:
            self.stop()
            self.server = SphinxServer(self.root)
            self.server.start()
            self.digest = digest
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        self.server = self.digest = None


if __name__ == "__main__":
    # However it ends (its input closed, or SIGTERM while it imports ahead for a next build),
    # without tearing down the interpreter: with Sphinx and its extensions imported that takes
    # 0.4 s, which the build waits for.
    code = 1
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
