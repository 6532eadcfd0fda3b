"""The verdicts of section 一 against the report's own words: problems admitted in section 五,
measures never stated, and what a verdict of 已完成目标任务 implies about the target."""

from __future__ import annotations

import pandas as pd
import pytest
from test_audit import DATA, check, read_csv, read_observations, read_targets

from analysis.methods.audit import QUALIFIED_VERDICTS, UNSTATED_MEASURES, run_audit
from analysis.methods.verdicts import implied_bounds

REPORT = (DATA / "source" / "report.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    return run_audit(
        read_observations(), read_csv("series.csv"), read_csv("relations.csv"), read_targets()
    )


def test_problems_and_headings_are_quoted_verbatim() -> None:
    for qualified in QUALIFIED_VERDICTS:
        assert qualified.quote in REPORT, qualified.quote
    for measure in UNSTATED_MEASURES:
        assert f"{measure.headline}、{measure.heading}:" in REPORT, measure.heading


# every pair of a problem of section 五 and the verdict of section 一 it qualifies
PAIRS = {
    "qualified:五.三:一.1": "已完成目标任务",  # 低保 standards rank low in the province
    "qualified:五.三:一.2": "已完成目标任务",  # 特困 standards (等社会救助标准)
    "qualified:五.三:一.3": "已完成目标任务",  # 特困 care standards
    "qualified:五.四:一.7": "已完成目标任务",  # 一床难求 and 床位空置 side by side
    "qualified:五.四:一.8": "达到预期目标",  # the community care network is incomplete
    "qualified:五.四:一.9": "已完成目标任务",  # embedded community institutions lacking
    "qualified:五.五:一.16": "已完成目标任务",  # some areas without a public cemetery
    "qualified:五.六:一.11": "达到预期目标",  # community social organisations lag
    "qualified:五.六:一.12": "达到预期目标",  # social-work talent and services weak
}


def test_every_pair_of_problem_and_verdict_is_a_row(audit: pd.DataFrame) -> None:
    rows = audit[audit["check_id"].str.startswith("qualified:")]
    assert set(rows["check_id"]) == set(PAIRS)
    for check_id, verdict in PAIRS.items():
        row = check(audit, check_id)
        assert row["expected"] == verdict
        assert row["found"] in REPORT  # the admitted problem, verbatim
        assert pd.isna(row["passed"])


def test_low_provincial_rank_qualifies_the_dibao_verdict(audit: pd.DataFrame) -> None:
    row = check(audit, "qualified:五.三:一.1")
    assert row["found"] == "城乡低保等社会救助标准在全省处于落后位次"
    assert row["section"] == "一.1; 五.三"


@pytest.mark.parametrize(
    ("headline", "stated"),
    [
        (1, "707"),  # the standards, not their ratio to consumption
        (9, "20-30"),  # the area standards, not the compliance rate
        (15, "2023-06"),  # the dates, not the implementation rate
    ],
)
def test_completed_without_its_own_measure(audit: pd.DataFrame, headline: int, stated: str) -> None:
    row = check(audit, f"unstated_measure:一.{headline}")
    assert pd.isna(row["passed"])
    assert stated in row["found"]
    assert "已完成目标任务" in row["note"]


def test_a_completed_verdict_implies_the_target_was_at_most_the_figure() -> None:
    bounds = implied_bounds(read_observations(), read_csv("series.csv"), read_targets())
    nursing = bounds.set_index("series_id").loc["nursing_bed_share"]
    assert nursing["figure"] == 77.18
    assert nursing["implied"] == "the 2025 target was at most 77.18"
    assert nursing["published_target"] == ">= 55"
    assert (nursing["published_comparator"], nursing["published_value"]) == (">=", 55)
    assert nursing["consistent"] == "yes"
    # a verdict other than 已完成目标任务 implies nothing about the 2025 target
    assert "community_service_area_per_100_households" not in set(bounds["series_id"])
    # a series without a stated figure has no bound
    assert "elderly_facility_compliance_rate" not in set(bounds["series_id"])
    assert set(bounds["verdict"]) == {"已完成目标任务"}
    assert "target_value" not in bounds.columns  # never a target


def test_the_implied_bounds_come_in_the_report_s_order() -> None:
    """The overview's table ran 1, 2, 3, 6, 7, 13, 14, 5, 16, 17 (the order of series.csv):
    the key indicators called 已完成目标任务 with a figure of their own come in section 一's
    order."""
    bounds = implied_bounds(read_observations(), read_csv("series.csv"), read_targets())
    numbers = list(dict.fromkeys(int(h) for h in bounds["headline"]))
    assert numbers == [1, 2, 3, 5, 6, 7, 13, 14, 16, 17]


def test_the_verdict_bound_against_a_published_target_is_an_audit_row(
    audit: pd.DataFrame,
) -> None:
    row = check(audit, "verdict_bound:nursing_bed_share")
    assert row["expected"] == "the 2025 target was at most 77.18"
    assert row["found"] == ">= 55"
    assert row["passed"] is not pd.NA and row["passed"]
