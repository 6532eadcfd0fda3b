"""The domain analyses, against values worked out by hand from the report's figures, and on
small synthetic frames for the edge cases (zero base, missing input, a floor never crossed, a
range input, qualifiers)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.dates import fractional_year
from analysis.inputs.chapters import DOMAIN_CHAPTERS
from analysis.inputs.dataset import Dataset, load_dataset
from analysis.inputs.parameters import Parameters
from analysis.methods import domain
from analysis.methods.results import book_results

PROJECT = Path(__file__).resolve().parents[1]
NAN = float("nan")


@pytest.fixture(scope="module")
def real() -> tuple[Dataset, pd.DataFrame]:
    dataset = load_dataset(PROJECT)
    results = book_results(dataset, {c.name: Parameters() for c in DOMAIN_CHAPTERS})
    return dataset, results


def observations(*rows: tuple) -> pd.DataFrame:
    """A synthetic observations frame: (series_id, date, value[, low, high, qualifier])."""
    records = []
    for row in rows:
        series_id, date, value, *rest = row
        low, high, qualifier = [*rest, NAN, NAN, ""][:3]
        records.append(
            {
                "series_id": series_id,
                "date": date,
                "t": fractional_year(date),
                "value": value,
                "value_low": low,
                "value_high": high,
                "qualifier": qualifier,
                "section": "一.1",
                "source": "report",
            }
        )
    return pd.DataFrame(records)


def by(frame: pd.DataFrame, **where: object) -> dict:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"{where}: {len(rows)} rows"
    return rows.iloc[0].to_dict()


# The urban-rural 低保 gap ---------------------------------------------------------------------


def test_the_dibao_gap_is_zero_in_2020_and_17_yuan_in_2023(real) -> None:
    dataset, _ = real
    gap = domain.dibao_gap(dataset.observations)
    # 一.1: both 625 in 2020; 707 (urban) against 690 (rural) now (2023).
    y2020 = by(gap, date="2020")
    assert (y2020["gap"], y2020["ratio"], y2020["equal"]) == (0.0, 1.0, True)
    y2023 = by(gap, date="2023")
    assert y2023["gap"] == 17.0  # 707 - 690
    assert y2023["ratio"] == pytest.approx(1.02464, abs=1e-5)  # 707 / 690 = 1.024638
    assert not y2023["equal"]
    assert (y2023["urban_section"], y2023["rural_section"], y2023["source"]) == (
        "一.1",
        "一.1",
        "report",
    )


def test_the_2015_gap_keeps_the_plan_document_as_its_source(real) -> None:
    dataset, _ = real
    y2015 = by(domain.dibao_gap(dataset.observations), date="2015")
    # 430 urban against 2200 元/年 / 12 = 183.33 rural: 430 / 183.33 = 2.3455
    assert y2015["ratio"] == pytest.approx(2.3455, abs=1e-4)
    assert "宿民发〔2022〕86号" in y2015["source"]


def test_a_date_with_one_standard_only_gives_no_gap() -> None:
    frame = observations(
        ("dibao_standard_urban", "2020", 600.0),
        ("dibao_standard_rural", "2020", 500.0),
        ("dibao_standard_urban", "2023", 700.0),
    )
    gap = domain.dibao_gap(frame)
    assert list(gap["date"]) == ["2020"]
    assert gap["gap"].iloc[0] == 100.0  # 600 - 500


# 特困 as a multiple of 低保 -----------------------------------------------------------------


def test_rural_tekun_is_exactly_at_the_floor_not_above_it(real) -> None:
    dataset, _ = real
    multiples = domain.tekun_multiples(dataset.observations, dataset.relations)
    rural = by(multiples, area="rural", date="2023")
    # 一.2: rural 特困 897 = 1.3 x 690 = 897 exactly: the floor is met, 高于 (above) is not.
    assert rural["multiple"] == pytest.approx(1.3, abs=1e-12)
    assert rural["floor_value"] == pytest.approx(897.0)
    assert rural["margin"] == 0.0
    assert rural["meets_floor"] and not rural["strictly_above"]
    assert rural["rule_sections"] == "一.2、二.(一).3"


@pytest.mark.parametrize(
    ("area", "date", "multiple", "margin"),
    [
        ("urban", "2020", 1.5888, 180.5),  # 993 / 625 = 1.5888; 993 - 812.5 = 180.5
        ("urban", "2023", 1.4215, 85.9),  # 1005 / 707 = 1.42150; 1005 - 919.1 = 85.9
        ("rural", "2020", 1.3008, 0.5),  # 813 / 625 = 1.3008; 813 - 812.5 = 0.5
    ],
)
def test_tekun_multiples_and_margins(real, area, date, multiple, margin) -> None:
    dataset, _ = real
    row = by(domain.tekun_multiples(dataset.observations, dataset.relations), area=area, date=date)
    assert row["multiple"] == pytest.approx(multiple, abs=5e-5)
    assert row["margin"] == pytest.approx(margin, abs=1e-9)
    assert row["strictly_above"]


def test_a_standard_below_the_floor_fails_it(real) -> None:
    dataset, _ = real
    frame = observations(
        ("tekun_basic_standard_rural", "2023", 800.0),
        ("dibao_standard_rural", "2023", 690.0),
    )
    row = by(domain.tekun_multiples(frame, dataset.relations), area="rural")
    assert row["margin"] == pytest.approx(-97.0)  # 800 - 897
    assert not row["meets_floor"] and not row["strictly_above"]


# The projection of the floor -----------------------------------------------------------------


def test_urban_tekun_falls_below_the_floor_in_2026_at_the_observed_paces(real) -> None:
    dataset, results = real
    projection = domain.tekun_floor_projection(
        dataset.observations, dataset.relations, results, 2025
    )
    urban = by(projection, area="urban")
    # Paces 2020 -> 2023: 特困 (1005/993)^(1/3) - 1 = 0.4012 %; 低保 (707/625)^(1/3) - 1 =
    # 4.1949 %. The multiple 1.42150 shrinks by 1.004012 / 1.041949 = 0.963590 a year:
    # end-2025 1.42150 x 0.963590^2 = 1.31987 (above 1.3), end-2026 x 0.963590 = 1.27182.
    # Crossing: 2023 + ln(1.3 / 1.42150) / ln(0.963590) = 2023 + 2.409 = 2025.41.
    assert urban["tekun_cagr"] == pytest.approx(0.004012, abs=1e-6)
    assert urban["dibao_cagr"] == pytest.approx(0.041949, abs=1e-6)
    assert urban["multiple_at_horizon"] == pytest.approx(1.31987, abs=1e-5)
    assert urban["first_year_below"] == 2026
    assert urban["outcome"] == domain.FALLS_BELOW_AFTER_HORIZON
    assert urban["crossing_t"] == pytest.approx(2025.409, abs=1e-3)
    assert urban["basis"] == domain.PROJECTED


def test_rural_tekun_falls_below_only_after_the_plan_once_rounding_is_allowed(real) -> None:
    dataset, results = real
    projection = domain.tekun_floor_projection(
        dataset.observations, dataset.relations, results, 2025
    )
    rural = by(projection, area="rural")
    # Paces: 特困 (897/813)^(1/3) - 1 = 3.3318 %; 低保 (690/625)^(1/3) - 1 = 3.3530 %: from
    # exactly 1.3 in 2023 the multiple slips below at once, but by 0.19 元 at the end of 2024
    # (897 x 1.033318 = 926.89 against 1.3 x 690 x 1.033530 = 927.08) and 0.39 元 at the end
    # of 2025: under the half yuan the standards are rounded to. The first shortfall beyond it
    # is the end of 2026: 1.3 x 690 x 1.033530^3 - 897 x 1.033318^3 = 0.61 元.
    assert rural["first_year_below"] == 2026
    assert rural["outcome"] == domain.FALLS_BELOW_AFTER_HORIZON
    assert rural["margin_at_year"] == pytest.approx(-0.61, abs=0.005)


def test_a_tekun_standard_growing_faster_never_falls_below() -> None:
    # 特困 +5 % a year against 低保 +3 %: the multiple grows, the floor is never crossed.
    outcome, year, crossing = domain.first_year_below(1.4, 2023.0, 0.05, 0.03, 1.3)
    assert (outcome, year) == (domain.NEVER, None) and math.isnan(crossing)


def test_a_multiple_already_below_the_floor_says_so() -> None:
    outcome, year, _ = domain.first_year_below(1.2, 2023.0, 0.0, 0.05, 1.3)
    assert (outcome, year) == (domain.ALREADY_BELOW, None)


def test_a_missing_pace_gives_no_projection(real) -> None:
    dataset, results = real
    without = results[results["series_id"] != "dibao_standard_rural"]
    projection = domain.tekun_floor_projection(
        dataset.observations, dataset.relations, without, 2025
    )
    rural = by(projection, area="rural")
    assert rural["outcome"] == domain.NO_PACE
    assert "dibao_standard_rural" in rural["reason"]
    assert pd.isna(rural["first_year_below"])


def test_the_first_year_below_is_a_whole_year_end() -> None:
    # 1.5 x (1 / 1.1)^n < 1.3 first at n = 2 (1.5 / 1.21 = 1.2397; n = 1: 1.3636).
    outcome, year, crossing = domain.first_year_below(1.5, 2023.0, 0.0, 0.1, 1.3)
    assert (outcome, year) == (domain.FALLS_BELOW, 2025)
    # ln(1.3 / 1.5) / ln(1 / 1.1) = 1.5014 years after 2023
    assert crossing == pytest.approx(2024.5014, abs=1e-4)


# Care standards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series_id", "multiple"),
    [
        ("tekun_care_standard_dispersed_full", 5.01),  # 501 / 100
        ("tekun_care_standard_dispersed_half", 286 / 90),  # 3.1778
        ("tekun_care_standard_centralised_full", 715 / 300),  # 2.3833
        ("tekun_care_standard_centralised_half", 2.145),  # 429 / 200
    ],
)
def test_care_standards_as_multiples_of_2020(real, series_id, multiple) -> None:
    dataset, _ = real
    row = by(domain.care_multiples(dataset.observations), series_id=series_id)
    assert row["multiple"] == pytest.approx(multiple, rel=1e-12)
    assert (row["reason"], row["section"]) == ("", "一.3")


@pytest.mark.parametrize(
    ("series_id", "increase"),
    [
        ("tekun_care_standard_dispersed_selfcare", 43.0),
        ("tekun_care_standard_centralised_selfcare", 58.0),
    ],
)
def test_a_zero_base_leaves_the_multiple_undefined(real, series_id, increase) -> None:
    dataset, _ = real
    row = by(domain.care_multiples(dataset.observations), series_id=series_id)
    # 0 元 in 2020 -> 43 (58) 元 now: the multiple is undefined, the increase is not.
    assert math.isnan(row["multiple"])
    assert row["reason"] == domain.REASON_ZERO_BASE
    assert row["increase"] == increase


def test_a_care_standard_without_a_latest_figure_is_missing() -> None:
    frame = observations(("tekun_care_standard_dispersed_full", "2020", 100.0))
    row = domain.care_multiples(frame, ["tekun_care_standard_dispersed_full"]).iloc[0]
    assert math.isnan(row["multiple"]) and row["reason"] == domain.REASON_MISSING


# Implied ratios ------------------------------------------------------------------------------


def ratio(dataset: Dataset, key: str) -> dict:
    return by(domain.implied_ratios(dataset.observations), key=key)


def test_juvenile_station_coverage_recomputed_agrees_with_the_report(real) -> None:
    row = ratio(real[0], "juvenile_station_coverage")
    # 70 stations / 112 townships = 0.625 -> 62.5 %, as 一.6 states.
    assert row["value"] == pytest.approx(62.5)
    assert (row["stated"], row["agrees"]) == (62.5, True)
    assert (row["numerator_section"], row["denominator_section"]) == ("一.6", "二.(二).2")


def test_all_elderly_care_beds_are_about_37361(real) -> None:
    row = ratio(real[0], "all_elderly_care_beds")
    # 28835 / 0.7718 = 37360.7; 77.18 is rounded, so 28835 / 0.77185 = 37358.3 to
    # 28835 / 0.77175 = 37363.1.
    assert row["value"] == pytest.approx(37360.72, abs=0.01)
    assert row["value_low"] == pytest.approx(37358.30, abs=0.01)
    assert row["value_high"] == pytest.approx(37363.14, abs=0.01)
    assert row["qualifier"] == "about"


def test_vagrancy_aid_cost_per_case_is_approximate(real) -> None:
    row = ratio(real[0], "vagrancy_aid_cost_per_case")
    # 约1357万元 / 1449 人次 = 9365.08 元 per person-time, approximate as its input (约).
    assert row["value"] == pytest.approx(9365.08, abs=0.01)
    assert row["qualifier"] == "about"
    assert row["numerator_section"] == row["denominator_section"] == "二.(七).2"


def test_an_over_numerator_gives_an_over_result(real) -> None:
    row = ratio(real[0], "poverty_investment_per_project")
    # 超5600多万元 / 42 projects = more than 1333333 元 each.
    assert row["value"] == pytest.approx(56e6 / 42)
    assert row["qualifier"] == "over"


def test_coordinators_match_the_village_level_units_one_to_one(real) -> None:
    row = ratio(real[0], "assistance_coordinators_per_village_unit")
    # 1341 coordinators / (213 urban communities + 1128 villages = 1341) = 1.
    assert row["denominator"] == 1341.0
    assert row["value"] == 1.0
    assert row["denominator_section"] == "三.(四).2"


def test_party_branch_formation_rate_agrees_and_per_branch_counts(real) -> None:
    dataset = real[0]
    assert ratio(dataset, "party_branch_formation_rate")["agrees"]  # 27 / 36 = 75 %
    assert ratio(dataset, "organisations_per_party_branch")["value"] == pytest.approx(27 / 14)
    assert ratio(dataset, "party_members_per_branch")["value"] == pytest.approx(101 / 14)


SPEC = domain.RatioSpec("x", "children", ("a",), ("b",), "个")


def test_a_range_input_gives_a_range_result() -> None:
    # 20-30 / 4 = 5-7.5: no single value is claimed.
    frame = observations(("a", "2023", NAN, 20.0, 30.0), ("b", "2023", 4.0))
    row = domain.implied_ratio(frame, SPEC)
    assert math.isnan(row["value"])
    assert (row["value_low"], row["value_high"]) == (5.0, 7.5)


def test_a_range_denominator_divides_the_other_way() -> None:
    # 60 / 15-20 = 3-4
    frame = observations(("a", "2023", 60.0), ("b", "2023", NAN, 15.0, 20.0))
    row = domain.implied_ratio(frame, SPEC)
    assert (row["value_low"], row["value_high"]) == (3.0, 4.0)


def test_a_missing_input_says_which() -> None:
    row = domain.implied_ratio(observations(("a", "2023", 5.0)), SPEC)
    assert math.isnan(row["value"])
    assert row["reason"] == f"{domain.REASON_MISSING}: no figure for b"


def test_a_zero_denominator_is_undefined() -> None:
    row = domain.implied_ratio(observations(("a", "2023", 5.0), ("b", "2023", 0.0)), SPEC)
    assert math.isnan(row["value"]) and row["reason"] == domain.REASON_ZERO_DENOMINATOR


def test_an_over_denominator_gives_an_at_most_result() -> None:
    # 100 / (over 50) is less than 2: at most 2, not "nearly" 2.
    frame = observations(("a", "2023", 100.0), ("b", "2023", 50.0, NAN, NAN, "over"))
    row = domain.implied_ratio(frame, SPEC)
    assert (row["value"], row["qualifier"]) == (2.0, "at_most")


@pytest.mark.parametrize(
    ("qualifiers", "combined"),
    [
        ((), ""),
        (("over",), "over"),
        (("over", "at_least"), "at_least"),
        (("nearly", "nearly"), "nearly"),
        (("over", "nearly"), "about"),  # opposite sides: only approximate
        (("about", "over"), "about"),
    ],
)
def test_combined_qualifiers(qualifiers, combined) -> None:
    assert domain.combine_qualifiers(qualifiers) == combined


def test_rounding_bounds_follow_the_written_digits() -> None:
    assert domain.rounding_bounds(77.18) == pytest.approx((77.175, 77.185))
    assert domain.rounding_bounds(62.5) == pytest.approx((62.45, 62.55))
    assert domain.rounding_bounds(75.0) == pytest.approx((74.5, 75.5))


# Suzhou against the province and the nation ---------------------------------------------------


def comparison(real, suzhou: str, date: str) -> dict:
    dataset, results = real
    frame = domain.reference_comparisons(dataset.observations, results, 2025)
    rows = frame[(frame["suzhou_series"] == suzhou) & (frame["suzhou_date"] == date)]
    assert len(rows) >= 1
    return rows.iloc[0].to_dict()


def test_suzhou_dibao_2020_against_anhui(real) -> None:
    row = comparison(real, "dibao_standard_urban", "2020")
    # 625 against the province's 640 (both 2020, both stated): -15 元, 625/640 = 97.66 %.
    assert (row["difference"], row["suzhou_basis"], row["reference_basis"]) == (
        -15.0,
        "stated",
        "stated",
    )
    assert row["ratio"] == pytest.approx(0.97656, abs=1e-5)
    assert "2025-12-10" in row["reference_source"]


def test_suzhou_dibao_2023_against_an_interpolated_anhui(real) -> None:
    row = comparison(real, "dibao_standard_urban", "2023")
    # Anhui, linear between 640 (end-2020) and 842 (end-2025): 640 + 0.6 x 202 = 761.2.
    assert row["reference"] == pytest.approx(761.2)
    assert row["reference_basis"] == domain.INTERPOLATED
    assert row["difference"] == pytest.approx(707 - 761.2)


def test_suzhou_dibao_projected_to_2025_against_anhui(real) -> None:
    row = comparison(real, "dibao_standard_urban", "2025")
    # The assessment's compound projection: 707 x (707/625)^(2/3) = 767.56, against 842.
    assert row["suzhou_basis"] == domain.PROJECTED
    assert row["suzhou"] == pytest.approx(767.56, abs=0.01)
    assert row["reference"] == 842.0
    assert row["reference_date"] == "2025-12"


def test_the_nursing_bed_share_against_the_national_target_is_exact(real) -> None:
    dataset, results = real
    frame = domain.reference_comparisons(
        dataset.observations, results, 2025, chapter="elderly_care"
    )
    national = by(
        frame, reference_series="national_nursing_bed_share_target", reference_date="2025"
    )
    # 77.18 % (2023) against the national >= 55 % for 2025: 22.18 points above, exactly.
    assert national["difference"] == pytest.approx(22.18)
    assert national["difference_qualifier"] == ""
    anhui = by(frame, reference_series="anhui_nursing_bed_share")
    # against the province's "above 71 %": at most 6.18 points above.
    assert anhui["difference"] == pytest.approx(6.18)
    assert anhui["difference_qualifier"] == "at_most"
    assert anhui["reference_basis"] == domain.DATES_DIFFER


def test_reference_figures_never_enter_a_suzhou_series(real) -> None:
    dataset, results = real
    frame = domain.reference_comparisons(dataset.observations, results, 2025)
    stated = frame[frame["suzhou_basis"] == domain.STATED]
    obs = dataset.observations
    assert len(stated) >= 10
    for row in stated.itertuples():
        rows = obs[(obs["series_id"] == row.suzhou_series) & (obs["date"] == row.suzhou_date)]
        assert set(rows["source"]) == {"report"}
        assert row.suzhou in set(rows["value"])


def test_chapters_with_analysis_exclude_those_without() -> None:
    chapters = domain.chapters_with_analysis()
    assert "social_assistance" in chapters and "special_affairs" in chapters
    assert "divisions_place_names" not in chapters


def test_a_frame_without_the_loader_s_columns_gets_a_clear_message() -> None:
    with pytest.raises(ValueError, match="lack the column"):
        domain.dibao_gap(pd.DataFrame({"series_id": ["dibao_standard_urban"]}))
