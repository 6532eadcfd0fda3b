"""A PDF of each edition of the built site: every page of the table of contents in its order,
printed by headless Chromium (Debian's, through Playwright) and merged with pypdf.

- Each chart is printed from the site's PNG, which has twice the pixels of its size on the
  page (`analysis.book.charts.PIXEL_RATIO`), at that size or shrunk to fit a page
  (`FIT_CHARTS`): sharp on paper.
- Each page is printed with the site's print stylesheet (`book_static/print.css`): its text
  column only, no navigation, sidebars, buttons, search or code cells; a table still wider than
  the page after wrapping has its type shrunk until it fits (`FIT_TABLES`), so nothing is cut.
- A cover (the edition's title, the report, the contents with the page each chapter starts on)
  comes first; page numbers run through the whole book (`number_pages`); the PDF's outline has
  an entry for each chapter.
- Chromium writes the ToUnicode maps of a CJK font by the first code point of each glyph, which
  for Noto Sans CJK is often a Kangxi or supplementary radical (U+2F6C ⽬ for 目, U+2EA0 ⺠ for 民):
  the text looks right but a search for 民政 fails. `repair_cjk_text` maps those back to the
  unified ideographs the font draws with the same glyph (and Latin ligatures, ﬀ, to letters).

`print_site` runs on a built site before it is published (`analysis.runner.build`), so the
PDFs are swapped in with the site they were printed from, or not at all.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from analysis.book.markup import FOLDED
from analysis.core import report
from analysis.core.language import EDITIONS, LANGUAGES, Edition, Language
from analysis.inputs.chapters import CHAPTER_BY_NAME

CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
INSTALL_HINT = "run scripts/ensure_browser.sh (apt-get install chromium fonts-noto-cjk)"
# Where each edition's PDF is published, relative to the edition's root.
PDF_FILES: dict[Language, str] = {"zh": "book.zh.pdf", "en": "book.en.pdf"}
A4_WIDTH_PT = 595.3  # 210 mm
A4_HEIGHT_PT = 841.9
# The page's text column in CSS pixels: A4 less the margins of print.css (15 mm each side).
COLUMN_PX = round((210 - 2 * 15) / 25.4 * 96)
TIMEOUT_MS = 60_000
# A chart shrunk to fit one page to less than this share of its height runs on over pages.
TALL = 0.6

WORDS: dict[str, dict[Language, str]] = {
    "contents": {"zh": "目录", "en": "Contents"},
    "subtitle": {
        "zh": "据{publisher}{title}（{published}）",
        "en": "From {title}, {publisher}, published {published}",
    },
    "independent": {
        "zh": "独立分析，不是{publisher}的出版物。网站版与数据下载见本书网站。",
        "en": "An independent analysis, not a publication of {publisher}. The website edition "
        "has the data of every table and chart as downloads.",
    },
    "printed": {"zh": "印制于 {when}", "en": "Printed {when}"},
    "page": {"zh": "第 {page} 页，共 {pages} 页", "en": "Page {page} of {pages}"},
}

# Run in a page before it is printed: a table wider than the text column has its type made
# smaller, step by step, until it fits (or reaches half its size); returns what still sticks
# out, for the build to report.
FIT_TABLES = """(column) => {
  const tables = Array.from(document.querySelectorAll("article table"));
  for (const table of tables) {
    let size = 100;
    while (table.getBoundingClientRect().width > column + 1 && size > 50) {
      size -= 5;
      table.style.fontSize = (0.82 * size / 100) + "em";
    }
  }
  const left = document.querySelector("article").getBoundingClientRect().left;
  const wide = [];
  for (const el of document.querySelectorAll("article table, article img, article pre")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right - left > column + 1) {
      wide.push(el.tagName.toLowerCase() + " " + Math.round(box.right - left) + " px");
    }
  }
  return wide;
}"""

# Run in a page laid out for print. A chart keeps the box print.css gives it (shrunk to fit one
# page) unless that would shrink it below TALL of its size: a chart of many panels keeps its
# width and runs on over the next pages, readable. Its size is the one its `width` says (its
# PNG has more pixels), else the PNG's own.
FIT_CHARTS = """([column, tall]) => {
  for (const img of document.querySelectorAll("article img")) {
    const box = img.getBoundingClientRect();
    const natural = Number(img.getAttribute("width")) || img.naturalWidth;
    const width = Math.min(natural, column);
    const full = img.naturalWidth ? width * img.naturalHeight / img.naturalWidth : box.height;
    const keep = box.height >= full * tall;
    img.style.width = (keep ? box.width : width) + "px";
    img.style.height = (keep ? box.height : full) + "px";
    img.style.maxHeight = "none";
  }
}"""

# Run in a page once it has loaded: every image loaded (the pages load them lazily) and the
# page's title (its first heading) without the heading's link sign.
# Statements of an async page function: load every image of the page now (lazy ones too), and
# wait until each has loaded or failed (10 s at most each). The browser tests use it as well.
LOAD_IMAGES = """
  const images = Array.from(document.images);
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
    setTimeout(done, 10000);
  })));"""
# A folded table (an indicator card's figures) is printed open.
OPEN_FOLDED = f"""
  document.querySelectorAll("details.{FOLDED}").forEach((d) => {{ d.open = true; }});"""
PAGE_READY = (
    "async () => {"
    + LOAD_IMAGES
    + OPEN_FOLDED
    + """
  const h1 = document.querySelector("article h1");
  if (!h1) return document.title;
  const copy = h1.cloneNode(true);
  copy.querySelectorAll(".headerlink").forEach((a) => a.remove());
  return copy.textContent.replace(/\\s+/g, " ").trim();
}"""
)


class PdfFailure(Exception):
    """The PDFs could not be made; the message says why."""


@dataclass(frozen=True)
class PrintedPage:
    docname: str  # e.g. "chapters/social_assistance"
    title: str
    pdf: bytes
    pages: int
    wide: tuple[str, ...] = ()  # what was still wider than the column when printed


@dataclass(frozen=True)
class EditionPdf:
    language: Language
    path: Path  # relative to the site's root
    pages: int
    chapters: tuple[tuple[str, int], ...]  # (title, first page) in order
    wide: tuple[str, ...] = ()
    seconds: float = 0.0


def chromium_problem(chromium: str = CHROMIUM) -> str | None:
    """Why the PDFs cannot be printed here, or None."""
    if not (Path(chromium).is_file() and os.access(chromium, os.X_OK)):
        return f"Chromium is not installed at {chromium}: {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed: make pdf installs the pinned environment"
    return None


def print_order(toc_text: str) -> list[str]:
    """The pages of _toc.yml in reading order: its root, then each part's chapters."""
    toc = yaml.safe_load(toc_text)
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    files += [chapter["file"] for chapter in toc.get("chapters", [])]
    return [str(Path(name).with_suffix("")) for name in files]


def edition_root(site: Path, edition: Edition) -> Path:
    return site / edition.path if edition.path else site


# Printing --------------------------------------------------------------------------------------


@contextmanager
def chromium(executable: str = CHROMIUM) -> Iterator[Any]:
    """A headless Chromium (a Playwright Browser) that never reaches another host."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def local_only(route: Any) -> None:
    """Files of the site load; anything else (MathJax from a CDN) is refused at once."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def page_title(docname: str, language: Language, heading: str) -> str:
    """A page's entry in the contents: its chapter's title, else its first heading."""
    chapter = CHAPTER_BY_NAME.get(Path(docname).name)
    if chapter is None:
        return heading
    return chapter.title(language)


def print_page(tab: Any, path: Path, docname: str, language: Language) -> PrintedPage:
    """One page of the site as PDF (A4, the page size and margins of print.css)."""
    from pypdf import PdfReader

    tab.goto(path.as_uri(), wait_until="load")
    tab.emulate_media(media="print")
    title = page_title(docname, language, tab.evaluate(PAGE_READY))
    wide = tab.evaluate(FIT_TABLES, COLUMN_PX)
    tab.evaluate(FIT_CHARTS, [COLUMN_PX, TALL])
    pdf = tab.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return PrintedPage(docname, title, pdf, pages, tuple(wide))


def print_html(tab: Any, markup: str) -> bytes:
    tab.set_content(markup, wait_until="load")
    return tab.pdf(format="A4", print_background=True, prefer_css_page_size=True)


def cover_html(edition: Edition, contents: list[tuple[str, int]], when: str) -> str:
    """The cover: the edition's title, the report it analyses, its contents with page numbers."""
    words = {key: text[edition.language] for key, text in WORDS.items()}
    published = report.PUBLISHED
    if edition.language == "zh":
        year, month, day = published.split("-")
        published = f"{year}年{int(month)}月{int(day)}日"
    english = edition.language == "en"
    values = {
        "publisher": f"the {report.PUBLISHER_EN} ({report.PUBLISHER})"
        if english
        else report.PUBLISHER,
        "title": f"{report.TITLE_EN} ({report.TITLE})" if english else report.TITLE,
        "published": published,
    }
    rows = "\n".join(
        f'<li><span class="t">{html.escape(title)}</span><span class="p">{page}</span></li>'
        for title, page in contents
    )
    return f"""<!DOCTYPE html>
<html lang="{edition.html_lang}"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 30mm 22mm 25mm; }}
body {{ font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 11pt;
  color: #222; }}
h1 {{ font-size: 22pt; line-height: 1.35; margin: 0 0 0.6em; font-weight: 600; }}
p.sub {{ font-size: 12pt; color: #444; margin: 0 0 0.4em; }}
p.note {{ font-size: 9.5pt; color: #666; margin: 0 0 2.5em; }}
h2 {{ font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: 0.2em; }}
ul {{ list-style: none; padding: 0; margin: 0; }}
li {{ display: flex; padding: 0.18em 0; }}
li .t {{ flex: 1; border-bottom: 1px dotted #bbb; margin-right: 0.5em; }}
</style></head><body>
<h1>{html.escape(edition.title)}</h1>
<p class="sub">{html.escape(words["subtitle"].format(**values))}</p>
<p class="note">{html.escape(words["independent"].format(**values))}
{html.escape(words["printed"].format(when=when))}</p>
<h2>{html.escape(words["contents"])}</h2>
<ul>
{rows}
</ul>
</body></html>"""


def numbers_html(language: Language, pages: int) -> str:
    """`pages` blank A4 pages with their number at the foot: laid over the book's pages."""
    page = WORDS["page"][language].format(page='" counter(page) "', pages='" counter(pages) "')
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 16mm 15mm 18mm;
  @bottom-center {{ content: "{page}"; font-family: "Noto Sans CJK SC", sans-serif;
    font-size: 8pt; color: #666; }} }}
div {{ break-after: page; height: 1px; }}
</style></head><body>{"<div></div>" * pages}</body></html>"""


def contents_of(printed: list[PrintedPage], first_page: int) -> list[tuple[str, int]]:
    """(title, first page) of each printed page, the book starting on `first_page`."""
    contents = []
    page = first_page
    for item in printed:
        contents.append((item.title, page))
        page += item.pages
    return contents


def print_edition(browser: Any, site: Path, edition: Edition, order: list[str]) -> EditionPdf:
    """Print every page of `order` of one edition, merge them behind a cover, write the PDF."""
    from pypdf import PdfReader

    started = time.perf_counter()
    root = edition_root(site, edition)
    tab = browser.new_page(viewport={"width": COLUMN_PX, "height": 1100})
    tab.set_default_timeout(TIMEOUT_MS)
    tab.route("**/*", local_only)
    try:
        printed = []
        for docname in order:
            path = root / f"{docname}.html"
            if not path.is_file():
                raise PdfFailure(f"{path.relative_to(site)}: page of _toc.yml missing from site")
            printed.append(print_page(tab, path, docname, edition.language))
        when = time.strftime("%Y-%m-%d")
        cover = print_html(tab, cover_html(edition, contents_of(printed, 2), when))
        cover_pages = len(PdfReader(io.BytesIO(cover)).pages)
        if cover_pages != 1:  # a contents longer than a page moves every chapter on
            cover = print_html(
                tab, cover_html(edition, contents_of(printed, cover_pages + 1), when)
            )
        total = cover_pages + sum(item.pages for item in printed)
        numbers = print_html(tab, numbers_html(edition.language, total))
    finally:
        tab.close()
    target = root / PDF_FILES[edition.language]
    data = merge(cover, printed, numbers, edition)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    contents = contents_of(printed, cover_pages + 1)
    wide = tuple(f"{item.docname}: {what}" for item in printed for what in item.wide)
    seconds = time.perf_counter() - started
    return EditionPdf(
        edition.language, target.relative_to(site), total, tuple(contents), wide, seconds
    )


def merge(cover: bytes, printed: list[PrintedPage], numbers: bytes, edition: Edition) -> bytes:
    """One PDF: the cover, then each page's PDF in order, numbered, with an outline entry for
    each chapter and the CJK text mapped to the characters it shows."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)), outline_item=None)
    for item in printed:
        writer.append(PdfReader(io.BytesIO(item.pdf)), outline_item=item.title)
    overlay = PdfReader(io.BytesIO(numbers))
    for number, page in enumerate(writer.pages):
        if number:  # the cover has no number
            page.merge_page(overlay.pages[number])
    repair_cjk_text(writer)
    writer.add_metadata(
        {"/Title": edition.title, "/Author": report.PUBLISHER, "/Lang": edition.html_lang}
    )
    writer.compress_identical_objects()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# CJK text --------------------------------------------------------------------------------------

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
UNIFIED = (range(0x4E00, 0xA000), range(0x3400, 0x4DC0), range(0x20000, 0x2A6E0))


def font_files(family: str = "Noto Sans CJK SC") -> list[tuple[Path, int]]:
    """The CJK font the pages are printed with, regular and bold: (file, index in the file)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return []
    found = set()
    for style in ("", ":bold"):
        result = subprocess.run(
            [fc_match, "-f", "%{file}|%{index}", f"{family}{style}"],
            capture_output=True,
            text=True,
        )
        file, _, index = result.stdout.partition("|")
        if result.returncode == 0 and file:
            found.add((Path(file), int(index or 0)))
    return sorted(found)


@cache
def radical_map(fonts: tuple[tuple[Path, int], ...]) -> dict[int, int]:
    """Each radical code point that the fonts draw with the glyph of a unified ideograph,
    mapped to that ideograph (⽬ U+2F6C to 目 U+76EE); NFKC for the Kangxi radicals the fonts
    lack."""
    mapping = {}
    for code in RADICALS:
        normal = unicodedata.normalize("NFKC", chr(code))
        if normal != chr(code) and len(normal) == 1:
            mapping[code] = ord(normal)
    from fontTools.ttLib import TTFont

    for path, index in fonts:
        cmap = TTFont(str(path), fontNumber=index, lazy=True).getBestCmap() or {}
        by_glyph: dict[str, int] = {}
        for code, glyph in sorted(cmap.items()):
            if any(code in block for block in UNIFIED):
                by_glyph.setdefault(glyph, code)
        for code in RADICALS:
            glyph = cmap.get(code)
            if glyph in by_glyph:
                mapping[code] = by_glyph[glyph]
    return mapping


HEX_CODE = re.compile(rb"<([0-9A-Fa-f]{4,8})>")


LIGATURES = range(0xFB00, 0xFB07)  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ: a search for "affairs" must find "aﬀairs"


BLOCK = re.compile(rb"(begin(bfchar|bfrange))(.*?)(end\2)", re.S)
BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4})>")
BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4})>")


def remap_cmap(data: bytes, mapping: dict[int, int]) -> bytes:
    """A ToUnicode CMap with each destination that is a radical replaced by its ideograph, and
    each Latin ligature by its letters: in `bfchar` lines (`<glyph> <unicode>`) and in
    `bfrange` lines (`<first> <last> <unicode>`, rewritten as a list where one needs it)."""

    def replaced(code: int) -> str | None:
        if code in mapping:
            return chr(mapping[code])
        if code in LIGATURES:
            return unicodedata.normalize("NFKC", chr(code))
        return None

    def hex_of(text: str) -> bytes:
        return b"<" + text.encode("utf-16-be").hex().upper().encode() + b">"

    def char(match: re.Match[bytes]) -> bytes:
        text = replaced(int(match.group(2), 16))
        return match.group(0) if text is None else b"<" + match.group(1) + b"> " + hex_of(text)

    def span(match: re.Match[bytes]) -> bytes:
        first, last, start = (int(group, 16) for group in match.groups())
        codes = range(start, start + last - first + 1)
        if all(replaced(code) is None for code in codes):
            return match.group(0)
        targets = b" ".join(hex_of(replaced(code) or chr(code)) for code in codes)
        return b"<" + match.group(1) + b"> <" + match.group(2) + b"> [" + targets + b"]"

    def block(match: re.Match[bytes]) -> bytes:
        pattern, rewrite = (BFCHAR, char) if match.group(2) == b"bfchar" else (BFRANGE, span)
        return match.group(1) + pattern.sub(rewrite, match.group(3)) + match.group(4)

    return BLOCK.sub(block, data)


def repair_cjk_text(writer: Any) -> int:
    """Rewrite the ToUnicode map of every font of the PDF (see the module's docstring);
    returns how many maps changed."""
    from pypdf.generic import NameObject, StreamObject

    mapping = radical_map(tuple(font_files()))
    if not mapping:
        return 0
    seen: set[int] = set()
    changed = 0
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        if not fonts:
            continue
        for reference in fonts.get_object().values():
            font = reference.get_object()
            to_unicode = font.get("/ToUnicode")
            key = getattr(to_unicode, "idnum", None)
            if to_unicode is None or key in seen:
                continue
            if key is not None:
                seen.add(key)
            stream = to_unicode.get_object()
            data = stream.get_data()
            remapped = remap_cmap(data, mapping)
            if remapped != data:
                replacement = StreamObject()
                replacement.set_data(remapped)
                replacement = replacement.flate_encode()
                font[NameObject("/ToUnicode")] = writer._add_object(replacement)
                changed += 1
    return changed


# The site --------------------------------------------------------------------------------------


def print_site(
    site: Path, toc_text: str, languages: Iterable[Language] = LANGUAGES
) -> list[EditionPdf]:
    """Each edition's PDF, written into the built site at `site` (see `PDF_FILES`)."""
    problem = chromium_problem()
    if problem:
        raise PdfFailure(problem)
    from playwright.sync_api import Error as BrowserError

    order = print_order(toc_text)
    try:
        with chromium() as browser:
            return [
                print_edition(browser, site, EDITIONS[language], order) for language in languages
            ]
    except BrowserError as error:
        raise PdfFailure(f"Chromium: {str(error).splitlines()[0]}") from None


def published_pdfs(site: Path) -> list[Path]:
    """The PDFs a built site has, one per edition, or [] when it has not all of them."""
    paths = [edition_root(site, EDITIONS[language]) / PDF_FILES[language] for language in LANGUAGES]
    return paths if all(path.is_file() for path in paths) else []
