"""Every chapter notebook runs top to bottom as "Run All" in JupyterLab runs it from `chapters/`.

Not through the runner: no papermill, no injected parameters, no environment variables naming
the project. The kernel starts in `chapters/` of a copy of the project, finds the project above
it, and each notebook reads its committed parameter file itself (its parameters cell is
`parameters = None`). The copy keeps the repository untouched: a notebook run by hand writes its
CSVs under `_build/interactive` of the project it runs in.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import PROJECT
from nbclient import NotebookClient

from analysis.inputs.chapters import CHAPTERS, chapter_named
from analysis.inputs.locations import OUTPUT_DIR_VARIABLE, PROJECT_ROOT_VARIABLE
from analysis.runner.build import copy_sources

pytestmark = pytest.mark.slow  # about a minute for the chapters

CELL_TIMEOUT = 300  # seconds; a cell of the slowest chapter takes a few
WATCHED = ("chapters", "parameters", "data", "_build/interactive")  # what a hand run could touch


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("in_place") / "project"
    copy_sources(PROJECT, copy)
    return copy


@pytest.fixture(autouse=True)
def as_an_analyst_runs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner's variables would point the kernel elsewhere; an analyst's shell has neither."""
    monkeypatch.delenv(PROJECT_ROOT_VARIABLE, raising=False)
    monkeypatch.delenv(OUTPUT_DIR_VARIABLE, raising=False)
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "1")  # the environment's kernel, as make lab


def repository_files() -> dict[str, int]:
    """The repository's files that running a notebook by hand could change, with their mtimes."""
    return {
        str(path.relative_to(PROJECT)): path.stat().st_mtime_ns
        for folder in WATCHED
        for path in (PROJECT / folder).rglob("*")
        if path.is_file()
    }


def run_all(path: Path) -> nbformat.NotebookNode:
    """Execute the notebook at `path` with its own kernel, in its own folder, every cell in
    order (errors do not stop it, so that all of them are reported); return it executed."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name=notebook.metadata.kernelspec.name,
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},  # the kernel's working folder
    ).execute()
    return notebook


def problems_in(notebook: nbformat.NotebookNode) -> list[str]:
    """Error outputs and anything written to stderr, cell by cell (both show as red boxes)."""
    found = []
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {number}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {number} wrote to stderr: {output.text.strip()[:300]}")
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter.name)
def test_notebook_runs_in_place_without_error(project: Path, chapter) -> None:
    before = repository_files()
    notebook = run_all(project / chapter.notebook)
    assert problems_in(notebook) == []
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count for cell in code)
    parameters_cells = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters_cells) == chapter.is_parameterized  # and it injected nothing
    assert repository_files() == before


def test_a_bad_committed_parameter_shows_as_an_error(tmp_path: Path) -> None:
    """The same run reports a failing notebook: a parameter file with a wrong value."""
    chapter = chapter_named("intro")
    copy_sources(PROJECT, tmp_path)
    with (tmp_path / chapter.parameter_file).open("a", encoding="utf-8") as file:
        file.write("target_year: soon\n")
    problems = problems_in(run_all(tmp_path / chapter.notebook))
    assert problems and "target_year" in problems[0], problems
