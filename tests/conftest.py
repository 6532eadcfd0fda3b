"""Shared fixtures: a throw-away copy of a small, valid project to break on purpose."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
MINIMAL = PROJECT / "tests" / "fixtures" / "minimal"


def copy_minimal_project(destination: Path) -> Path:
    """The minimal fixture with the real report text beside it."""
    shutil.copytree(MINIMAL, destination, dirs_exist_ok=True)
    (destination / "data" / "source").mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "data" / "source" / "report.txt", destination / "data" / "source")
    return destination


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    return copy_minimal_project(tmp_path / "project")


def run_cli(
    *args: str, cwd: Path = PROJECT, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """The real command, as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's sources, built once with the real command (shared by the book,
    browser and PDF tests; tests that change it work on a copy of it), with its PDFs where
    Chromium is installed (`build --pdf`: then every page links to them)."""
    from analysis.runner.build import copy_sources
    from analysis.runner.pdf import chromium_problem

    project = tmp_path_factory.mktemp("book") / "project"
    copy_sources(PROJECT, project)
    pdf = [] if chromium_problem() else ["--pdf"]
    result = run_cli("--root", str(project), "build", *pdf, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    return project
