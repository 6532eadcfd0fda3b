"""One thing stated twice with a different scope or for a different period: the checks that
say so, instead of passing the two statements as an agreeing repeat."""

from __future__ import annotations

import pandas as pd
import pytest
from test_audit import check, read_csv, read_observations

from analysis.methods.audit import run_audit


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    return run_audit(read_observations(), read_csv("series.csv"), read_csv("relations.csv"))


def test_city_and_urban_community_space_are_two_series() -> None:
    observations = read_observations()
    city = observations[observations["series_id"] == "community_service_area_per_100_households"]
    urban = observations[
        observations["series_id"] == "urban_community_service_area_per_100_households"
    ]
    assert list(city["section"]) == ["一.10"]  # 我市每百户居民的社区用房配备达到34平米 (城乡)
    assert list(urban["section"]) == ["三.(四).2"]  # 全市213个城市社区 … 34平米
    series = read_csv("series.csv").set_index("series_id")
    assert series.loc["urban_community_service_area_per_100_households", "headline"] == ""
    assert "213" in series.loc["urban_community_service_area_per_100_households", "note"]


def test_the_two_scopes_are_not_an_agreeing_repeat(audit: pd.DataFrame) -> None:
    assert not audit["check_id"].str.startswith("repeat:community_service_area").any()
    row = check(audit, "scope:community_service_area_per_100_households")
    assert row["section"] == "一.10; 三.(四).2"
    assert row["expected"] == 34  # the whole city, urban and rural (一.10)
    assert row["found"] == 34  # the 213 urban communities only (三.(四).2)
    assert pd.isna(row["passed"])  # cannot be verified: the report gives no rural figure
    assert "213" in row["note"] and "rural" in row["note"]


@pytest.mark.parametrize(
    ("check_id", "limit", "part"),
    [
        # 二.(八).3 更新设置新的二维码1.4万个 against 三.(十) 2022年…增设路牌二维码1.6万个
        ("period:place_name_qr_codes", 14000, 16000),
        # 二.(八).3 路牌522个 against 三.(十) 2022年…二维码路牌1918个
        ("period:road_signs", 522, 1918),
    ],
)
def test_a_total_smaller_than_one_years_addition_fails(
    audit: pd.DataFrame, check_id: str, limit: float, part: float
) -> None:
    row = check(audit, check_id)
    assert row["expected"] == limit
    assert row["found"] == part
    assert row["passed"] is not pd.NA and not row["passed"]
    assert "2022" in row["note"]
