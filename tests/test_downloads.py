"""The downloads of the Chinese edition: Chinese headers, a byte-order mark, a codebook."""

from __future__ import annotations

import codecs
from pathlib import PurePosixPath

import pandas as pd
import pytest

from analysis.book.context import source_line
from analysis.book.downloads import (
    CODEBOOK,
    COLUMN_LABELS,
    UnlabelledColumns,
    chinese_name,
    write_chinese_csv,
)
from analysis.methods.assessment import RESULT_COLUMNS


def test_the_chinese_download_has_chinese_headers_a_bom_and_the_same_rows(tmp_path) -> None:
    frame = pd.DataFrame(
        {
            "series_id": ["dibao_standard_urban"],
            "name_zh": ["城市最低生活保障标准"],
            "value": [707.0],
        }
    )
    path = tmp_path / "status.csv"
    frame.to_csv(path, index=False)
    chinese = write_chinese_csv(frame, path)
    assert chinese == tmp_path / "status.zh.csv"
    raw = chinese.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    # Excel on a Chinese Windows reads UTF-8 only with the mark; decoded, the header is Chinese.
    assert raw.decode("utf-8-sig").splitlines()[0] == "指标代码,名称,数值"
    assert pd.read_csv(chinese, encoding="utf-8-sig").to_numpy().tolist() == (
        frame.to_numpy().tolist()
    )
    codebook = pd.read_csv(tmp_path / CODEBOOK, encoding="utf-8-sig")
    assert list(codebook["代码"]) == ["series_id", "name_zh", "value"]
    # A second download adds only its new columns to the folder's codebook.
    write_chinese_csv(frame.assign(unit="元/人·月"), tmp_path / "other.csv")
    codebook = pd.read_csv(tmp_path / CODEBOOK, encoding="utf-8-sig")
    assert list(codebook["代码"]) == ["series_id", "name_zh", "value", "unit"]
    assert codebook.set_index("代码").loc["unit", "列名"] == "单位"


def test_a_column_without_a_chinese_header_is_refused_by_name(tmp_path) -> None:
    with pytest.raises(UnlabelledColumns, match="new_column"):
        write_chinese_csv(pd.DataFrame({"new_column": [1]}), tmp_path / "x.csv")
    assert not (tmp_path / "x.zh.csv").exists()


def test_every_result_column_has_a_chinese_header() -> None:
    assert set(RESULT_COLUMNS) <= set(COLUMN_LABELS)
    chinese = [label.zh for label in COLUMN_LABELS.values()]
    assert all(any("\u4e00" <= char <= "\u9fff" for char in text) for text in chinese)


def test_each_edition_links_its_own_download() -> None:
    zh = source_line("一.1", "social_assistance/status.csv", "zh", computed=True)
    assert 'href="social_assistance/status.zh.csv"' in zh
    assert f'href="social_assistance/{CODEBOOK}"' in zh
    en = source_line("一.1", "social_assistance/status.csv", "en", computed=True)
    assert 'href="social_assistance/status.csv"' in en and ".zh.csv" not in en
    assert chinese_name(PurePosixPath("a/b.csv")) == PurePosixPath("a/b.zh.csv")
