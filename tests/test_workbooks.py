"""The chapters' workbooks: every table of a chapter in one XLSX per edition, opened with
openpyxl."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.book.downloads import (
    CODEBOOK,
    TABLES,
    UnlabelledColumns,
    record_table,
    workbook_name,
    write_workbooks,
)
from analysis.core.language import EDITIONS, Text
from analysis.inputs.chapters import CHAPTERS


def rows_of(path: Path, sheet: str) -> list[tuple]:
    workbook = load_workbook(path, read_only=True)
    return list(workbook[sheet].iter_rows(values_only=True))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A chapter's downloads: two tables, noted as the page shows them."""
    first = pd.DataFrame({"series_id": ["a", "b"], "base_value": [625.0, 813.0]})
    second = pd.DataFrame({"series_id": ["a"], "latest_value": [707.0]})
    for name, frame, title in (
        ("first", first, Text("第一张表", "The first table")),
        ("second", second, None),
    ):
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        record_table(tmp_path, name, title)
    return tmp_path


def test_a_workbook_per_edition_with_contents_tables_and_codebook(folder: Path) -> None:
    written = write_workbooks(folder, "social_assistance")
    assert [path.name for path in written] == [
        "social_assistance.zh.xlsx",
        "social_assistance.xlsx",
    ]
    chinese, english = written
    assert load_workbook(chinese).sheetnames == ["目录", "表1", "表2", "列名说明"]
    assert load_workbook(english).sheetnames == ["Contents", "Table 1", "Table 2", "Codebook"]
    assert rows_of(chinese, "目录")[1] == ("表1", "第一张表", "first.csv")
    assert rows_of(chinese, "表1") == [("指标代码", "基期值"), ("a", 625), ("b", 813)]
    assert rows_of(english, "Table 1")[0] == ("Identifier of the series", "Value at the base")
    # a table without a title is listed under its file's name; the codebook names each code once
    assert rows_of(english, "Contents")[2] == ("Table 2", "second", "second.csv")
    codes = [row[1] for row in rows_of(chinese, "列名说明")[1:]]
    assert codes == ["series_id", "base_value", "latest_value"]
    assert not (folder / TABLES).exists()  # the manifest is not published


def test_a_column_without_a_header_stops_the_workbook(folder: Path) -> None:
    pd.DataFrame({"mystery": [1]}).to_csv(folder / "third.csv", index=False)
    record_table(folder, "third", None)
    with pytest.raises(UnlabelledColumns, match="mystery"):
        write_workbooks(folder, "social_assistance")


@pytest.mark.book
def test_every_chapter_with_tables_offers_its_workbook_in_each_edition(built: Path) -> None:
    from analysis.runner.build import SITE_LINK

    checked = 0
    for chapter in CHAPTERS:
        for language, edition in EDITIONS.items():
            root = built / SITE_LINK / edition.path if edition.path else built / SITE_LINK
            folder = root / "chapters" / chapter.name
            name = workbook_name(chapter.name, language)
            page = (root / "chapters" / f"{chapter.name}.html").read_text(encoding="utf-8")
            # the tables and charts of the page: the data linked under each (the data
            # appendix also offers the data files themselves, which are not tables)
            sources = re.findall(r'<p class="book-source">(.*?)</p>', page, flags=re.S)
            tables = {
                href
                for source in sources
                for href in re.findall(r'href="([^"]+\.csv)"', source)
                if not href.endswith(CODEBOOK)
            }
            if not tables:
                assert name not in page
                continue
            assert all(f'href="{chapter.name}/{name}"' in source for source in sources)
            workbook = load_workbook(folder / name, read_only=True)
            # contents, one sheet per table (the status of a chapter whose table is left out
            # is still its data), the codebook
            assert len(workbook.sheetnames) in (len(tables) + 2, len(tables) + 3), chapter.name
            checked += 1
    assert checked >= 2 * 10
