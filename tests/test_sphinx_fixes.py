"""The site's page templates are compiled once and kept: used again while their source and the
template settings are the same, compiled again when either changes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2

from analysis.book.sphinx_fixes import keep_compiled_templates


def render_page(templates: Path, doctrees: Path, **settings: object) -> tuple[str, list[str]]:
    """The page rendered by a new environment (as in a new site build), and the templates that
    environment had to compile."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), **settings)
    app = SimpleNamespace(
        builder=SimpleNamespace(templates=SimpleNamespace(environment=environment)),
        doctreedir=str(doctrees),
    )
    keep_compiled_templates(app)
    compiled: list[str] = []
    compile_template = environment.compile

    def counting_compile(source: str, name: str | None = None, *args: object) -> object:
        compiled.append(name)
        return compile_template(source, name, *args)

    environment.compile = counting_compile
    return environment.get_template("page.html").render(x=1), compiled


def test_a_template_is_compiled_once_and_again_when_its_source_or_settings_change(
    tmp_path: Path,
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("<p>{{ x }}</p>\n")
    doctrees = tmp_path / "doctrees"

    assert render_page(templates, doctrees) == ("<p>1</p>", ["page.html"])
    assert render_page(templates, doctrees) == ("<p>1</p>", [])  # from the cache

    page.write_text("<b>{{ x }}</b>\n")
    assert render_page(templates, doctrees) == ("<b>1</b>", ["page.html"])
    assert render_page(templates, doctrees) == ("<b>1</b>", [])

    # Other settings compile other code (here the newline is kept): a cache of their own.
    assert render_page(templates, doctrees, keep_trailing_newline=True) == (
        "<b>1</b>\n",
        ["page.html"],
    )
    assert render_page(templates, doctrees) == ("<b>1</b>", [])
    assert len(list(doctrees.glob("templates-*"))) == 2


def test_a_builder_without_jinja_templates_is_left_alone(tmp_path: Path) -> None:
    app = SimpleNamespace(builder=SimpleNamespace(), doctreedir=str(tmp_path / "doctrees"))
    keep_compiled_templates(app)
    assert not (tmp_path / "doctrees").exists()
