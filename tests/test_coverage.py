"""The generated line under each domain chapter's introduction: its key indicators and the
sections of the report its figures come from, read from the data, never typed in the prose."""

from __future__ import annotations

import json
import re

import pytest
from conftest import PROJECT

from analysis.book.context import open_chapter
from analysis.book.coverage import coverage_of, section_words
from analysis.core.report import section_key
from analysis.inputs.chapters import DOMAIN_CHAPTERS


def test_sections_are_written_and_ordered_as_the_report_numbers_them() -> None:
    assert section_words("二.(一)", "zh") == "第二部分第（一）项"
    assert section_words("四.3", "zh") == "第四部分第3条"
    assert section_words("前言", "zh") == "前言"
    assert section_words("三.(十)", "en") == "三.(十)"
    ordered = ["前言", "二.(三)", "三.(二)", "三.(九)", "三.(十)", "四.1", "四.6"]
    assert sorted(reversed(ordered), key=section_key) == ordered


def coverage(name: str):
    chapter = open_chapter(name)
    return coverage_of(
        chapter.dataset.series,
        chapter.observations_in_force(),
        name,
        chapter.chapter.report_section,
    )


def test_special_affairs_covers_indicators_5_and_15_to_18() -> None:
    # by hand from section 一: 5 (return of vagrants), 15 (marriage registration), 16 (public
    # burial facilities), 17 and 18 (the disability subsidies) are special social affairs
    line = coverage("special_affairs")
    numbers = [int(n) for n in re.findall(r'href="indicator_cards.html#ki-(\d+)"', line.zh)]
    assert numbers == [5, 15, 16, 17, 18]
    assert line.zh.startswith('<p class="book-coverage">本章对应报告第二部分第（七）项。')
    assert "第三部分第（七）项、第三部分第（八）项、第三部分第（九）项" in line.zh
    assert "key indicators" in line.en and "section 三.(九)" in line.en


def test_a_chapter_with_one_key_indicator_says_so_in_the_singular() -> None:
    line = coverage("children")
    assert "key indicator <a" in line.en
    assert "第二部分第（二）项、第三部分第（二）项" in line.zh  # its own part is quoted too


def test_the_key_indicators_of_the_chapters_are_the_nineteen() -> None:
    found = []
    for chapter in DOMAIN_CHAPTERS:
        found += re.findall(r"#ki-(\d+)", coverage(chapter.name).zh)
    assert sorted(map(int, found)) == list(range(1, 20))


@pytest.mark.parametrize("chapter", DOMAIN_CHAPTERS, ids=lambda chapter: chapter.name)
def test_no_introduction_types_its_key_indicators(chapter) -> None:
    cells = json.loads((PROJECT / chapter.notebook).read_text(encoding="utf-8"))["cells"]
    introduction = "".join(cells[0]["source"]) + "".join(cells[1]["source"])
    assert not re.search(r"重点指标第\d|key indicators? \d|本章对应报告", introduction)
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    assert "show_coverage(chapter)" in sources
