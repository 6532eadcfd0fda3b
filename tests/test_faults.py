"""Faults while building: a chapter that fails, a kernel that dies, a chapter past its time
limit, a build interrupted in the middle, two builds at once. Each runs the real command (which
executes warm: kernels forked from the zygote) on a copy of a built project and checks that the
published site, results/indicators.csv and the inputs are as they were, that nothing half-made
is left, that no process of the build outlives it (the zygote and its kernels included), and
that the next build works without cleaning up."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from conftest import PROJECT, run_cli
from test_bad_inputs import (
    assert_site_complete,
    assert_site_unchanged,
    input_checksums,
    leftovers,
    results_bytes,
    site_state,
)

from analysis.inputs.locations import PROJECT_ROOT_VARIABLE
from analysis.runner.build import CACHE_DIR, SITE_LINK
from analysis.runner.zygote import KERNEL_NAME

pytestmark = pytest.mark.book

STARTUP_TIMEOUT = 180  # seconds until a chapter is executing
STOP_TIMEOUT = 300  # seconds an interrupted build may take to stop (running chapters end first)


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project (the site link is relative, so it stays valid)."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def build_processes(project: Path) -> list[str]:
    """Processes of a build of this project still alive: the command, its workers and the
    zygote with the kernels it forked (their command line names the project) and kernels
    started anew (their environment names it). Each as "pid: [name] command line"."""
    root = str(project).encode()
    variable = f"{PROJECT_ROOT_VARIABLE}={project}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            arguments = (proc / "cmdline").read_bytes().split(b"\0")
            environment = (proc / "environ").read_bytes().split(b"\0")
            name = (proc / "comm").read_text().strip()
        except OSError:  # ended meanwhile
            continue
        if root in arguments or variable in environment:
            command = b" ".join(arguments).decode(errors="replace")[:160]
            found.append(f"{proc.name}: [{name}] {command}")
    return found


FORKED = f"[{KERNEL_NAME.decode()}]"


def kernels(project: Path) -> list[str]:
    """Kernels started anew (ipykernel_launcher) and kernels forked from the zygote."""
    return [line for line in build_processes(project) if "ipykernel" in line or FORKED in line]


def zygote_folders(project: Path) -> set[Path]:
    """The folders of the sockets of this project's zygotes (their log names the project's
    chapters as it forks their kernels): a build removes its own when it ends."""
    found = set()
    for folder in Path(tempfile.gettempdir()).glob("analysis-zygote-*"):
        with contextlib.suppress(OSError):
            if str(project) in (folder / "zygote.log").read_text(errors="replace"):
                found.add(folder)
    return found


def wait_for_no_process(project: Path, grace: float = 15.0) -> list[str]:
    deadline = time.monotonic() + grace
    while (alive := build_processes(project)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def end_processes(project: Path) -> None:
    """After a test failed: end what its build left running (by process id, only ours)."""
    for line in build_processes(project):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line.split(":", 1)[0]), signal.SIGKILL)


def start_build(project: Path, *options: str) -> subprocess.Popen[str]:
    """The real build command, in its own session like a command typed in a terminal."""
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "--root", str(project), "build", *options],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_until_executing(project: Path, process: subprocess.Popen[str]) -> list[str]:
    """Until a chapter is running: its partial folder exists and a kernel executes it. Returns
    the kernels seen."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the build ended before executing anything:\n{out}\n{err}")
        partial = list((project / CACHE_DIR).glob("*.partial-*"))
        running = kernels(project)
        if partial and running:
            return running
        time.sleep(0.1)
    process.kill()
    end_processes(project)
    pytest.fail(f"no chapter was executing after {STARTUP_TIMEOUT} s")


def finish(process: subprocess.Popen[str], project: Path, timeout: float) -> tuple[str, str]:
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: only this build
        end_processes(project)
        out, err = process.communicate()
        pytest.fail(f"the build did not stop within {timeout} s:\n{out}\n{err}")


def insert_cell(path: Path, source: str) -> tuple[bytes, nbformat.NotebookNode, int]:
    """A code cell after the chapter's opening cell; the notebook as it was, as it is now and
    the index of the opening cell."""
    original = path.read_bytes()
    notebook = nbformat.read(path, as_version=4)
    opening = next(
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and "open_chapter(" in cell.source
    )
    notebook.cells.insert(opening + 1, nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, path)
    return original, notebook, opening


def test_a_failing_chapter_is_named_and_nothing_is_published(project: Path) -> None:
    path = project / "chapters" / "children.ipynb"
    original, notebook, opening = insert_cell(path, 'raise RuntimeError("boom")')
    # Its execution count: the code cells up to it, and the parameters papermill injects.
    cell = sum(1 for c in notebook.cells[: opening + 2] if c.cell_type == "code") + 1
    site_before = site_state(project)
    results_before = results_bytes(project)
    inputs_before = input_checksums(project)

    result = run_cli("--root", str(project), "build")

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: chapter 'children' failed in cell {cell}: RuntimeError: boom"]
    assert "nothing was published" in result.stderr
    assert_site_unchanged(project, site_before)
    assert results_bytes(project) == results_before
    assert input_checksums(project) == inputs_before
    assert leftovers(project) == []
    assert wait_for_no_process(project) == []

    path.write_bytes(original)
    again = run_cli("--root", str(project), "build")

    assert again.returncode == 0, again.stdout + again.stderr
    assert_site_complete(project)
    assert results_bytes(project) == results_before


@pytest.mark.parametrize(
    ("how", "signals", "to_group"),
    [
        pytest.param("Ctrl-C in a terminal", [signal.SIGINT], True, id="ctrl-c"),
        pytest.param("SIGINT to the command", [signal.SIGINT], False, id="sigint"),
        pytest.param("SIGTERM to the command", [signal.SIGTERM], False, id="sigterm"),
        pytest.param(
            "Ctrl-C pressed twice", [signal.SIGINT, signal.SIGINT], True, id="ctrl-c-twice"
        ),
    ],
)
def test_an_interrupted_build_loses_nothing_and_leaves_nothing(
    project: Path, how: str, signals: list[signal.Signals], to_group: bool
) -> None:
    site_before = site_state(project)
    results_before = results_bytes(project)
    inputs_before = input_checksums(project)
    assert kernels(project) == []
    zygotes_before = zygote_folders(project)
    build = start_build(project, "--force")
    running = wait_until_executing(project, build)
    assert all(FORKED in line for line in running), running  # warm execution

    for number, signum in enumerate(signals):
        if number:
            time.sleep(1.0)
        if to_group:
            os.killpg(build.pid, signum)
        else:
            build.send_signal(signum)
    out, err = finish(build, project, STOP_TIMEOUT)

    assert build.returncode == 130, f"{how}: {out}\n{err}"
    assert "Traceback" not in out + err
    assert "interrupted: nothing was published" in err
    assert wait_for_no_process(project) == [], f"{how}: processes of the build are left"
    assert zygote_folders(project) <= zygotes_before
    assert leftovers(project) == []
    assert_site_unchanged(project, site_before)
    assert results_bytes(project) == results_before
    assert input_checksums(project) == inputs_before

    again = run_cli("--root", str(project), "build")

    assert again.returncode == 0, again.stdout + again.stderr
    assert_site_complete(project)
    assert results_bytes(project) == results_before
    assert leftovers(project) == []


def test_a_second_build_refuses_while_the_first_runs(project: Path) -> None:
    site_before = site_state(project)
    results_before = results_bytes(project)
    first = start_build(project, "--force")
    wait_until_executing(project, first)

    second = run_cli("--root", str(project), "build")
    check = run_cli("--root", str(project), "check")  # reading needs no lock
    out, err = finish(first, project, 600)

    assert second.returncode == 3, second.stdout + second.stderr
    assert "another build is running" in second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    assert check.returncode == 0, check.stdout + check.stderr
    assert first.returncode == 0, out + err
    assert "Traceback" not in out + err
    assert_site_complete(project)
    assert os.readlink(project / SITE_LINK) != site_before.target, "the first build published"
    assert results_bytes(project) == results_before
    assert leftovers(project) == []
    assert wait_for_no_process(project) == []


@pytest.mark.parametrize(
    ("cell", "options", "error"),
    [
        pytest.param(
            "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
            [],
            "error: chapter 'children' failed: its kernel died",
            id="kernel-dies",
        ),
        pytest.param(
            "import time\ntime.sleep(3600)",
            ["--timeout", "5"],
            "error: chapter 'children' stopped at its time limit: A cell timed out while it was "
            "being executed, after 5 seconds. (build --timeout sets the limit)",
            id="past-time-limit",
        ),
    ],
)
def test_a_kernel_that_dies_or_hangs_stops_the_build_cleanly(
    project: Path, cell: str, options: list[str], error: str
) -> None:
    path = project / "chapters" / "children.ipynb"
    original, _, _ = insert_cell(path, cell)
    site_before = site_state(project)
    results_before = results_bytes(project)
    inputs_before = input_checksums(project)
    zygotes_before = zygote_folders(project)

    result = run_cli("--root", str(project), "build", *options)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    assert errors[0].startswith(error), output
    assert "nothing was published" in result.stderr
    assert_site_unchanged(project, site_before)
    assert results_bytes(project) == results_before
    assert input_checksums(project) == inputs_before
    assert leftovers(project) == []
    assert wait_for_no_process(project) == [], "the zygote or a kernel is left"
    assert zygote_folders(project) <= zygotes_before

    path.write_bytes(original)
    insert_cell(path, "pass")  # the chapter changed: the next build executes it, warm again
    again = run_cli("--root", str(project), "build")

    assert again.returncode == 0, again.stdout + again.stderr
    assert "(1 executed: children)" in again.stdout
    assert_site_complete(project)
    assert results_bytes(project) == results_before
    assert wait_for_no_process(project) == []
