"""Checks of the report's own words: a rule that lost a character, a count stated in words
against the count of a table, and one figure called by three names."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_audit import check, read_csv, read_observations

from analysis.methods.audit import run_audit


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    return run_audit(read_observations(), read_csv("series.csv"), read_csv("relations.csv"))


def test_the_seven_percent_rule_shows_both_readings(audit: pd.DataFrame) -> None:
    # 城乡低保标准比不低于7% (二.(一).3): a character is lost before 不低于.
    row = check(audit, "lost_word:dibao_rise_7_percent")
    assert row["section"] == "一.1; 二.(一).3"
    assert row["expected"] == ">= 7 %"
    assert pd.isna(row["passed"])  # cannot be verified: the rule cannot be read
    found = row["found"]
    # a yearly rise, 2020 -> 2023: (707/625)^(1/3) - 1 = 4.2 %, (690/625)^(1/3) - 1 = 3.4 %
    assert "yearly 4.2 % (urban), 3.4 % (rural)" in found
    # a total rise since 2020: 707/625 - 1 = 13.1 %, 690/625 - 1 = 10.4 %
    assert "since 2020 13.1 % (urban), 10.4 % (rural)" in found
    assert "would fail" in row["note"] and "would pass" in row["note"]


def test_a_thousand_disabled_users_against_945(audit: pd.DataFrame) -> None:
    # 二.(七).1 为全市千余名残疾人提供康复器具租赁服务; 三.(九) 享受两项补贴残疾人945人
    row = check(audit, "within:assistive_rental_disabled_users")
    assert row["expected"] == 945
    assert row["found"] == "over 1000"  # 千余名: the English column keeps 'over' (余)
    assert row["passed"] is not pd.NA and not row["passed"]
    assert "59" in row["note"]  # only if the 低保 clients were disabled too


def test_one_figure_called_by_three_names(audit: pd.DataFrame) -> None:
    row = check(audit, "names:place_name_sign_rate")
    assert row["section"] == "一.19; 三.(十)"
    assert row["expected"] == "放置率"  # the heading of 一.19
    assert row["found"] == "一.19 sentence: 设置率; 三.(十): 设置覆盖率"
    assert row["passed"] is not pd.NA and not row["passed"]


def bare(text: str) -> str:
    """`text` without what it says in brackets (innermost first: 乡镇(街道) nests)."""
    before = None
    while before != text:
        before, text = text, re.sub(r"\([^()]*\)", "", text)
    return text


def test_english_descriptions_say_it_in_english_and_give_the_report_s_words_in_brackets(
    audit: pd.DataFrame,
) -> None:
    """'trade associations: 直接登记 + 不脱钩 + 已脱钩 = 行业协会商会 total' read as Chinese in
    the English edition. The sums, ratios, parts of wholes, periods, scopes, the preamble's
    counts, the lost word, the names, the repeated figures and the rises now say each term in
    English, the report's words beside it in brackets: outside the brackets only the numerals
    of a section (一.1, 三.(九)) are Chinese."""
    families = ("sum", "ratio", "within", "period", "scope", "verdict", "lost_word", "names")
    families += ("repeat", "increase")  # their series are named in English on the page
    rows = audit[audit["check_id"].str.split(":").str[0].isin(families)]
    assert len(rows) >= 40
    for check_id, description in zip(rows["check_id"], rows["description"], strict=True):
        left = re.sub(r"[一二三四五六七八九十]", "", bare(description))
        assert not re.search(r"[\u4e00-\u9fff]", left), (check_id, description)
