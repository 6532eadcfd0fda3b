"""The cards of the 19 key indicators: read from the report's section 一 and the book's results;
what each card says is checked against the report's text as read by hand."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from analysis.book import indicator_cards as ic
from analysis.book.blocks import english_names
from analysis.book.context import open_chapter


@pytest.fixture(scope="module")
def overview():
    return open_chapter("overview")


@pytest.fixture(scope="module")
def cards(overview) -> list[ic.Card]:
    return ic.cards_of(overview)


def test_section_one_has_nineteen_numbered_lines(overview) -> None:
    lines = ic.key_indicator_lines(overview.dataset.report_text)
    assert sorted(lines) == list(range(1, 20))
    # "10全市每百户…" lost its 、 (data/repairs.csv): still item 10, its heading up to the colon
    assert lines[10].heading == "全市每百户居民拥有的城乡社区综合服务设施兼职面积"
    assert lines[7].heading == "养老护理型床位占比"
    assert lines[7].line.startswith("7、养老护理型床位占比:全市拥有护理型养老床位28835张")
    assert lines[19].section == "一.19"


def test_damaged_lines_say_how_they_are_read(cards) -> None:
    """data/repairs.csv, each damaged place found in the quoted line, its heading or its
    sentence (card 9's ranges and card 15's date were quoted without a word)."""
    by_number = {card.number: card for card in cards}
    assert by_number[6].repairs == [("未成人", "未成年人")]
    # the reading "建筑面积 (probably)" without its remark; the 、 lost after the number
    assert by_number[10].repairs == [("兼职面积", "建筑面积"), ("10全市每百户", "10、全市每百户")]
    assert by_number[9].repairs == [("2030平方米", "20-30平方米"), ("1520平方米", "15-20平方米")]
    assert by_number[15].repairs == [("20236月", "2023年6月")]
    assert by_number[7].repairs == []
    nine, six = by_number[9], by_number[6]
    assert ic.repair_note(nine, "2030平方米", "20-30平方米", "zh") == (
        "原文“2030平方米”为网页版文字缺损，应读作“20-30平方米”。"
    )
    assert ic.repair_note(six, "未成人", "未成年人", "zh") == (
        "标题中“未成人”为网页版文字缺损，应读作“未成年人”。"
    )
    # the card's title and the index read it as the series' name does; its quote keeps it
    ten = by_number[10]
    assert ten.heading == "全市每百户居民拥有的城乡社区综合服务设施建筑面积"
    assert "兼职面积" not in ic.card_title(ten, "zh") + ic.card_index_html([ten], "zh")
    assert "兼职面积" in ten.report.line


def test_one_card_per_key_indicator_with_the_series_that_give_it(cards) -> None:
    assert [card.number for card in cards] == list(range(1, 20))
    sizes = {card.number: len(card.rows) for card in cards}
    # by hand from section 一: item 1 the urban and rural 低保 standards, item 2 the urban and
    # rural 特困 standards, item 3 six care standards (dispersed and centralised, three grades
    # each), item 9 the compliance rate and the two floor-space standards; the rest one each
    assert sizes == {**dict.fromkeys(range(1, 20), 1), 1: 2, 2: 2, 3: 6, 9: 3}
    # only items 1 to 3 give a 2020 figure and a current one: they alone have a chart
    charted = [card.number for card in cards if not card.chart_rows.empty]
    assert charted == [1, 2, 3]


def test_a_card_quotes_every_figure_of_its_indicator(cards) -> None:
    card = cards[2]  # item 3: the six care standards at 2020 and now
    assert len(card.observations) == 12
    assert card.observations["quote"].str.len().gt(0).all()
    # 501 is the dispersed, fully disabled standard now (read from the report's line)
    figures = ic.card_figures(card, open_chapter("overview").dataset.series, "zh")
    assert figures.shape[0] == 12 and figures.iloc[:, 2].str.contains("501元").any()


def test_item_18_says_the_report_states_no_figure_and_its_check_failed(overview, cards) -> None:
    card = cards[17]
    head = ic.card_head_html(card, "zh", card.observations, english_names(overview))
    assert "报告未给出数值" in head
    assert "✗ 不符" in head
    assert "有数据支持" not in head


def test_the_implied_bound_carries_the_unit(cards) -> None:
    card = cards[5]  # item 6: "覆盖率达到62.5%,已完成目标任务"
    stated = re.search(r"覆盖率达到([\d.]+)%", card.report.line)[1]
    assert ic.bounds_text(card, "zh") == f"2025年目标不高于{stated}%"
    assert ic.bounds_text(cards[18], "zh").startswith("无")  # 超出预期目标: no bound


def test_passed_checks_are_folded_and_counted() -> None:
    checks = pd.DataFrame(
        {
            "passed": [True, True, False, None],
            "description": ["a = b", "c = d", "e = f", "g = h"],
            "note": ["", "", "found 3, expected 4", "no figure for h"],
            "series_ids": ["x", "x", "x", "x"],
        }
    )
    card = ic.Card(
        ic.ReportLine(1, "x", "1、x:y"),
        "x",
        "social_assistance",
        pd.DataFrame(),
        pd.Series(dtype=bool),
        pd.DataFrame(),
        pd.DataFrame(),
        checks,
        [],
    )
    shown = ic.checks_html(card, "en", {})
    open_part, folded = shown.split("<details")
    assert open_part.count("<li>") == 2 and "e = f. Found 3, expected 4" in open_part
    assert "2 checks passed" in folded and folded.count("<li>") == 2
    one = dataclasses.replace(card, checks=checks.iloc[1:])
    assert "1 check passed (show)" in ic.checks_html(one, "en", {})


def test_names_from_the_data_are_escaped_on_a_card(overview, cards) -> None:
    card = cards[5]
    rows = card.rows.copy()
    rows["name_zh"] = "<script>alert(1)</script> & *x* | y"
    shown = ic.series_lines(ic.Card(**{**card.__dict__, "rows": rows}), "zh", card.observations)
    assert "<script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *x* | y" in shown


def test_an_indicator_of_several_series_needs_an_english_heading() -> None:
    rows = pd.DataFrame({"name_en": ["a", "b"]})
    with pytest.raises(KeyError, match="ENGLISH_HEADINGS"):
        ic.english_heading(99, rows)
    assert ic.english_heading(99, rows.iloc[:1]) == "a"


def test_a_trend_chart_is_titled_with_what_it_shows(cards) -> None:
    from analysis.book.chart_blocks import trends_title

    # item 2 by hand: rural 813 -> 897 is +10.3 % (897 / 813 = 1.1033), urban 993 -> 1005 only
    # +1.2 % (1005 / 993 = 1.0121)
    title = trends_title(cards[1].chart_rows, 2025)
    assert title.zh.startswith(
        "2020年至2023年，农村特困对象基本生活标准提高10.3%，城市特困对象基本生活标准只提高1.2%"
    )
    # item 3: 100 -> 501 is 5.0 times; the self-care standards start at 0 and are left out
    assert "增至5.0倍" in trends_title(cards[2].chart_rows, 2025).zh
    assert "rose 5.0-fold" in trends_title(cards[2].chart_rows, 2025).en


def test_the_dashboard_says_why_a_series_has_no_status(overview) -> None:
    from analysis.book.blocks import assessable, dashboard_table, key_indicators

    rows = key_indicators(overview)
    telling = rows["series_id"].isin(assessable(overview)["series_id"]).tolist()
    table = dashboard_table(rows, "zh", overview.observations(), telling)
    status = dict(zip(rows["headline"].astype(int), table["进展状态"], strict=True))
    # by hand from section 一: 6 is one figure (62.5 %) with no published target; 18 states
    # no figure of its own; 15 is a milestone (跨省通办 in 2023-06); 5 meets its target of 100
    assert status[6] == "单一数值，不评估"
    assert status[18] == "报告未给出数值"
    assert status[15] == "节点事件，不评估"
    assert status[5] == "已实现目标"
    assert "数据不足" not in set(table["进展状态"])


def test_the_dashboard_gives_the_change_a_year_where_a_zero_base_leaves_no_rate(overview) -> None:
    """The self-care standards rose from 0 元 in 2020: no compound rate, but 43 and 58 元 in
    three years are +14.3 and +19.3 元 a year (43 / 3, 58 / 3), as the chapter says."""
    from analysis.book.blocks import dashboard_table, key_indicators

    rows = key_indicators(overview)
    table = dashboard_table(rows, "zh", overview.observations())
    growth = dict(zip(rows["series_id"], table["年均增长"], strict=True))
    assert growth["tekun_care_standard_dispersed_selfcare"] == "+14.3 元/人·月/年"
    assert growth["tekun_care_standard_centralised_selfcare"] == "+19.3 元/人·月/年"
    assert growth["dibao_standard_urban"] == "+4.2%"  # (707 / 625) ** (1 / 3) - 1


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_word_of_a_status_column_is_in_the_legend(overview, language) -> None:
    """The overview's status column shows a status, or a word in place of one (单一数值，不评估);
    the legend on the introduction explains each of them."""
    from analysis.book.blocks import (
        LEGEND_HEADERS,
        assessable,
        dashboard_table,
        key_indicators,
        status_legend,
    )
    from analysis.book.tables import MISSING

    rows = key_indicators(overview)
    telling = rows["series_id"].isin(assessable(overview)["series_id"]).tolist()
    table = dashboard_table(rows, language, overview.observations(), telling)
    legend = status_legend(overview.parameters.thresholds, language)
    explained = set(legend[LEGEND_HEADERS["status"][language]])
    shown = set(table[DASHBOARD_STATUS[language]]) - {MISSING}
    assert shown and shown <= explained, shown - explained


DASHBOARD_STATUS = {"zh": "进展状态", "en": "Status"}


def test_the_methodology_names_the_statuses_as_the_legend_does(overview) -> None:
    import json
    from pathlib import Path

    from analysis.book.blocks import status_legend

    notebook = Path(__file__).resolve().parents[1] / "chapters" / "methodology.ipynb"
    text = "".join("".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"])
    sentence = re.search(r"得出([^。]*)等状态", text)
    assert sentence is not None
    named = re.findall(r"“([^”]+)”", sentence[1])
    legend = set(status_legend(overview.parameters.thresholds, "zh")["进展状态"])
    assert len(named) == 4 and set(named) <= legend, set(named) - legend


@pytest.mark.parametrize(
    ("language", "description", "note", "expected"),
    [
        # the note repeats the result the item opens with: said once
        (
            "zh",
            "甲等于乙",
            "无法核验：报告未给出乙的数值",
            "? 无法核验：甲等于乙。报告未给出乙的数值",
        ),
        (
            "zh",
            "甲等于乙",
            "无法依据报告核验：报告未给出乙的数值",
            "? 无法核验：甲等于乙。报告未给出乙的数值",
        ),
        # a description that ends with a question mark takes no full stop after it
        (
            "zh",
            "报告是否给出了这一数值？",
            "无法核验：从未给出",
            "? 无法核验：报告是否给出了这一数值？从未给出",
        ),
        (
            "en",
            "a equals b",
            "cannot be verified from the report: no value for b",
            "? cannot be verified: a equals b. No value for b",
        ),
    ],
)
def test_a_check_that_cannot_be_verified_says_so_once(
    language: str, description: str, note: str, expected: str
) -> None:
    assert ic.check_item(None, description, note, language) == f"<li>{expected}</li>"


def test_a_failed_check_keeps_its_note_whole() -> None:
    shown = ic.check_item(False, "a equals b", "cannot be verified: b is 4", "en")
    assert shown.endswith("a equals b. Cannot be verified: b is 4</li>")


def test_a_trend_chart_without_a_projection_does_not_claim_one() -> None:
    """Two figures half a year apart are drawn, not projected: the title says so."""
    from analysis.book.chart_blocks import projects, trends_title

    rows = pd.DataFrame(
        {
            "series_id": ["s"],
            "name_zh": ["某项补贴标准"],
            "name_en": ["A subsidy standard"],
            "base_date": ["2024"],
            "latest_date": ["2025-06"],
            "base_value": [86.0],
            "latest_value": [94.0],
            "projected_value": [float("nan")],
        }
    )
    assert not projects(rows)
    title = trends_title(rows, 2025)
    assert title.zh.endswith("\n观测值（不作预测）") and "预测至" not in title.zh
    assert title.en.endswith("\nObserved (no projection)")
    assert projects(rows.assign(projected_value=[100.0]))
    assert trends_title(rows.assign(projected_value=[100.0]), 2025).zh.endswith(
        "\n观测值及至2025年的预测"
    )


def test_a_card_s_figures_refer_to_its_quoted_line_instead_of_repeating_it(overview, cards) -> None:
    """Card 3 quotes 一.3, whose one sentence states the twelve figures of its six care
    standards: its table refers to the line above for each, where it repeated the sentence
    twelve times. Figures of other sections keep their own quotes."""
    series = overview.dataset.series
    three = {card.number: card for card in cards}[3]
    table = ic.card_figures(three, series, "zh")
    assert len(table) == 12
    assert set(table["原文"]) == {"见上文所引报告原文"}
    seven = {card.number: card for card in cards}[7]
    quotes = ic.card_figures(seven, series, "zh")["原文"].tolist()
    assert quotes[0] == "见上文所引报告原文"
    assert any("护理型" in quote for quote in quotes[1:])  # 二.(三).3's own sentence
