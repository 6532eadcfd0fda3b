"""References from the library's docstrings to the book resolve to labels that exist.

The build runs Sphinx with `-n -W`, so a broken cross-reference inside the book fails it; the
library's docstrings are not built, so this test checks the labels they name instead.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABEL_NAMED = re.compile(r"`(methodology-[a-z-]+)`")
LABEL_DEFINED = re.compile(r"^\(([A-Za-z0-9_-]+)\)=$", re.MULTILINE)


def book_labels() -> set[str]:
    labels: set[str] = set()
    for notebook in (ROOT / "chapters").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                labels |= set(LABEL_DEFINED.findall("".join(cell["source"])))
    return labels


def named_labels() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(ROOT)), label)
        for path in sorted((ROOT / "src").rglob("*.py"))
        for label in LABEL_NAMED.findall(path.read_text(encoding="utf-8"))
    ]


def test_the_library_names_sections_by_label() -> None:
    assert named_labels(), "no docstring names a methodology section by its label"


@pytest.mark.parametrize(("module", "label"), named_labels())
def test_a_label_named_in_the_library_exists_in_the_book(module: str, label: str) -> None:
    assert label in book_labels(), f"{module} names `{label}`, which no chapter defines"


def test_no_docstring_points_to_numbered_sections_or_missing_files() -> None:
    stale = re.compile(r"section \d|sections \d|DESIGN\.md")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if stale.search(line)
    ]
    assert found == []
