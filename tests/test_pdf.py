"""The PDF of each edition (`python -m analysis build --pdf`, `make pdf`): the whole book in the
order of _toc.yml, its Chinese text searchable, charts embedded, every page A4, and every page of
the site linking to its edition's PDF. Read with pypdf, as a reader's PDF tool reads it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import run_cli
from pypdf import PdfReader

from analysis.book.charts import DPI, FIGURE_WIDTH, PIXEL_RATIO
from analysis.book.sphinx_editions import add_pdf_link, pdf_link
from analysis.core.language import EDITIONS, LANGUAGES
from analysis.inputs.chapters import CHAPTERS
from analysis.runner.build import SITE_LINK
from analysis.runner.pdf import (
    A4_HEIGHT_PT,
    A4_WIDTH_PT,
    PDF_FILES,
    RADICALS,
    PrintedPage,
    chromium_problem,
    contents_of,
    font_files,
    print_order,
    radical_map,
    remap_cmap,
)

# Pages of the book besides the chapters of CHAPTERS: the build record.
PAGES = len(CHAPTERS) + 1


# Pure parts ------------------------------------------------------------------------------------


def test_print_order_follows_the_table_of_contents() -> None:
    toc = "root: chapters/intro\nparts:\n  - caption: A\n    chapters:\n      - file: chapters/b\n"
    toc += "  - caption: C\n    chapters:\n      - file: chapters/c.ipynb\n"
    assert print_order(toc) == ["chapters/intro", "chapters/b", "chapters/c"]
    committed = print_order(Path("_toc.yml").read_text(encoding="utf-8"))
    chapters = [name for name in committed if name != "chapters/build_record"]
    assert chapters == [f"chapters/{chapter.name}" for chapter in CHAPTERS]


def test_contents_count_pages_from_the_first() -> None:
    printed = [PrintedPage("a", "A", b"", 3), PrintedPage("b", "B", b"", 1)]
    assert contents_of(printed, 2) == [("A", 2), ("B", 5)]


def test_the_pdf_link_is_relative_to_the_page_and_in_its_language() -> None:
    assert 'href="../book.zh.pdf"' in pdf_link("chapters/overview", "book.zh.pdf", "zh")
    assert "下载本书PDF" in pdf_link("chapters/overview", "book.zh.pdf", "zh")
    assert 'href="book.en.pdf"' in pdf_link("index", "book.en.pdf", "en")
    assert "Download the book as PDF" in pdf_link("index", "book.en.pdf", "en")


def test_a_site_built_without_its_pdf_has_no_link_to_one() -> None:
    for pdf, linked in (("", False), ("book.zh.pdf", True)):
        app = SimpleNamespace(config=SimpleNamespace(book_edition={"lang": "zh-CN", "pdf": pdf}))
        context = {"body": "<section></section>"}
        add_pdf_link(app, "chapters/intro", "page.html", context, None)  # type: ignore[arg-type]
        assert ("book-pdf-link" in context["body"]) is linked


def test_radicals_in_a_to_unicode_map_become_the_ideographs_they_look_like() -> None:
    cmap = b"beginbfchar\n<0012> <2F6C>\n<0013> <6C11>\nendbfchar\n"
    assert (
        remap_cmap(cmap, {0x2F6C: 0x76EE})
        == b"beginbfchar\n<0012> <76EE>\n<0013> <6C11>\nendbfchar\n"
    )
    ligatures = b"beginbfrange\n<0010> <0011> <0041>\n<13B1> <13B2> <FB00>\nendbfrange\n"
    assert remap_cmap(ligatures, {}) == (
        b"beginbfrange\n<0010> <0011> <0041>\n<13B1> <13B2> [<00660066> <00660069>]\nendbfrange\n"
    )  # ff and fi, each as its two letters; the range of A and B as it was
    # a range's last glyph is not a destination, whatever its number
    assert remap_cmap(b"beginbfrange\n<2F00> <2F6C> <0041>\nendbfrange", {0x2F6C: 1}).endswith(
        b"<2F00> <2F6C> <0041>\nendbfrange"
    )
    mapping = radical_map(tuple(font_files()))
    assert mapping[0x2F6C] == ord("目")  # Kangxi radical EYE: NFKC, or the font's glyph
    if font_files():  # the CJK font draws U+2EA0 with the glyph of 民
        assert mapping[0x2EA0] == ord("民")


# The built PDFs --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pdfs(built: Path) -> dict[str, PdfReader]:
    problem = chromium_problem()
    if problem:
        pytest.skip(problem)
    site = built / SITE_LINK
    found = {}
    for language in LANGUAGES:
        edition = EDITIONS[language]
        path = (site / edition.path if edition.path else site) / PDF_FILES[language]
        assert path.is_file(), f"{path} was not made by build --pdf"
        found[language] = PdfReader(io.BytesIO(path.read_bytes()))
    return found


def squeezed(text: str) -> str:
    """Text without white space (the extractor breaks lines where the page does)."""
    return re.sub(r"\s+", "", text).replace("\u2019", "'")


@pytest.mark.book
def test_the_english_pdf_is_searchable(pdfs: dict[str, PdfReader]) -> None:
    text = "".join(page_texts(pdfs["en"]))
    for word in ("Special social affairs", "dibao", "Suzhou"):
        assert word in text, word
    assert not [c for c in text if ord(c) in range(0xFB00, 0xFB07)]  # ligatures: letters


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


@pytest.mark.book
def test_the_chinese_pdf_is_searchable(pdfs: dict[str, PdfReader]) -> None:
    text = "".join(page_texts(pdfs["zh"]))
    for word in ("低保", "民政", "最低生活保障", "目标"):
        assert word in text, word
    radicals = sorted({c for c in text if ord(c) in RADICALS})
    assert not radicals, f"radicals instead of ideographs in the text: {radicals}"


@pytest.mark.book
def test_the_cards_folded_figures_are_printed_open(pdfs: dict[str, PdfReader]) -> None:
    """A card's table of figures is folded on the site (its title opens it); the PDF prints it
    open: its rows, which refer to the line the card quotes, are in the text."""
    assert "见上文所引报告原文" in squeezed("".join(page_texts(pdfs["zh"])))


@pytest.mark.book
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chapters_come_in_the_order_of_the_book(
    pdfs: dict[str, PdfReader], language: str
) -> None:
    """The outline names each chapter, in order, at the page that shows its title."""
    reader = pdfs[language]
    texts = page_texts(reader)
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    titles = [chapter.title_zh if language == "zh" else chapter.title_en for chapter in CHAPTERS]
    assert [title for title, _ in outline if title in titles] == titles
    starts = [page for _, page in outline]
    assert starts == sorted(set(starts)) and starts[0] == 1  # one after the other, after the cover
    for title, page in outline[1:]:  # the introduction's page opens with the book's title
        assert squeezed(title) in squeezed(texts[page]), (title, page)
    assert all(squeezed(title) in squeezed(texts[0]) for title in titles)  # the contents


@pytest.mark.book
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_counts_are_reasonable_and_numbered(pdfs: dict[str, PdfReader], language: str) -> None:
    reader = pdfs[language]
    count = len(reader.pages)
    print(f"{language}: {count} pages")
    assert PAGES + 1 <= count <= 400
    assert len(reader.outline) == PAGES
    last = page_texts(reader)[-1]
    assert str(count) in last  # "第 N 页，共 N 页" / "Page N of N"


@pytest.mark.book
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_is_wider_than_a4(pdfs: dict[str, PdfReader], language: str) -> None:
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in pdfs[language].pages
    }
    assert all(w <= A4_WIDTH_PT + 1 and h <= A4_HEIGHT_PT + 1 for w, h in sizes), sizes


@pytest.mark.book
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_charts_are_embedded(pdfs: dict[str, PdfReader], language: str) -> None:
    with_images = 0
    widths: list[int] = []
    for page in pdfs[language].pages:
        resources = page.get("/Resources")
        objects = resources.get_object().get("/XObject") if resources else None
        images = [
            x for x in (objects.get_object().values() if objects else [])
            if x.get_object().get("/Subtype") == "/Image"
        ]  # fmt: skip
        with_images += bool(images)
        widths += [int(x.get_object()["/Width"]) for x in images]
    assert with_images >= 10
    # sharp: the site's charts, with PIXEL_RATIO times the pixels of their size on screen
    assert min(widths) >= round(FIGURE_WIDTH * DPI) * PIXEL_RATIO, sorted(set(widths))


@pytest.mark.book
def test_a_second_build_with_nothing_changed_keeps_the_pdfs(
    built: Path, pdfs: dict[str, PdfReader]
) -> None:
    site = built / SITE_LINK
    before = {path: path.stat().st_mtime_ns for path in site.rglob("*.pdf")}
    result = run_cli("--root", str(built), "build", "--pdf")
    assert result.returncode == 0, result.stderr
    assert "site unchanged" in result.stdout
    assert {path: path.stat().st_mtime_ns for path in site.rglob("*.pdf")} == before


@pytest.mark.book
def test_every_page_links_to_its_editions_pdf(built: Path, pdfs: dict[str, PdfReader]) -> None:
    site = built / SITE_LINK
    problems = []
    for language in LANGUAGES:
        edition = EDITIONS[language]
        root = site / edition.path if edition.path else site
        pages = sorted(root.glob("chapters/*.html"))
        assert len(pages) == PAGES
        for page in pages:
            found = re.search(r'class="book-pdf-link"><a href="([^"]+)"', page.read_text())
            if not found:
                problems.append(f"{page.relative_to(site)}: no link to the PDF")
            elif (page.parent / found.group(1)).resolve() != (root / PDF_FILES[language]).resolve():
                problems.append(f"{page.relative_to(site)}: links {found.group(1)}")
    assert not problems, "\n".join(problems)
