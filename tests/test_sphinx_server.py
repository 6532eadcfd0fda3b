"""The site server: it builds each edition in a process forked from it, learns what a build
imports, reports a failed build with its output, and leaves no process behind when it is
stopped or killed in the middle of a build."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from analysis.runner.sphinx_server import MODULES_FILE, SphinxServer
from analysis.runner.state import BuildFailure

# A one-page book whose extension (a local one) announces that the build has started and then
# hangs, so that the server can be stopped while a build runs.
CONFIG = """title: test
only_build_toc_files: true
execute:
  execute_notebooks: "off"
sphinx:
  local_extensions:
    hang: ./
"""
TOC = "format: jb-book\nroot: intro\n"
HANG = """import os, time
from pathlib import Path

def setup(app):
    Path(os.environ["HANG_MARKER"]).write_text(str(os.getpid()))
    time.sleep(120)
    return {}
"""


def tiny_book(folder: Path, hang: bool) -> Path:
    folder.mkdir(parents=True)
    (folder / "_config.yml").write_text(CONFIG if hang else CONFIG.split("sphinx:")[0])
    (folder / "_toc.yml").write_text(TOC)
    (folder / "intro.md").write_text("# Intro\n\nA page.\n")
    (folder / "hang.py").write_text(HANG)
    return folder


def processes_of(root: Path) -> list[int]:
    """The server and the site builds it forked (their command line names the project)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                arguments = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if str(root).encode() in arguments and b"analysis.runner.sphinx_server" in arguments:
                found.append(int(proc.name))
    return found


def wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_server_builds_a_site_and_learns_what_the_build_imports(tmp_path: Path) -> None:
    root = stage = tiny_book(tmp_path / "project", hang=False)
    # A module it imports ahead that prints, or that no longer exists, changes nothing.
    (root / "noisy.py").write_text("print('{not an answer')\n")
    (root / MODULES_FILE).parent.mkdir()
    (root / MODULES_FILE).write_text("noisy\nno_such_module\nsphinx\n")
    with SphinxServer(root) as server:
        process = server.process
        [(code, output)] = server.build([stage])
        assert code == 0, output
        assert (stage / "_build" / "html" / "intro.html").is_file()
        learned = (root / MODULES_FILE).read_text().split()
        assert {"sphinx.application", "myst_nb", "jupyter_book.cli.main"} <= set(learned)
        (stage / "intro.md").write_text("# Intro\n\n```{nonsense}\n```\n")  # an unknown directive
        [(code, output)] = server.build([stage])  # the same server builds again
        assert code != 0
        assert "nonsense" in output
    # Stopped while it imports ahead for a next build, it ends as asked, not with an error.
    assert process is not None and process.returncode == 0
    assert wait_for(lambda: processes_of(root) == [], 10)


@pytest.mark.parametrize("how", ["stopped", "killed"])
def test_a_server_ended_during_a_build_leaves_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    root = stage = tiny_book(tmp_path / "project", hang=True)
    marker = tmp_path / "building"
    monkeypatch.setenv("HANG_MARKER", str(marker))
    server = SphinxServer(root)
    server.start()
    failures: list[BaseException] = []

    def build() -> None:
        try:
            server.build([stage])
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=build)
    thread.start()
    try:
        assert wait_for(marker.is_file), "the site build did not start"
        site_build = int(marker.read_text())
        assert site_build in processes_of(root)  # forked by the server
        if how == "stopped":
            server.stop()  # as a build does when it is interrupted
        else:
            assert server.process is not None
            os.kill(server.process.pid, signal.SIGKILL)
        thread.join(30)
        assert not thread.is_alive()
        assert len(failures) == 1 and isinstance(failures[0], BuildFailure), failures
        assert wait_for(lambda: processes_of(root) == [], 10), processes_of(root)
    finally:
        server.stop()
        for pid in processes_of(root):
            os.kill(pid, signal.SIGKILL)
