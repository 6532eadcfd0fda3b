"""Which inputs re-execute which chapter, and that the build record lists every input.

The rule (analysis.runner.sources): shared inputs re-execute every chapter, a chapter's own
files re-execute that chapter, the site's files re-execute nothing but change the site's key.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROJECT

from analysis.inputs.chapters import CHAPTERS
from analysis.runner.build import copy_sources, inputs_hash, site_key
from analysis.runner.sources import input_hashes

EVERY_CHAPTER = {chapter.name for chapter in CHAPTERS}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("inputs") / "project"
    copy_sources(PROJECT, copy)
    return copy


def touch(project: Path, relative: str) -> tuple[set[str], bool]:
    """Append a byte to one file; which chapters' cache keys changed, and the site's key?"""
    before = {chapter.name: inputs_hash(project, chapter) for chapter in CHAPTERS}
    site_before = site_key(project)
    path = project / relative
    original = path.read_bytes()
    path.write_bytes(original + b"\n")
    try:
        after = {chapter.name: inputs_hash(project, chapter) for chapter in CHAPTERS}
        site_changed = site_key(project) != site_before
    finally:
        path.write_bytes(original)
    return {name for name in before if before[name] != after[name]}, site_changed


def library_files() -> list[str]:
    """One module of every sub-package of the library, and the top-level package."""
    folders = sorted({path.parent for path in (PROJECT / "src" / "analysis").rglob("*.py")})
    assert len(folders) >= 5, folders  # analysis and its sub-packages
    return [str(sorted(folder.glob("*.py"))[0].relative_to(PROJECT)) for folder in folders]


@pytest.mark.parametrize(
    ("relative", "chapters"),
    [
        ("parameters/children.yaml", {"children"}),
        ("chapters/overview.ipynb", {"overview"}),
        ("data/README.md", {"data_appendix"}),
        ("data/README.zh.md", {"data_appendix"}),
        ("data/datapackage.json", {"data_appendix"}),
        ("data/targets.csv", EVERY_CHAPTER),
        ("data/observations.csv", EVERY_CHAPTER),
        ("data/source/report.txt", EVERY_CHAPTER),
        ("requirements.lock", EVERY_CHAPTER),
        ("_config.yml", set()),
        ("_toc.yml", set()),
        ("book_static/book.css", set()),
        ("results/datapackage.json", set()),
    ],
)
def test_each_input_re_executes_what_depends_on_it(
    project: Path, relative: str, chapters: set[str]
) -> None:
    changed, site_changed = touch(project, relative)
    assert changed == chapters
    assert site_changed


@pytest.mark.parametrize("relative", library_files())
def test_a_module_in_any_part_of_the_library_re_executes_every_chapter(
    project: Path, relative: str
) -> None:
    assert touch(project, relative) == (EVERY_CHAPTER, True)


def test_a_new_module_in_a_new_sub_package_is_an_input(project: Path) -> None:
    new = project / "src" / "analysis" / "methods" / "extra" / "added.py"
    before = inputs_hash(project, CHAPTERS[0])
    new.parent.mkdir()
    new.write_text("VALUE = 1\n")
    try:
        assert inputs_hash(project, CHAPTERS[0]) != before
        assert "src/analysis/methods/extra/added.py" in input_hashes(project)
    finally:
        new.unlink()
        new.parent.rmdir()


def test_the_build_record_lists_every_input() -> None:
    listed = set(input_hashes(PROJECT))
    expected = {
        "data/README.md",
        "data/README.zh.md",
        "data/datapackage.json",
        "data/observations.csv",
        "data/series.csv",
        "data/source/report.txt",
        "book_static/book.css",
        "_config.yml",
        "_toc.yml",
        "results/datapackage.json",
        "requirements.lock",
        "pyproject.toml",
        "src/analysis/cli.py",
        "src/analysis/methods/assessment.py",
        "src/analysis/runner/sources.py",
        *(chapter.notebook for chapter in CHAPTERS),
        *(chapter.parameter_file for chapter in CHAPTERS if chapter.parameter_file),
    }
    assert expected <= listed
    assert not any("__pycache__" in path for path in listed)
