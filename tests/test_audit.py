"""The audit of the report against itself: each check's expected and found values against
arithmetic worked out by hand from the report's sentences, the known findings (failed checks),
and the behaviour of the check functions on small frames.

The data files are read here with pandas directly (dtype str, then numbers), not through
analysis.inputs.dataset, so that these tests depend only on the CSVs and on
analysis.methods.audit."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.language import Text
from analysis.core.report import section_key
from analysis.methods.audit import (
    COLUMNS,
    NO_DATA,
    SUM_CHECKS,
    AtMostCheck,
    RatioCheck,
    SumCheck,
    at_most_checks,
    compare,
    half_unit_of_last_digit,
    ratio_checks,
    relation_checks,
    repeat_checks,
    run_audit,
    sum_checks,
)

DATA = Path(__file__).resolve().parents[1] / "data"
X = Text("某项核验", "a check")  # the description of a check built by a test


def read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def read_observations() -> pd.DataFrame:
    frame = read_csv("observations.csv")
    for column in ("value", "value_low", "value_high"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype(float)
    return frame


def read_targets() -> pd.DataFrame:
    frame = read_csv("targets.csv")
    frame["value"] = frame["value"].astype(float)
    frame["target_year"] = frame["target_year"].astype(int)
    return frame


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    return run_audit(
        read_observations(), read_csv("series.csv"), read_csv("relations.csv"), read_targets()
    )


def check(audit: pd.DataFrame, check_id: str) -> pd.Series:
    rows = audit[audit["check_id"] == check_id]
    assert len(rows) == 1, f"{check_id}: {len(rows)} rows"
    return rows.iloc[0]


# --------------------------------------------------------------------------- the table itself


def test_columns_and_types(audit: pd.DataFrame) -> None:
    assert list(audit.columns) == COLUMNS
    # the English columns are a contract read elsewhere: first, in this order, unchanged
    assert COLUMNS[:7] == [
        "check_id",
        "section",
        "description",
        "expected",
        "found",
        "passed",
        "note",
    ]
    assert audit["passed"].dtype == "boolean"  # nullable: <NA> when a check lacks data
    assert audit["check_id"].is_unique
    assert (audit["description"].str.len() > 0).all()


def test_the_known_findings_are_exactly_the_failed_checks(audit: pd.DataFrame) -> None:
    failed = set(audit.loc[audit["passed"].eq(False).fillna(False), "check_id"])
    unverifiable = set(audit.loc[audit["passed"].isna(), "check_id"])
    assert failed == {
        # contradictions within the report
        "sum:trade_associations",
        "repeat:child_director_count:2023:三.(二).2",
        "verdict:key_indicators_completed_early",
        "headline_sentence:一.18",
        "relation_strict:tekun_over_dibao_rural_s1_2:2023",
        # a total for the period smaller than one year's addition (二.(八).3 vs 三.(十))
        "period:place_name_qr_codes",
        "period:road_signs",
        # 千余名残疾人 (二.(七).1) against 945 disabled clients (三.(九))
        "within:assistive_rental_disabled_users",
        # 放置率 (heading of 一.19), 设置率 (its sentence), 设置覆盖率 (三.(十))
        "names:place_name_sign_rate",
    }
    # claims the report gives no figure to verify (found = "no data", passed = <NA>)
    assert unverifiable == {
        "relation:tekun_over_consumption_urban_s1_2",
        "relation:tekun_over_consumption_rural_s1_2",
        "relation:tekun_over_consumption_urban_s2_1_3",
        "relation:tekun_over_consumption_rural_s2_1_3",
        "relation:community_worker_pay_over_average_wage_s2_4_4",
        # one figure for two scopes (一.10 the whole city, 三.(四).2 the urban communities)
        "scope:community_service_area_per_100_households",
        # 城乡低保标准比不低于7%: a character is lost, two readings
        "lost_word:dibao_rise_7_percent",
        # problems of section 五 beside the verdicts of section 一 they qualify
        "qualified:五.三:一.1",
        "qualified:五.三:一.2",
        "qualified:五.三:一.3",
        "qualified:五.四:一.7",
        "qualified:五.四:一.8",
        "qualified:五.四:一.9",
        "qualified:五.五:一.16",
        "qualified:五.六:一.11",
        "qualified:五.六:一.12",
        # called 已完成目标任务 without their own measure
        "unstated_measure:一.1",
        "unstated_measure:一.9",
        "unstated_measure:一.15",
    }


# --------------------------------------------------------------------------- sums
# Worked by hand from the report's sentences.


@pytest.mark.parametrize(
    ("check_id", "expected", "found", "passed"),
    [
        ("sum:vagrancy_aid", 1449, 1111 + 338, True),  # 1111 + 338 = 1449 (二.(七).2)
        ("sum:party_branches", 14, 9 + 5, True),  # 9 + 5 = 14 (二.(五).1)
        ("sum:assistive_rental_clients", 1004, 59 + 945, True),  # 59 + 945 = 1004 (三.(九))
        # 2700万 + 1800万 = 4500万 (三.(八))
        ("sum:mental_health_facility_funding", 45_000_000, 27_000_000 + 18_000_000, True),
        # 8 + 35 + 67 = 110, but the report says 122 (三.(五).1): a finding
        ("sum:trade_associations", 122, 110, False),
    ],
)
def test_sum_checks(
    audit: pd.DataFrame, check_id: str, expected: float, found: float, passed: bool
) -> None:
    row = check(audit, check_id)
    assert row["expected"] == expected
    assert row["found"] == found
    assert bool(row["passed"]) is passed


def test_trade_association_note_gives_the_gap(audit: pd.DataFrame) -> None:
    assert "off by 12" in check(audit, "sum:trade_associations")["note"]  # 122 - 110 = 12


# --------------------------------------------------------------------------- ratios


def test_juvenile_station_coverage_is_70_of_112(audit: pd.DataFrame) -> None:
    row = check(audit, "ratio:juvenile_protection_station_coverage")
    assert row["expected"] == 62.5
    assert row["found"] == pytest.approx(62.5)  # 70 / 112 = 0.625 exactly
    assert row["passed"]


def test_party_branch_formation_rate_is_27_of_36(audit: pd.DataFrame) -> None:
    row = check(audit, "ratio:party_branch_formation_rate")
    assert row["expected"] == 75
    assert row["found"] == pytest.approx(75.0)  # 27 / 36 = 0.75 exactly
    assert row["passed"]


# --------------------------------------------------------------------------- parts within wholes


@pytest.mark.parametrize(
    ("check_id", "limit", "part"),
    [
        ("within:rural_community_social_orgs", 1235 + 6455, 5125),  # 7690 >= 5125
        ("within:trade_associations_city_level", 122, 60),
        ("within:urban_elderly_facility_area_added", 390_000, 23_000),  # 39万 vs 2.3万 ㎡
        ("within:party_members_new", 28, 8),
        ("within:party_members_recruited", 101, 28),
        ("within:townships_have_child_supervisors", 149, 112),  # 149 supervisors, 112 townships
        # a figure the report qualifies keeps its qualifier in the English column too
        ("within:assistive_rental_over_a_thousand", 1004, "over 1000"),  # 千余名
        ("within:assistive_rental_volume", "over 2000", 1004),  # 2000余人次
    ],
)
def test_parts_within_wholes(
    audit: pd.DataFrame, check_id: str, limit: float | str, part: float | str
) -> None:
    row = check(audit, check_id)
    assert row["expected"] == limit
    assert row["found"] == part
    assert row["passed"]


# --------------------------------------------------------------------------- repeated figures


@pytest.mark.parametrize(
    ("check_id", "value"),
    [
        ("repeat:juvenile_protection_station_count:2023:二.(二).2", 70),  # 一.6 and 二.(二).2
        ("repeat:juvenile_protection_station_count:2023:三.(二).2", 70),  # 一.6 and 三.(二).2
        ("repeat:nursing_bed_count:2023:二.(三).3", 28835),
        ("repeat:nursing_bed_share:2023:二.(三).3", 77.18),
        ("repeat:child_supervisor_count:2023:三.(二).2", 149),
        ("repeat:place_name_sign_rate:2023:三.(十)", 97.9),  # undated 一.19 vs 2023年第一季度
        ("repeat:elderly_facility_area_standard_new:2023:二.(三).2", "20-30"),
        ("repeat:elderly_facility_area_standard_existing:2023:二.(三).2", "15-20"),
    ],
)
def test_figures_stated_twice_agree(audit: pd.DataFrame, check_id: str, value: object) -> None:
    row = check(audit, check_id)
    assert row["expected"] == value
    assert row["found"] == value
    assert row["passed"]


def test_child_directors_1498_and_1448_disagree(audit: pd.DataFrame) -> None:
    row = check(audit, "repeat:child_director_count:2023:三.(二).2")
    assert row["expected"] == 1498  # 儿童主任1498人, 二.(二).2
    assert row["found"] == 1448  # 村(居)儿童保护专干1448名, 三.(二).2
    assert not row["passed"]


# --------------------------------------------------------------------------- stated rules


@pytest.mark.parametrize("statement", ["s1_2", "s2_1_3"])
@pytest.mark.parametrize(
    ("area", "date", "tekun", "bound"),
    [
        ("urban", "2020", 993, 812.5),  # 1.3 x 625 = 812.5
        ("urban", "2023", 1005, 919.1),  # 1.3 x 707 = 919.1
        ("rural", "2020", 813, 812.5),  # 1.3 x 625 = 812.5
        ("rural", "2023", 897, 897.0),  # 1.3 x 690 = 897.0: exactly at the bound
    ],
)
def test_tekun_is_at_least_1_3_times_dibao(
    audit: pd.DataFrame, statement: str, area: str, date: str, tekun: float, bound: float
) -> None:
    row = check(audit, f"relation:tekun_over_dibao_{area}_{statement}:{date}")
    assert row["expected"] == pytest.approx(bound)
    assert row["found"] == tekun
    assert row["passed"]


def test_higher_than_is_strict_and_rural_2023_is_only_equal(audit: pd.DataFrame) -> None:
    # 一.2 says 高于低保标准的1.3倍 (higher than); 二.(一).3 says 不低于 (not lower than).
    assert check(audit, "relation_strict:tekun_over_dibao_urban_s1_2:2023")["passed"]
    assert check(audit, "relation_strict:tekun_over_dibao_rural_s1_2:2020")["passed"]  # 813 > 812.5
    rural_2023 = check(audit, "relation_strict:tekun_over_dibao_rural_s1_2:2023")
    assert rural_2023["found"] == 897
    assert rural_2023["expected"] == pytest.approx(897.0)
    assert not rural_2023["passed"]
    # the 不低于 wording of 二.(一).3 is not checked strictly
    assert not audit["check_id"].str.startswith("relation_strict:tekun_over_dibao_rural_s2").any()


@pytest.mark.parametrize(
    "relation_id",
    [
        "tekun_over_consumption_urban_s1_2",
        "tekun_over_consumption_rural_s2_1_3",
        "community_worker_pay_over_average_wage_s2_4_4",
    ],
)
def test_rules_without_figures_say_no_data(audit: pd.DataFrame, relation_id: str) -> None:
    row = check(audit, f"relation:{relation_id}")
    assert row["found"] == NO_DATA
    assert row["passed"] is pd.NA
    assert "cannot be verified" in row["note"]


# --------------------------------------------------------------------------- claimed increases


@pytest.mark.parametrize(
    ("series_id", "before", "after"),
    [
        ("dibao_standard_urban", 625, 707),
        ("dibao_standard_rural", 625, 690),
        ("tekun_basic_standard_urban", 993, 1005),
        ("tekun_basic_standard_rural", 813, 897),
        ("tekun_care_standard_dispersed_full", 100, 501),
        ("tekun_care_standard_dispersed_half", 90, 286),
        ("tekun_care_standard_dispersed_selfcare", 0, 43),
        ("tekun_care_standard_centralised_full", 300, 715),
        ("tekun_care_standard_centralised_half", 200, 429),
        ("tekun_care_standard_centralised_selfcare", 0, 58),
    ],
)
def test_raised_standards_rose(
    audit: pd.DataFrame, series_id: str, before: float, after: float
) -> None:
    row = check(audit, f"increase:{series_id}")
    assert row["expected"] == f"> {before:g}"
    assert row["found"] == after
    assert row["passed"]


# --------------------------------------------------------------------------- verdicts


def test_verdict_counts_against_the_preamble(audit: pd.DataFrame) -> None:
    # Section 一: 已完成目标任务 for 1 2 3 5 6 7 9 13 14 15 16 17 18 (13 indicators),
    # 达到预期目标 for 4 8 10 11 12 (5), 超出预期目标 for 19 (1): 13 + 5 + 1 = 19.
    total = check(audit, "verdict:key_indicators_total")
    assert (total["expected"], total["found"], total["passed"]) == (19, 19, True)
    met = check(audit, "verdict:key_indicators_met")
    assert (met["expected"], met["found"], met["passed"]) == (19, 19, True)
    early = check(audit, "verdict:key_indicators_completed_early")
    assert early["expected"] == 10  # 其中10项指标已经提前完成目标任务
    assert early["found"] == 13
    assert not early["passed"]
    assert check(audit, "verdict:one_per_key_indicator")["passed"]


def test_headline_18_names_headline_17s_indicator(audit: pd.DataFrame) -> None:
    row = check(audit, "headline_sentence:一.18")
    assert row["expected"] == "重度残疾人护理补贴覆盖率"
    assert row["found"] == "困难残疾人生活补贴覆盖率"
    assert not row["passed"]
    assert check(audit, "headline_sentence:一.17")["passed"]


# --------------------------------------------------------------------------- the functions


def frame(rows: list[tuple[str, str, str, float | None]]) -> pd.DataFrame:
    """Observations from (series_id, date, section, value) tuples."""
    return pd.DataFrame(
        {
            "series_id": [r[0] for r in rows],
            "date": [r[1] for r in rows],
            "value": [math.nan if r[3] is None else r[3] for r in rows],
            "value_low": math.nan,
            "value_high": math.nan,
            "qualifier": "",
            "section": [r[2] for r in rows],
            "quote": "",
            "source": "report",
            "note": "",
        }
    )


def test_values_come_from_the_data_not_from_constants() -> None:
    observations = read_observations()
    changed = observations.copy()
    changed.loc[changed["series_id"] == "vagrancy_aid_outside_station", "value"] = 339.0
    vagrancy = [c for c in SUM_CHECKS if c.check_id == "sum:vagrancy_aid"]
    row = sum_checks(changed, vagrancy)[0]
    assert row["found"] == 1111 + 339
    assert not row["passed"]


def test_sum_check_with_a_missing_part_says_no_data() -> None:
    observations = frame([("total", "2023", "一.1", 3.0), ("a", "2023", "一.1", 1.0)])
    check_ = SumCheck("sum:x", ("total", "一.1"), (("a", "一.1"), ("b", "一.1")), X)
    row = sum_checks(observations, [check_])[0]
    assert (row["expected"], row["found"]) == (NO_DATA, NO_DATA)
    assert row["passed"] is None  # check_row leaves it None; run_audit makes it <NA>


def test_ratio_tolerance_is_half_the_last_stated_digit() -> None:
    assert half_unit_of_last_digit(62.5) == pytest.approx(0.05)
    assert half_unit_of_last_digit(75.0) == pytest.approx(0.5)
    assert half_unit_of_last_digit(77.18) == pytest.approx(0.005)
    # 2 / 3 x 100 = 66.67 rounds to 66.7 (passes) but not to 66.6 (fails)
    for stated, passed in ((66.7, True), (66.6, False)):
        observations = frame(
            [("r", "2023", "一.1", stated), ("n", "2023", "一.1", 2.0), ("d", "2023", "一.1", 3.0)]
        )
        check_ = RatioCheck("ratio:x", ("r", "一.1"), ("n", "一.1"), ("d", "一.1"), X)
        assert bool(ratio_checks(observations, [check_])[0]["passed"]) is passed


def test_at_most_fails_when_the_part_exceeds_the_whole() -> None:
    observations = frame([("part", "2023", "一.1", 5.0), ("whole", "2023", "一.1", 4.0)])
    check_ = AtMostCheck("within:x", (("part", "一.1"),), (("whole", "一.1"),), X)
    row = at_most_checks(observations, [check_])[0]
    assert (row["expected"], row["found"], row["passed"]) == (4.0, 5.0, False)


def test_compare_is_tolerant_of_float_noise_but_strict_when_asked() -> None:
    assert 3 * 0.1 != 0.3  # floating point: 0.30000000000000004
    assert compare(0.3, ">=", 3 * 0.1)
    assert not compare(0.3, ">=", 3 * 0.1, strict=True)
    assert compare(897.0, ">=", 1.3 * 690)  # 1.3 x 690 = 897: at the bound
    assert not compare(897.0, ">=", 1.3 * 690, strict=True)
    assert compare(1.0, "<=", 1.0) and compare(2.0, "==", 2.0)
    with pytest.raises(ValueError):
        compare(1.0, "=>", 1.0)


def test_relation_checks_pair_values_by_date() -> None:
    observations = frame(
        [
            ("left", "2020", "一.1", 13.0),
            ("left", "2023", "一.1", 12.0),
            ("right", "2020", "一.1", 10.0),
            ("right", "2023", "一.1", 10.0),
            ("right", "2015", "一.1", 1.0),  # no left value in 2015: not checked
        ]
    )
    relations = pd.DataFrame(
        [
            {
                "relation_id": "r",
                "left_series_id": "left",
                "comparator": ">=",
                "factor": "1.3",
                "right_series_id": "right",
                "section": "一.1",
                "quote": "不低于1.3倍",
                "source": "report",
            }
        ]
    )
    rows = {row["check_id"]: row for row in relation_checks(observations, relations)}
    assert set(rows) == {"relation:r:2020", "relation:r:2023"}
    assert rows["relation:r:2020"]["passed"]  # 13 >= 13
    assert not rows["relation:r:2023"]["passed"]  # 12 < 13
    assert relation_checks(observations, None) == []


def test_repeat_checks_ignore_outside_figures_and_milestones() -> None:
    observations = frame([("s", "2023", "一.1", 1.0), ("s", "2023", "二.(一).1", 2.0)])
    series = pd.DataFrame({"series_id": ["s"], "kind": ["count"], "name_zh": ["s"]})
    assert len(repeat_checks(observations, series)) == 1
    observations.loc[1, "source"] = "an outside document"
    assert repeat_checks(observations, series) == []


def test_section_key_follows_report_order() -> None:
    sections = ["三.(十)", "一.19", "前言", "二.(一).3", "一.2", "三.(二).2", "四.3", "二.(八).3"]
    assert sorted(sections, key=section_key) == [
        "前言",
        "一.2",
        "一.19",
        "二.(一).3",
        "二.(八).3",
        "三.(二).2",
        "三.(十)",
        "四.3",
    ]
