"""The link from every page to the same page in the other edition (a Sphinx extension).

The runner writes `book_edition` into each edition's configuration (see
`analysis.runner.editions.edition_config`): the other edition's language, its label and the
path from this edition's root to its root. Each page then starts with a link to its twin and
declares it in its head (`<link rel="alternate" hreflang>`), so readers and search engines
find the other language.
"""

from __future__ import annotations

import html
from typing import Any

from sphinx.application import Sphinx


def twin_href(pagename: str, other_root: str, suffix: str) -> str:
    """The relative link from page `pagename` to the same page in the other edition."""
    return "../" * pagename.count("/") + other_root + pagename + suffix


def add_edition_switch(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    edition = app.config.book_edition
    if not edition:
        return
    href = html.escape(twin_href(pagename, edition["other_root"], app.builder.link_suffix))
    lang = html.escape(edition["other_lang"])
    label = html.escape(edition["other_label"])
    context["metatags"] = (
        context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{lang}" href="{href}" />'
    )
    if "body" in context:
        switch = (
            f'<p class="book-edition-switch"><a href="{href}" hreflang="{lang}" lang="{lang}">'
            f"{label}</a></p>"
        )
        context["body"] = switch + context["body"]


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_config_value("book_edition", {}, "html")
    app.connect("html-page-context", add_edition_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
