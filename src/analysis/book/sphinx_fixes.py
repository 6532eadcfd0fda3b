"""Fixes to the site's Sphinx stack, loaded by _config.yml (sphinx: extra_extensions): Chinese
search by character bigrams, a Sphinx bug with inline scripts, page templates kept compiled
between builds, MathJax served with the site instead of from a CDN, and headings written by a
notebook's output listed in the page's contents."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import jinja2
import mathjax
import snowballstemmer
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.search.zh import SearchChinese

from analysis.book.markup import OUTPUT_HEADING

# Runs of Chinese characters (CJK ideographs, with the extension block) and of Latin letters
# and digits; the search index and the search box split text the same way.
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-zA-Z0-9_]+")


def chinese_bigrams(text: str) -> list[str]:
    """Every two adjacent characters of each Chinese run: 养老服务 -> 养老, 老服, 服务.

    A dictionary segmenter (jieba) cuts the page and the query differently: 养老服务 is indexed
    as 养老 and 服务 but searched as one word, and finds nothing. Bigrams are the same on both
    sides; a query's bigrams must all be on a page for it to be found.
    """
    return [run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]


# The same split in the search page's JavaScript (Sphinx calls `splitQuery`).
JS_SPLITTER = r"""
function splitQuery(query) {
  const terms = [];
  for (const run of query.match(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g) || []) {
    if (run.length === 1) terms.push(run);
    for (let i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2));
  }
  for (const word of query.match(/[a-zA-Z0-9_]+/g) || []) terms.push(word);
  return terms;
}
"""


class SearchChineseBigrams(SearchChinese):
    """Chinese search: Chinese text indexed and searched as character bigrams, English words
    with the Porter stemmer, the one the search page applies to the query (Sphinx 7 indexes
    them with snowball "english", so that "elderly" is indexed as "elder" but searched as
    "elderli" and finds nothing)."""

    js_splitter_code = JS_SPLITTER

    def init(self, options: dict[str, str]) -> None:
        super().init(options)
        self.stemmer = snowballstemmer.stemmer("porter")

    def split(self, input: str) -> list[str]:
        latin = _LATIN_WORD.findall(input)
        self.latin_terms.extend(latin)
        return chinese_bigrams(input) + latin


def _add_js_file(self: StandaloneHTMLBuilder, filename: str | None, **kwargs: object) -> None:
    # sphinx-doc/sphinx#13402 (Sphinx 8.2): an inline script added after the builder started
    # is added again as filename "" instead of None, and sphinx-thebe's `const THEBE_JS_URL`
    # is then declared twice on every page (an uncaught SyntaxError).
    _original_add_js_file(self, filename or "", **kwargs)


_original_add_js_file = StandaloneHTMLBuilder.add_js_file


def template_settings(environment: jinja2.Environment) -> str:
    """What a compiled template depends on besides its source and the versions of Jinja and
    Python (which Jinja's bytecode cache checks itself): the environment's class, extensions
    and syntax, and the version of Jinja that compiled it."""
    syntax = (
        type(environment).__qualname__,
        sorted(environment.extensions),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        jinja2.__version__,
    )
    return hashlib.sha256(repr(syntax).encode()).hexdigest()[:16]


def keep_compiled_templates(app: Sphinx) -> None:
    """Keep the page templates compiled between builds, in Jinja's bytecode cache beside the
    build's doctrees: every build compiled the theme's thirty-odd templates anew, a fifth of
    an incremental build. An entry is used only for the same template file with the same
    source, under the same settings (the folder's name)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, jinja2.Environment):
        return
    folder = Path(app.doctreedir) / f"templates-{template_settings(environment)}"
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


# MathJax 3 with TeX input and SVG output: one script, its glyphs inside it (no font files).
MATHJAX_SCRIPT = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5" / "tex-svg.js"
MATHJAX_FOLDER = "mathjax"  # under the site's _static


def serve_mathjax_with_the_site(app: Sphinx, config: Config) -> None:
    """Pages with math load MathJax from the site itself, not from cdn.jsdelivr.net (Sphinx's
    default), which readers in mainland China often cannot reach and an offline copy of the
    site never can: without it they see the formulas as LaTeX source. The script comes from
    the django-static-mathjax package (MathJax 3.2.2, Apache 2.0)."""
    static = Path(app.doctreedir) / "static-mathjax"
    target = static / MATHJAX_FOLDER / MATHJAX_SCRIPT.name
    if not target.is_file() or target.stat().st_size != MATHJAX_SCRIPT.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MATHJAX_SCRIPT, target)
    config.html_static_path = [*config.html_static_path, str(static)]
    config.mathjax_path = f"{MATHJAX_FOLDER}/{MATHJAX_SCRIPT.name}"


# `<h3 class="... book-output-heading" id="ki-1">title<a class="headerlink" ...`
_OUTPUT_HEADING = re.compile(
    r'<h[2-4] class="[^"]*\b'
    + OUTPUT_HEADING
    + r'\b[^"]*" id="([^"]+)">(.*?)<a class="headerlink"',
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]+>")


def output_headings(body: str) -> list[tuple[str, str]]:
    """(anchor, title as HTML text) of each output heading of a page's body, in order."""
    return [
        (anchor, _TAG.sub("", title).strip()) for anchor, title in _OUTPUT_HEADING.findall(body)
    ]


def contents_with_output_headings(toc: str, headings: list[tuple[str, str]]) -> str:
    """The page's contents (Sphinx's `toc`: its title, with its sections nested under it) with
    the output headings after its sections, one level under the title. The anchors and titles
    are HTML already, as the body has them."""
    entries = "".join(
        f'<li><a class="reference internal" href="#{anchor}">{title}</a></li>'
        for anchor, title in headings
    )
    end = toc.rfind("</li>")
    if end < 0:
        return toc
    before, after = toc[:end], toc[end:]
    sections = before.rstrip()
    if sections.endswith("</ul>"):  # sections nested under the title: the headings after them
        cut = len(sections) - len("</ul>")
        return before[:cut] + entries + before[cut:] + after
    return before + f"<ul>{entries}</ul>" + after


def list_output_headings(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The cards of `重点指标逐项说明` in the page's contents (the side column on a wide
    screen, the contents button on a phone): they are HTML a notebook writes, which Sphinx
    does not see as sections, and the page's contents were empty."""
    headings = output_headings(context.get("body", ""))
    if headings and "toc" in context:
        context["toc"] = contents_with_output_headings(context["toc"], headings)


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_search_language(SearchChineseBigrams)
    # before the theme reads the contents to decide whether the page has any
    app.connect("html-page-context", list_output_headings, priority=400)
    app.connect("builder-inited", keep_compiled_templates)
    app.connect("config-inited", serve_mathjax_with_the_site)
    if StandaloneHTMLBuilder.add_js_file is not _add_js_file:
        StandaloneHTMLBuilder.add_js_file = _add_js_file
    return {"parallel_read_safe": True, "parallel_write_safe": True}
