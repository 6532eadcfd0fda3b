"""Which inputs re-execute which chapter (the incremental build's dependency rule)."""

from __future__ import annotations

from pathlib import Path

from conftest import PROJECT

from analysis.build import copy_sources, inputs_hash
from analysis.chapters import CHAPTERS


def hashes(root: Path) -> dict[str, str]:
    return {chapter.name: inputs_hash(root, chapter) for chapter in CHAPTERS}


def changed_after(tmp_path: Path, relative: str) -> set[str]:
    project = tmp_path / "project"
    copy_sources(PROJECT, project)
    before = hashes(project)
    path = project / relative
    path.write_bytes(path.read_bytes() + b"\n")
    after = hashes(project)
    return {name for name in before if before[name] != after[name]}


def test_a_parameter_file_touches_its_chapter_only(tmp_path: Path) -> None:
    assert changed_after(tmp_path, "parameters/children.yaml") == {"children"}


def test_a_notebook_touches_its_chapter_only(tmp_path: Path) -> None:
    assert changed_after(tmp_path, "chapters/overview.ipynb") == {"overview"}


def test_data_library_and_lock_touch_every_chapter(tmp_path: Path) -> None:
    every = {chapter.name for chapter in CHAPTERS}
    assert changed_after(tmp_path, "data/targets.csv") == every
    assert changed_after(tmp_path, "src/analysis/tables.py") == every
    assert changed_after(tmp_path, "requirements.lock") == every


def test_the_data_readme_touches_the_data_appendix_only(tmp_path: Path) -> None:
    assert changed_after(tmp_path, "data/README.md") == {"data_appendix"}
