"""The library's layers: a module imports only from its own layer or the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analysis"
# Lowest first; the top-level modules (cli, __main__, the package docstring) sit above all.
LAYERS = ("core", "inputs", "methods", "book", "runner")
TOP = len(LAYERS)


def layer_of(module: str) -> int:
    """The rank of a module named "analysis.x.y" (or "analysis.x")."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def imported_modules(path: Path) -> set[str]:
    """Every module of the package that a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("analysis")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis"):
            module = node.module or ""
            found |= (
                {f"{module}.{alias.name}" for alias in node.names}
                if module == "analysis"
                else {module}
            )
    return found


def module_name(path: Path) -> str:
    return ".".join(("analysis", *path.relative_to(PACKAGE).with_suffix("").parts))


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    own = layer_of(module_name(path))
    higher = sorted(m for m in imported_modules(path) if layer_of(m) > own)
    assert higher == [], f"{module_name(path)} (layer {own}) imports {higher}"


def test_every_module_is_in_a_layer_or_at_the_top() -> None:
    top_level = {p.name for p in PACKAGE.glob("*.py")}
    assert top_level == {"__init__.py", "__main__.py", "cli.py"}
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(
        LAYERS
    )


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The rule itself: a core module importing the book would be caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from analysis.book.charts import use_book_style\n")
    assert layer_of("analysis.core.bad") < max(layer_of(m) for m in imported_modules(bad))


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_holds_and_may_import(layer: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text("utf-8")))
    assert doc and "Imports:" in doc
