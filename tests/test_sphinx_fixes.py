"""The site's page templates are compiled once and kept: used again while their source and the
template settings are the same, compiled again when either changes. Headings a notebook's
output writes join the page's contents."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2

from analysis.book.markup import output_heading
from analysis.book.sphinx_fixes import (
    contents_with_output_headings,
    keep_compiled_templates,
    output_headings,
)


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


# Sphinx's contents of a page with a title only, and of one with two sections.
TITLE_ONLY = '<ul>\n<li><a class="reference internal" href="#">Cards</a></li>\n</ul>\n'
WITH_SECTIONS = (
    '<ul>\n<li><a class="reference internal" href="#">Cards</a><ul>\n'
    '<li><a class="reference internal" href="#a">A</a></li>\n'
    '<li><a class="reference internal" href="#b">B</a></li>\n'
    "</ul>\n</li>\n</ul>\n"
)
CARD = '<li><a class="reference internal" href="#ki-1">第1项　低保 &amp; 特困</a></li>'


def test_an_output_heading_is_read_with_its_anchor_and_escaped_title() -> None:
    body = (
        "<p>before</p>"
        + output_heading(3, "ki-1", "第1项　低保 & 特困", "book-card-title")
        + '<h3 id="x">not an output heading<a class="headerlink" href="#x">#</a></h3>'
    )
    assert output_headings(body) == [("ki-1", "第1项　低保 &amp; 特困")]


def test_output_headings_go_under_the_title_after_the_sections() -> None:
    headings = [("ki-1", "第1项　低保 &amp; 特困")]
    assert contents_with_output_headings(TITLE_ONLY, headings) == (
        f'<ul>\n<li><a class="reference internal" href="#">Cards</a><ul>{CARD}</ul></li>\n</ul>\n'
    )
    assert contents_with_output_headings(WITH_SECTIONS, headings) == WITH_SECTIONS.replace(
        "</li>\n</ul>\n</li>", f"</li>\n{CARD}</ul>\n</li>"
    )
