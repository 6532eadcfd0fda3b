"""Titles that say what a table or chart shows: counts worked out by hand from small frames."""

from __future__ import annotations

import pandas as pd

from analysis.book import titles


def test_statuses_are_counted_most_frequent_first() -> None:
    codes = pd.Series(["limited_progress", "substantial_progress", "substantial_progress", None])
    assert titles.tally(codes, "zh") == "2项无目标·增长较快、1项进展有限"
    assert titles.tally(codes, "en") == "no target: fast growth for 2, limited progress for 1"


def test_the_dashboard_counts_targets_and_the_met_among_the_stated() -> None:
    rows = pd.DataFrame(
        {
            "headline": [1, 1, 2, 3],
            "target_value": [None, 100.0, 100.0, 55.0],
            "n_points": [2, 1, 0, 1],  # indicator 2 has a target but no figure
            "category": [
                "substantial_progress",
                "target_achieved",
                "not_assessed",
                "target_achieved",
            ],
        }
    )
    title = titles.dashboard_title(rows, 3)
    assert title.zh == (
        "3项主要目标指标的4个数据系列：3个可评估进展；3个有已公布目标，其中报告数据证实已达标的2个"
    )


def test_rules_count_what_holds_fails_and_cannot_be_checked() -> None:
    relations = pd.DataFrame({"holds": [True, True, False, None, pd.NA]})
    assert titles.relations_title(relations).zh == (
        "报告所述5条规则：按报告数值2条成立，1条不成立，2条因缺少数值无法核验"
    )
    assert titles.relations_title(pd.DataFrame({"holds": [True]})).en == (
        "The report's 1 rule: 1 holds on its figures"
    )


def test_the_audit_title_counts_failures_and_the_unverifiable() -> None:
    checks = pd.DataFrame({"passed": [False, None, None]})
    title = titles.audit_title("社会救助", "Social assistance", checks)
    assert title.zh == "社会救助：1处与报告自身不符，2处无法核验"
    assert title.en == (
        "Social assistance: 1 where the report disagrees with itself and 2 that cannot be checked"
    )


def test_progress_counts_met_ahead_and_behind() -> None:
    shown = pd.DataFrame({"task_share": [None, 0.7, 0.3], "time_share": [0.6, 0.6, 0.6]})
    title = titles.progress_title(shown, ["met", "bar", "bar"])
    assert (
        title.zh == "有已公布目标和数据的3个系列：1个已达到目标，1个进度快于时间，1个进度落后于时间"
    )


def test_counts_stated_once_say_no_change_can_be_seen() -> None:
    once = pd.DataFrame({"n_points": [1, 1]})
    title = titles.counts_title("社会组织", "Social organisations", once)
    assert "均只有一个时点的数值" in title.zh
    assert "its one count" in titles.counts_title("x", "X", once.iloc[:1]).en
    assert titles.counts_title("x", "X", pd.DataFrame({"n_points": [1, 2]})).zh == (
        "x：各数量指标的最新值"
    )


def test_a_status_title_names_the_projection_year_only_when_something_is_projected() -> None:
    achieved = pd.DataFrame({"category": ["target_achieved"], "projected_value": [None]})
    title = titles.status_title("养老服务", "Elderly care", achieved, 22, 2025)
    assert title.zh == "养老服务：可评估的1项指标（本章共22个数据系列）中，1项已实现目标"
    assert title.en == (
        "Elderly care: of the 1 series that can be assessed (of 22), target achieved for 1"
    )
    projected = achieved.assign(projected_value=[80.0])
    assert titles.status_title("养老服务", "Elderly care", projected, 22, 2025).zh.endswith(
        "1项已实现目标（预测至2025年）"
    )
