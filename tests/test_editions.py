"""Two editions from one execution: cells and outputs by language, the configuration of each
edition, the link between twin pages, and search that splits Chinese the same way on both
sides."""

from __future__ import annotations

import re

import pytest
import yaml

from analysis.book.sphinx_editions import twin_href
from analysis.book.sphinx_fixes import chinese_bigrams
from analysis.core.language import EDITIONS, Text
from analysis.runner.editions import (
    UntranslatedCaption,
    edition_config,
    edition_notebook,
    edition_toc,
    prose_problems,
    relative_root,
)


def markdown(text: str, *tags: str) -> dict:
    return {"cell_type": "markdown", "metadata": {"tags": list(tags)}, "source": text}


def code(*outputs: dict) -> dict:
    return {"cell_type": "code", "metadata": {}, "source": "show()", "outputs": list(outputs)}


def output(text: str, language: str | None) -> dict:
    metadata = {"lang": language} if language else {}
    return {"output_type": "display_data", "data": {"text/plain": text}, "metadata": metadata}


NOTEBOOK = {
    "cells": [
        markdown("# 社会救助", "zh"),
        markdown("# Social assistance", "en"),
        code(output("表", "zh"), output("table", "en"), output("both", None)),
    ],
    "metadata": {},
}


@pytest.mark.parametrize(
    ("language", "heading", "shown"),
    [("zh", "# 社会救助", ["表", "both"]), ("en", "# Social assistance", ["table", "both"])],
)
def test_an_edition_keeps_the_cells_and_outputs_of_its_language(language, heading, shown):
    notebook = edition_notebook(NOTEBOOK, language)
    assert [c["source"] for c in notebook["cells"] if c["cell_type"] == "markdown"] == [heading]
    assert [o["data"]["text/plain"] for o in notebook["cells"][-1]["outputs"]] == shown


def test_a_section_whose_code_shows_nothing_is_left_out_with_its_prose():
    notebook = {
        "cells": [
            markdown("# 社会救助", "zh"),
            markdown("# Social assistance", "en"),
            code(),  # the setup cell under the title: kept, a title is never dropped
            markdown("(x-audit)=\n## 报告自身的核查", "zh"),
            markdown("(x-audit)=\n## Checks of the report", "en"),
            markdown("说明文字", "zh"),
            markdown("Explanation", "en"),
            code(),  # showed nothing: the section goes, prose and all
            markdown("## 各项指标的状态", "zh"),
            markdown("## Status", "en"),
            code(output("表", "zh"), output("table", "en")),
            markdown("## 只有文字", "zh"),
            markdown("## Prose only", "en"),
            markdown("正文", "zh"),  # no code at all: prose is kept
            markdown("Text", "en"),
        ],
        "metadata": {},
    }
    kept = [c["source"] for c in edition_notebook(notebook, "zh")["cells"]]
    assert kept == ["# 社会救助", "show()", "## 各项指标的状态", "show()", "## 只有文字", "正文"]
    english = [c["source"] for c in edition_notebook(notebook, "en")["cells"]]
    assert english == [
        "# Social assistance",
        "show()",
        "## Status",
        "show()",
        "## Prose only",
        "Text",
    ]


def test_complete_prose_has_no_problems():
    assert prose_problems(NOTEBOOK) == []


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([markdown("# Title")], "cell 1 (Markdown) has no language tag; tag it 'zh' or 'en'"),
        (
            [markdown("# 标题", "zh"), code()],
            "cell 1 (Markdown, zh) has no English counterpart; add a cell tagged 'en' after it",
        ),
        (
            [markdown("# 标题", "zh"), markdown("## 小节", "zh"), markdown("## Part", "en")],
            "cell 1 (Markdown, zh) has no English counterpart; add a cell tagged 'en' after it",
        ),
        (
            [code(), markdown("# Title", "en")],
            "cell 2 (Markdown) is English with no Chinese before it; add a cell tagged 'zh' "
            "before it",
        ),
    ],
)
def test_prose_missing_a_language_is_named_by_its_cell(cells, message):
    assert prose_problems({"cells": cells}) == [message]


def test_each_edition_s_configuration_names_its_language_and_its_twin():
    committed = "title: x\nsphinx:\n  config:\n    language: zh_CN\n"
    zh = yaml.safe_load(edition_config(committed, EDITIONS["zh"]))
    en = yaml.safe_load(edition_config(committed, EDITIONS["en"]))
    assert zh["sphinx"]["config"]["language"] == "zh_CN" and zh["title"] == EDITIONS["zh"].title
    assert en["sphinx"]["config"]["language"] == "en" and en["title"] == EDITIONS["en"].title
    assert zh["sphinx"]["config"]["book_edition"]["other_root"] == "en/"
    assert en["sphinx"]["config"]["book_edition"]["other_root"] == "../"
    # the footer names the authors in the edition's language
    assert re.search(r"[\u4e00-\u9fff]{4}", zh["author"]) and en["author"].startswith(
        "the authors of this book"
    )


def test_a_page_links_to_the_same_page_in_the_other_edition():
    # The Chinese chapters/intro.html sits at the root, the English one under en/.
    zh_to_en = relative_root(EDITIONS["zh"], EDITIONS["en"])
    en_to_zh = relative_root(EDITIONS["en"], EDITIONS["zh"])
    assert twin_href("chapters/intro", zh_to_en, ".html") == "../en/chapters/intro.html"
    assert twin_href("chapters/intro", en_to_zh, ".html") == "../../chapters/intro.html"
    assert twin_href("search", zh_to_en, ".html") == "en/search.html"


def test_every_page_ends_with_its_provenance_linked_from_where_it_is():
    from analysis.book.sphinx_editions import provenance

    chapter = provenance("chapters/children", ".html", "zh")
    assert "本书为独立分析，不是宿州市民政局的出版物" in chapter
    assert 'href="https://mzj.ahsz.gov.cn/public/2655589/194741071.html"' in chapter
    assert "2024年4月29日发布" in chapter and 'href="../chapters/build_record.html"' in chapter
    search = provenance("search", ".html", "en")
    assert "An independent analysis" in search and 'href="chapters/data_appendix.html"' in search


def test_the_toc_captions_are_translated_or_the_build_says_which_is_not():
    toc = "format: jb-book\nroot: a\nparts:\n  - caption: 分领域评估\n    chapters: []\n"
    assert yaml.safe_load(edition_toc(toc, "en"))["parts"][0]["caption"] == "Domains"
    assert yaml.safe_load(edition_toc(toc, "zh"))["parts"][0]["caption"] == "分领域评估"
    with pytest.raises(UntranslatedCaption, match="'新部分' has no English"):
        edition_toc(toc.replace("分领域评估", "新部分"), "en")


def test_chinese_is_indexed_and_searched_as_bigrams():
    # By hand: 养老服务 -> 养老, 老服, 服务; a word of Latin letters stays out of the bigrams.
    assert chinese_bigrams("养老服务") == ["养老", "老服", "服务"]
    assert chinese_bigrams("低保 standard 殡葬") == ["低保", "殡葬"]
    assert chinese_bigrams("最低生活保障（低保）") == [
        "最低",
        "低生",
        "生活",
        "活保",
        "保障",
        "低保",
    ]


def test_text_holds_both_languages_and_refuses_anything_else():
    words = Text("低保", "dibao")
    assert (words["zh"], words["en"]) == ("低保", "dibao")
    with pytest.raises(TypeError):
        Text("低保", None)  # type: ignore[arg-type]


def test_the_book_s_title_is_the_same_in_its_header_and_on_its_first_page() -> None:
    """The English sidebar said 'Suzhou's civil-affairs plan at mid-term: the figures checked
    and analysed' and the first page 'The mid-term evaluation of … a review of its figures'."""
    import json
    from pathlib import Path

    from analysis.runner.editions import cell_language

    notebook = Path(__file__).resolve().parents[1] / "chapters" / "intro.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for language, edition in EDITIONS.items():
        headings = [
            line[2:].strip()
            for cell in cells
            if cell["cell_type"] == "markdown" and cell_language(cell) == language
            for line in "".join(cell["source"]).splitlines()
            if line.startswith("# ")
        ]
        assert headings == [edition.title], language
