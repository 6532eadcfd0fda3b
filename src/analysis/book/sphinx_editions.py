"""The link from every page to the same page in the other edition (a Sphinx extension).

The runner writes `book_edition` into each edition's configuration (see
`analysis.runner.editions.edition_config`): the other edition's language, its label and the
path from this edition's root to its root. Each page then starts with a link to its twin and
declares it in its head (`<link rel="alternate" hreflang>`), so readers and search engines
find the other language. Every page also ends with its provenance: the report it analyses,
with a link to it, that the book is an independent analysis, the licences and the build record.
A site built with its PDFs (`python -m analysis build --pdf`) has, under the switch, a link to
the edition's PDF; one built without them has no such link, so none is ever broken.
"""

from __future__ import annotations

import html
from typing import Any

from sphinx.application import Sphinx

from analysis.core import report
from analysis.core.language import Text

PROVENANCE = Text(
    "本书为独立分析，不是{publisher}的出版物。数据出自{publisher}{title}（{published}发布，"
    '<a href="{url}">原文</a>），逐条注明出处；代码以 MIT 许可发布，数据的许可说明见'
    '<a href="{appendix}">数据附录</a>；构建日期与运行情况见<a href="{record}">构建记录</a>。',
    "An independent analysis, not a publication of the {publisher_en} ({publisher}). The data "
    "come from its {title_en} ({title}), published {published} "
    '(<a href="{url}">the report</a>), each figure with its source; the code is under the MIT '
    "licence, the data's licence is stated in the "
    '<a href="{appendix}">data appendix</a>; when and how the book was built is in the '
    '<a href="{record}">build record</a>.',
)


PDF_LINK = Text("下载本书PDF", "Download the book as PDF")


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


def pdf_link(pagename: str, pdf_file: str, language: str) -> str:
    """The paragraph that links a page to its edition's PDF, at the edition's root."""
    href = html.escape("../" * pagename.count("/") + pdf_file)
    label = PDF_LINK["zh" if language == "zh" else "en"]
    return f'<p class="book-pdf-link"><a href="{href}" type="application/pdf">{label}</a></p>'


def add_pdf_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    edition = app.config.book_edition
    if not edition or not edition.get("pdf") or "body" not in context:
        return
    language = "zh" if str(edition["lang"]).startswith("zh") else "en"
    context["body"] = pdf_link(pagename, edition["pdf"], language) + context["body"]


def provenance(pagename: str, suffix: str, language: str) -> str:
    """The provenance paragraph of a page, its links relative to that page."""
    up = "../" * pagename.count("/")
    published = report.PUBLISHED
    if language == "zh":
        year, month, day = published.split("-")
        published = f"{year}年{int(month)}月{int(day)}日"
    text = PROVENANCE["zh" if language == "zh" else "en"].format(
        publisher=html.escape(report.PUBLISHER),
        title=html.escape(report.TITLE),
        publisher_en=html.escape(report.PUBLISHER_EN),
        title_en=html.escape(report.TITLE_EN),
        published=published,
        url=html.escape(report.URL),
        appendix=f"{up}chapters/data_appendix{suffix}",
        record=f"{up}chapters/build_record{suffix}",
    )
    return f'<p class="book-provenance">{text}</p>'


def add_provenance(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    edition = app.config.book_edition
    if not edition or "body" not in context:
        return
    language = "zh" if str(edition["lang"]).startswith("zh") else "en"
    context["body"] += provenance(pagename, app.builder.link_suffix, language)


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_config_value("book_edition", {}, "html")
    app.connect("html-page-context", add_pdf_link)
    app.connect("html-page-context", add_edition_switch)
    app.connect("html-page-context", add_provenance)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
