"""Fixes to the site's Sphinx stack, loaded by _config.yml (sphinx: extra_extensions)."""

from __future__ import annotations

import snowballstemmer
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.search.zh import SearchChinese


class SearchChinesePorter(SearchChinese):
    """Chinese search whose index stems English words with the Porter stemmer, the one its
    search page applies to the query (Sphinx 7 indexes them with snowball "english", so that
    "elderly" is indexed as "elder" but searched as "elderli" and finds nothing)."""

    def init(self, options: dict[str, str]) -> None:
        super().init(options)
        self.stemmer = snowballstemmer.stemmer("porter")


def _add_js_file(self: StandaloneHTMLBuilder, filename: str | None, **kwargs: object) -> None:
    # sphinx-doc/sphinx#13402 (Sphinx 8.2): an inline script added after the builder started
    # is added again as filename "" instead of None, and sphinx-thebe's `const THEBE_JS_URL`
    # is then declared twice on every page (an uncaught SyntaxError).
    _original_add_js_file(self, filename or "", **kwargs)


_original_add_js_file = StandaloneHTMLBuilder.add_js_file


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_search_language(SearchChinesePorter)
    if StandaloneHTMLBuilder.add_js_file is not _add_js_file:
        StandaloneHTMLBuilder.add_js_file = _add_js_file
    return {"parallel_read_safe": True, "parallel_write_safe": True}
