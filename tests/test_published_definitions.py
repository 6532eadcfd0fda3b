"""Dates, time shares and the edges of the progress methods, by their published definitions.

Every expected value is worked out by hand from the formula in the comment beside it; the
rules are those of the methodology chapter (sections on dates, UNSD and the mid-term test).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_indicators import NO_TARGETS, by_id, observations, series, targets

from analysis.core import dates
from analysis.core.dates import fractional_year
from analysis.inputs.parameters import Parameters
from analysis.methods import progress
from analysis.methods.assessment import assess

# --- A date stands for the end of its period ---------------------------------------------------
# The fractional year Y is the close of 31 December of year Y, so "2020" (the end of 2020, the
# plan's base) is 2020.0, the end of June 2023 is 2022 + 6/12 and a day is the end of that day.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", 2020.0),  # the end of 2020
        ("2023-06", 2022 + 6 / 12),  # the end of June 2023: half of 2023 has passed
        ("2023-12", 2023.0),  # the end of December is the end of the year
        ("2023-01", 2022 + 1 / 12),
        ("2023-06-30", 2022 + 6 / 12),  # the last day of June ends June
        ("2020-07-04", 2019 + 6 / 12 + 4 / (12 * 31)),  # July has 31 days; the 4th is the 4th
        ("2024-02-29", 2023 + 2 / 12),  # a leap day ends February
    ],
)
def test_a_date_is_the_end_of_its_period(text: str, expected: float) -> None:
    assert fractional_year(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        ("2020", "2023", 3.0),
        ("2020", "2023-06", 2.5),  # the example: 2.5 years, not 3.42
        ("2023-06", "2023", 0.5),
        ("2020-12", "2021-06-30", 0.5),
        ("2020", "2020-12-31", 0.0),  # the last day of 2020 is the end of 2020
    ],
)
def test_years_between_mixed_year_month_and_day_dates(start: str, end: str, years: float):
    assert dates.years_between(start, end) == pytest.approx(years, abs=1e-12)


@pytest.mark.parametrize(
    ("date", "share"),
    [
        ("2020", 0.0),
        ("2023", 0.6),  # three of the plan's five years (2021-01-01 to 2025-12-31)
        ("2023-06", 0.5),  # two and a half of five
        ("2025-06", 0.9),
        ("2025", 1.0),
        ("2026", 1.0),  # never above 1
        ("2019", 0.0),  # never below 0
    ],
)
def test_time_share_over_the_plan_period(date: str, share: float) -> None:
    assert dates.plan_time_share(fractional_year(date), 2020, 2025) == pytest.approx(
        share, abs=1e-12
    )


def test_growth_over_a_year_and_a_month():
    # 100 at the end of 2020, 125 at the end of June 2023: 2.5 years, so
    # CAGR = 1.25 ** (1 / 2.5) - 1 = 0.0933620739 (9.3 % a year, not 6.7 % over 3.42 years).
    obs = observations(("m", "2020", 100), ("m", "2023-06", 125))
    row = assess(obs, series(("m", "standard", "up")), NO_TARGETS).iloc[0]
    assert row["cagr"] == pytest.approx(1.25 ** (1 / 2.5) - 1, rel=1e-12)
    assert row["cagr"] == pytest.approx(0.0933620739, rel=1e-9)
    assert row["annual_change"] == pytest.approx(25 / 2.5)


def test_open_sdg_ratio_over_a_year_and_a_month():
    # Target >= 145 at the end of 2025: CAGR_req = 1.45 ** (1 / 5) - 1 = 0.0771435878;
    # R = 0.0933620739 / 0.0771435878 = 1.2102 -> on track (0.87, acceleration needed, before).
    obs = observations(("m", "2020", 100), ("m", "2023-06", 125))
    tgt = targets(("m", 2025, ">=", 145, "plan"))
    row = assess(obs, series(("m", "standard", "up")), tgt).iloc[0]
    assert row["ratio"] == pytest.approx((1.25**0.4 - 1) / (1.45**0.2 - 1), rel=1e-12)
    assert row["ratio"] == pytest.approx(1.2102376, rel=1e-6)
    assert row["category"] == "on_track"


def test_midterm_at_the_end_of_june_is_half_time():
    # Task (125 - 100) / (150 - 100) = 0.5 at half time (0.5): on schedule.
    obs = observations(("m", "2020", 100), ("m", "2023-06", 125))
    tgt = targets(("m", 2025, ">=", 150, "plan"))
    row = assess(obs, series(("m", "standard", "up")), tgt).iloc[0]
    assert row["time_share"] == pytest.approx(0.5)
    assert row["task_share"] == pytest.approx(0.5)
    assert row["midterm_label"] == "on_schedule"


def test_midterm_time_is_never_measured_from_a_series_own_later_base():
    # Disability subsidies: first stated for 2024, then for June 2025. The time share is that
    # of the plan at the end of June 2025, (2024.5 - 2020) / 5 = 0.9, never (2025.5 - 2024) /
    # (2025 - 2024) = 1.4167; the task share is not measured from the plan's base, so no label.
    obs = observations(("d", "2024", 90), ("d", "2025-06", 94))
    tgt = targets(("d", 2025, ">=", 100, "plan"))
    row = assess(obs, series(("d", "rate", "up", 100)), tgt).iloc[0]
    assert row["time_share"] == pytest.approx(0.9)
    assert pd.isna(row["midterm_label"])
    assert "mid-term: base is 2024, not the plan's base 2020: no label" in row["flags"]


def test_as_of_moves_the_midterm_date():
    # As of the end of 2022 the latest value counted is that of 2022: time share 2/5 = 0.4;
    # task (60 - 0) / (100 - 0) = 0.6 >= 0.4 + 0.05 -> ahead.
    obs = observations(("a", "2020", 0), ("a", "2022", 60), ("a", "2023", 70))
    tgt = targets(("a", 2025, ">=", 100, "plan"))
    ser = series(("a", "count", "up"))
    row = assess(obs, ser, tgt, {"as_of": "2022"}).iloc[0]
    assert row["time_share"] == pytest.approx(0.4)
    assert row["midterm_label"] == "ahead"
    # As of June 2023 the 2023 value (the end of 2023) is not yet counted.
    row = assess(obs, ser, tgt, {"as_of": "2023-06"}).iloc[0]
    assert row["latest_date"] == "2022"
    # As of 2023 it is: 3/5.
    assert assess(obs, ser, tgt, {"as_of": "2023"}).iloc[0]["time_share"] == pytest.approx(0.6)


def test_a_month_in_the_base_year_is_before_the_plan_base():
    # June 2020 is half a year before the end of 2020: with an annual 2020 value beside it the
    # base is the 2020 value, and 2020-06 is not taken as the base.
    obs = observations(("m", "2020-06", 90), ("m", "2020", 100), ("m", "2023", 130))
    row = assess(obs, series(("m", "standard", "up")), NO_TARGETS).iloc[0]
    assert row["base_date"] == "2020"
    assert row["base_value"] == 100


# --- UNSD ratio after the horizon -----------------------------------------------------------


def test_unsd_ratio_uses_the_observed_value_at_or_after_the_target_year():
    # 100 in 2020, 120 in 2023, target >= 121 for 2022: the observed value gives
    # P = (120 - 100) / (121 - 100) = 0.952 (on track or met); projecting back to 2022
    # (100 * 1.2 ** (2/3) = 112.92) would give 0.615.
    obs = observations(("u", "2020", 100), ("u", "2023", 120))
    tgt = targets(("u", 2022, ">=", 121, "plan"))
    row = assess(obs, series(("u", "standard", "up")), tgt).iloc[0]
    assert row["projected_value"] == 120
    assert row["unsd_ratio"] == pytest.approx(20 / 21)
    assert row["unsd_category"] == "on_track_or_met"


# --- Target year equal to the base year -----------------------------------------------------


def test_a_target_dated_at_the_base_has_no_required_pace_and_says_so():
    # base_year 2021: a target for 2021 leaves no time between base and target; the required
    # change per year is undefined, so no method can class the pace.
    obs = observations(("b", "2021", 100), ("b", "2023", 110))
    tgt = targets(("b", 2021, ">=", 120, "plan"))
    row = assess(obs, series(("b", "standard", "up")), tgt, {"base_year": 2021}).iloc[0]
    assert math.isnan(row["ratio"])
    assert row["category"] == "target_not_after_base"
    assert row["unsd_category"] == "target_not_after_base"
    assert pd.isna(row["midterm_label"])
    assert "target year 2021 is not after the base 2021" in row["flags"]
    assert progress.label("target_not_after_base", "zh") == "目标年份不晚于基期"


def test_a_met_target_dated_at_the_base_is_still_met():
    obs = observations(("b", "2021", 100), ("b", "2023", 130))
    tgt = targets(("b", 2021, ">=", 120, "plan"))
    row = assess(obs, series(("b", "standard", "up")), tgt, {"base_year": 2021}).iloc[0]
    assert row["category"] == "target_achieved"


# --- Non-finite values ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_non_finite_values_are_left_out_with_a_flag(value: float):
    obs = observations(("x", "2020", 100), ("x", "2022", value), ("x", "2023", 110))
    row = assess(obs, series(("x", "standard", "up")), NO_TARGETS).iloc[0]
    assert row["n_points"] == 2
    assert f"value at 2022 is not a finite number ({value:g}): left out" in row["flags"]


# --- The UNSD no-target variant -------------------------------------------------------------


def test_unsd_without_a_target_assesses_the_growth_rate():
    # UNSD Progress Chart technical note (2023): no target -> d * CAGR >= 2 % on track,
    # >= 0.5 % fair progress, below that stagnation or regression.
    # 625 -> 707 over 3 years: (707/625)**(1/3) - 1 = 4.19 % -> on track;
    # 1000 -> 1012: (1012/1000)**(1/3) - 1 = 0.40 % -> stagnation; 100 -> 103: 0.99 % -> fair;
    # lower is better, 50 -> 40: d * CAGR = +7.2 % -> on track.
    obs = observations(
        ("a", "2020", 625),
        ("a", "2023", 707),
        ("b", "2020", 1000),
        ("b", "2023", 1012),
        ("c", "2020", 100),
        ("c", "2023", 103),
        ("d", "2020", 50),
        ("d", "2023", 40),
    )
    ser = series(
        ("a", "standard", "up"),
        ("b", "standard", "up"),
        ("c", "standard", "up"),
        ("d", "standard", "down"),
    )
    result = by_id(assess(obs, ser, NO_TARGETS))
    assert list(result["unsd_category"]) == [
        "growth_on_track",
        "growth_stagnation",
        "growth_fair",
        "growth_on_track",
    ]
    assert result["unsd_ratio"].isna().all()
    assert "UNSD: no target: growth 4.19 % a year against 2 % / 0.5 %" in result.loc["a", "flags"]


def test_unsd_growth_thresholds_are_parameters():
    # 0.99 % a year is fair against 0.5 %, stagnation against a 1 % floor.
    obs = observations(("c", "2020", 100), ("c", "2023", 103))
    params = {"thresholds": {"unsd_growth_fair": 0.01}}
    row = assess(obs, series(("c", "standard", "up")), NO_TARGETS, params).iloc[0]
    assert row["unsd_category"] == "growth_stagnation"
    assert Parameters().thresholds.unsd_growth_on_track == 0.02


def test_unsd_without_target_or_direction_stays_no_target():
    obs = observations(("n", "2020", 5), ("n", "2023", 6))
    row = assess(obs, series(("n", "standard", "none")), NO_TARGETS).iloc[0]
    assert row["unsd_category"] == "no_target"


# --- UNSD's one-point rule ------------------------------------------------------------------


def test_the_one_point_rule_reads_the_latest_value_not_the_projection():
    # 90 at the base, 97 now, 99.5 projected for a 100 % target: the latest value is 3 points
    # short, so the target is not met; P = (99.5 - 90) / (100 - 90) = 0.95 -> on track or met
    # on the ratio, not on the one-point rule (no "within 1 point" note).
    row = progress.unsd_status(90, 97, 99.5, 100, ">=", "up", bound=100).iloc[0]
    assert row["category"] == "on_track_or_met"
    assert "within 1 point" not in row["note"]
    # 99.2 projected: P = 0.92, fair progress, although the projection is within a point.
    row = progress.unsd_status(90, 97, 99.2, 100, ">=", "up", bound=100).iloc[0]
    assert row["category"] == "fair_progress"
    # 99.2 now: within a point of 100, counts as met.
    row = progress.unsd_status(90, 99.2, 99.2, 100, ">=", "up", bound=100).iloc[0]
    assert row["category"] == "on_track_or_met"
    assert "within 1 point" in row["note"]
